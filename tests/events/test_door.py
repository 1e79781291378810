"""Checking registrants in at the door: one button per confirmed person, in the admin of the
event's own library, logged, and counted as attendance when staff record no head count."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from events import stats
from events.models import Attendance, Event, Registration
from events.services import registration_create
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def door_url(event):
    return reverse("admin:events_event_door", args=[event.pk])


@pytest.fixture
def evening(branch_a):
    event = EventFactory(branch=branch_a, title="Вечір поезії", capacity=3)
    people = [
        registration_create(event=event, name="Оксана Мельник", email="oksana@example.org"),
        registration_create(event=event, name="Богдан Ткачук", phone="050 123 45 67", seats=2),
        registration_create(event=event, name="Юрій у черзі", email="yurii@example.org"),
    ]
    return event, people


def test_the_door_list_shows_confirmed_registrants_with_their_ticket_numbers(
    client, librarian_a, evening
):
    event, (oksana, bohdan, waiting) = evening
    client.force_login(librarian_a)

    page = client.get(door_url(event)).content.decode()

    assert waiting.status == Registration.Status.WAITLISTED
    assert "Оксана Мельник" in page and oksana.ticket_number in page
    assert "Богдан Ткачук" in page and bohdan.ticket_number in page
    assert "Юрій у черзі" not in page
    assert page.count('value="check_in"') == 2
    assert door_url(event) in client.get(reverse("admin:events_event_changelist")).content.decode()


def test_one_click_checks_a_person_in_and_a_second_takes_a_wrong_mark_back(
    client, librarian_a, evening
):
    event, (oksana, _bohdan, _waiting) = evening
    client.force_login(librarian_a)

    came = client.post(
        door_url(event), {"registration": oksana.pk, "action": "check_in"}, follow=True
    )
    oksana.refresh_from_db()
    checked_at = oksana.checked_in_at
    again = client.post(door_url(event), {"registration": oksana.pk, "action": "check_in"})
    oksana.refresh_from_db()

    assert came.redirect_chain[-1][0].endswith(f"#registration-{oksana.pk}")
    assert checked_at is not None and oksana.checked_in_at == checked_at
    assert again.status_code == 302
    page = came.content.decode()
    assert f"Відмічено прихід: квиток № {oksana.ticket_number}." in page
    assert "Відмічено прихід: 1 з 2 реєстрацій, місць — 1 з 3." in page

    client.post(door_url(event), {"registration": oksana.pk, "action": "undo"})

    oksana.refresh_from_db()
    assert oksana.checked_in_at is None
    history = list(
        LogEntry.objects.filter(object_id=str(event.pk)).values_list("change_message", flat=True)
    )
    assert f"Відмічено прихід: реєстрація № {oksana.pk}" in history
    assert f"Скасовано відмітку про прихід: реєстрація № {oksana.pk}" in history
    assert not any("Оксана" in message for message in history)


def test_a_waitlisted_person_cannot_be_checked_in(client, librarian_a, evening):
    event, (_oksana, _bohdan, waiting) = evening
    client.force_login(librarian_a)

    response = client.post(door_url(event), {"registration": waiting.pk, "action": "check_in"})

    waiting.refresh_from_db()
    assert response.status_code == 404
    assert waiting.checked_in_at is None


def test_another_librarys_staff_and_the_methodologist_cannot_open_the_door_list(
    client, librarian_b, methodologist, evening
):
    event, (oksana, _bohdan, _waiting) = evening

    client.force_login(librarian_b)
    other_library = client.get(door_url(event))
    client.force_login(methodologist)
    numbers_only = client.post(door_url(event), {"registration": oksana.pk})

    oksana.refresh_from_db()
    assert other_library.status_code == 404
    assert numbers_only.status_code in (403, 404)
    assert oksana.checked_in_at is None


def test_check_ins_count_as_attendance_when_staff_record_no_head_count(
    client, librarian_a, evening
):
    event, (oksana, bohdan, _waiting) = evening
    client.force_login(librarian_a)
    for registration in (oksana, bohdan):
        client.post(door_url(event), {"registration": registration.pk, "action": "check_in"})
    Event.objects.filter(pk=event.pk).update(status=Event.Status.HELD)
    year = timezone.localtime(event.starts_at).year

    from_door = stats.attendance(years=[year])
    Attendance.objects.create(event=event, audience="adults", count=25)
    counted = stats.attendance(years=[year])

    assert from_door == {(event.branch_id, year): 3}
    assert counted == {(event.branch_id, year): 25}
