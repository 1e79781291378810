"""Registrations leave through the cancel service, never by deletion, so seats and the
waitlist stay right; the rules a reader sees (cancel, stream link) live on the model."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, Registration
from events.services import registration_create
from tests.events.factories import ClubFactory, EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/events/registration/"
EVENTS = "/admin/events/event/"


@pytest.fixture
def full_event(branch_a):
    """One seat, taken by Оксана; Петро waits for it."""
    event = EventFactory(branch=branch_a, capacity=1)
    taken = registration_create(event=event, name="Оксана", email="oksana@example.org")
    waiting = registration_create(event=event, name="Петро", email="petro@example.org")
    return event, taken, waiting


def test_a_branch_head_cannot_delete_a_confirmed_registration_so_the_seat_is_not_lost(
    client, branch_head_a, full_event
):
    event, taken, waiting = full_event
    client.force_login(branch_head_a)

    page = client.get(f"{REGISTRATIONS}{taken.pk}/delete/")
    client.post(f"{REGISTRATIONS}{taken.pk}/delete/", {"post": "yes"})
    client.post(
        REGISTRATIONS,
        {"action": "delete_selected", "_selected_action": [taken.pk], "post": "yes"},
    )

    assert page.status_code == 403
    taken.refresh_from_db()
    assert taken.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.seats_confirmed == 1


def test_cancelling_in_the_admin_instead_frees_the_seat_for_the_waitlist(
    client, branch_head_a, full_event
):
    event, taken, waiting = full_event
    client.force_login(branch_head_a)

    client.post(REGISTRATIONS, {"action": "cancel", "_selected_action": [taken.pk]})

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.seats_confirmed == 1


def test_an_event_people_registered_for_is_not_deleted_but_must_be_cancelled(
    client, branch_head_a, full_event
):
    event, _taken, _waiting = full_event
    client.force_login(branch_head_a)

    page = client.get(f"{EVENTS}{event.pk}/delete/")
    client.post(f"{EVENTS}{event.pk}/delete/", {"post": "yes"})

    assert "Не вдається видалити" in page.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    assert Registration.objects.filter(event=event).count() == 2


def test_an_event_without_registrations_can_still_be_deleted_by_the_branch_head(
    client, branch_head_a, branch_a
):
    event = EventFactory(branch=branch_a)
    client.force_login(branch_head_a)

    client.post(f"{EVENTS}{event.pk}/delete/", {"post": "yes"})

    assert not Event.objects.filter(pk=event.pk).exists()


def test_club_members_are_not_deleted_from_the_club_page(client, branch_head_a, branch_a):
    member = MembershipFactory(club=ClubFactory(branch=branch_a))
    client.force_login(branch_head_a)

    page = client.get(f"/admin/events/club/{member.club_id}/change/")

    assert "memberships-0-DELETE" not in page.content.decode()


def test_a_registration_can_be_cancelled_until_the_event_ends(full_event):
    event, taken, _waiting = full_event

    assert taken.can_be_cancelled(timezone.now())
    assert not taken.can_be_cancelled(event.ends_at + timedelta(minutes=1))
    taken.event.status = Event.Status.CANCELLED
    assert not taken.can_be_cancelled(timezone.now())
    taken.status = Registration.Status.CANCELLED
    taken.event.status = Event.Status.PUBLISHED
    assert not taken.can_be_cancelled(timezone.now())


def test_only_a_confirmed_registrant_of_an_online_event_gets_the_stream_link(branch_a):
    event = EventFactory(
        branch=branch_a, capacity=1, is_online=True, online_url="https://meet.example.org/x"
    )
    confirmed = registration_create(event=event, name="Оксана", email="oksana@example.org")
    waiting = registration_create(event=event, name="Петро", email="petro@example.org")

    assert confirmed.stream_link() == "https://meet.example.org/x"
    assert waiting.stream_link() == ""
    confirmed.status = Registration.Status.CANCELLED
    assert confirmed.stream_link() == ""


def test_the_registration_page_shows_the_stream_link_to_the_confirmed_only(client, branch_a):
    event = EventFactory(
        branch=branch_a, capacity=1, is_online=True, online_url="https://meet.example.org/x"
    )
    confirmed = registration_create(event=event, name="Оксана", email="oksana@example.org")
    waiting = registration_create(event=event, name="Петро", email="petro@example.org")

    assert "meet.example.org/x" in client.get(confirmed.get_absolute_url()).content.decode()
    assert "meet.example.org/x" not in client.get(waiting.get_absolute_url()).content.decode()
