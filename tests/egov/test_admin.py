"""The back office: a librarian works only with their own library's requests, bookings and
walk-ins; status changes go through the workflow and are logged; walk-ins take seconds."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from egov.models import Booking, HelpRequest, Slot, WalkIn
from tests.egov.factories import BookingFactory, HelpRequestFactory, SlotFactory, topic

pytestmark = pytest.mark.django_db


def test_a_librarian_of_another_library_sees_none_of_its_requests_or_bookings(
    client, branch_a, librarian_b
):
    request = HelpRequestFactory(branch=branch_a, name="Ганна Коваль")
    booking = BookingFactory(slot=SlotFactory(branch=branch_a), name="Петро Мельник")
    client.force_login(librarian_b)

    requests_page = client.get("/admin/egov/helprequest/")
    bookings_page = client.get("/admin/egov/booking/")

    assert "Ганна Коваль" not in requests_page.content.decode()
    assert "Петро Мельник" not in bookings_page.content.decode()
    assert client.get(f"/admin/egov/helprequest/{request.pk}/change/").status_code == 302
    assert client.get(f"/admin/egov/booking/{booking.pk}/change/").status_code == 302


def test_a_methodologist_sees_walk_in_numbers_but_no_citizen_s_name(
    client, branch_a, methodologist
):
    HelpRequestFactory(branch=branch_a, name="Ганна Коваль")
    BookingFactory(slot=SlotFactory(branch=branch_a), name="Петро Мельник")
    client.force_login(methodologist)

    assert client.get("/admin/egov/helprequest/").status_code == 403
    assert client.get("/admin/egov/booking/").status_code == 403
    assert client.get("/admin/egov/walkin/").status_code == 200


def test_the_librarian_of_the_library_sees_its_requests_and_bookings(client, branch_a, librarian_a):
    HelpRequestFactory(branch=branch_a, name="Ганна Коваль")
    BookingFactory(slot=SlotFactory(branch=branch_a), name="Петро Мельник")
    client.force_login(librarian_a)

    assert "Ганна Коваль" in client.get("/admin/egov/helprequest/").content.decode()
    assert "Петро Мельник" in client.get("/admin/egov/booking/").content.decode()


def change_data(**changes):
    data = {
        "new_status": "",
        "note": "",
        "assignee": "",
        "scheduled_for_0": "",
        "scheduled_for_1": "",
        "minutes_spent": "",
        "outcome": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_librarian_schedules_a_meeting_from_the_admin_and_the_change_is_logged(
    client, branch_a, librarian_a
):
    request = HelpRequestFactory(branch=branch_a)
    client.force_login(librarian_a)

    response = client.post(
        f"/admin/egov/helprequest/{request.pk}/change/",
        change_data(
            new_status="scheduled",
            scheduled_for_0="01.12.2026",
            scheduled_for_1="10:00",
            note="Домовилися телефоном",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.SCHEDULED
    assert request.assignee == librarian_a
    event = request.events.get()
    assert (event.to_status, event.acting_user, event.note) == (
        "scheduled",
        librarian_a,
        "Домовилися телефоном",
    )


def test_closing_as_done_without_the_minutes_is_refused_with_a_clear_message(
    client, branch_a, librarian_a
):
    request = HelpRequestFactory(branch=branch_a)
    client.force_login(librarian_a)

    response = client.post(
        f"/admin/egov/helprequest/{request.pk}/change/", change_data(new_status="done")
    )

    assert response.status_code == 200
    assert "Вкажіть, скільки хвилин зайняла допомога." in response.content.decode()
    assert HelpRequest.objects.get(pk=request.pk).status == "new"


def test_a_walk_in_is_logged_in_one_form_and_the_form_opens_again_for_the_next(
    client, branch_a, branch_b, librarian_a
):
    client.force_login(librarian_a)
    data = {
        "topic": topic("utilities").pk,
        "branch": branch_a.pk,
        "minutes": "10",
        "resolved": "on",
        "date": date.today().strftime("%d.%m.%Y"),
    }

    response = client.post("/admin/egov/walkin/add/", data)
    elsewhere = client.post("/admin/egov/walkin/add/", {**data, "branch": branch_b.pk})

    assert response.status_code == 302
    assert response["Location"] == "/admin/egov/walkin/add/"
    assert elsewhere.status_code == 200
    walk_in = WalkIn.objects.get()
    assert (walk_in.branch, walk_in.logged_by, walk_in.minutes) == (branch_a, librarian_a, 10)


def test_staff_mark_who_came_and_the_admin_history_says_who_did(client, branch_a, librarian_a):
    booking = BookingFactory(slot=SlotFactory(branch=branch_a))
    client.force_login(librarian_a)

    client.post(
        "/admin/egov/booking/",
        {"action": "mark_attended", "_selected_action": [booking.pk]},
    )

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ATTENDED
    entry = LogEntry.objects.get(object_id=str(booking.pk))
    assert entry.user == librarian_a
    assert "Прийшли" in entry.get_change_message()


def test_a_weekly_series_of_slots_is_published_once_however_often_it_is_submitted(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    data = {
        "branch": branch_a.pk,
        "kind": "diia",
        "weekday": "1",
        "start": "10:00",
        "end": "13:00",
        "minutes": "30",
        "first_day": monday.strftime("%d.%m.%Y"),
        "weeks": "2",
    }

    first = client.post("/admin/egov/slot/series/", data)
    client.post("/admin/egov/slot/series/", data)

    assert first.status_code == 302
    slots = list(Slot.objects.order_by("starts_at"))
    assert len(slots) == 12
    local = timezone.localtime(slots[0].starts_at)
    assert (local.weekday(), local.hour, local.minute) == (1, 10, 0)


def test_a_librarian_cannot_publish_slots_for_another_library(client, branch_b, librarian_a):
    client.force_login(librarian_a)

    response = client.post(
        "/admin/egov/slot/series/",
        {
            "branch": branch_b.pk,
            "kind": "diia",
            "weekday": "1",
            "start": "10:00",
            "end": "13:00",
            "minutes": "30",
            "first_day": timezone.localdate().strftime("%d.%m.%Y"),
            "weeks": "1",
        },
    )

    assert response.status_code == 200
    assert not Slot.objects.exists()


def test_a_methodologist_adds_a_guide_and_it_is_found_by_a_word_form(client, methodologist):
    client.force_login(methodologist)

    response = client.post(
        "/admin/egov/guide/add/",
        {
            "topic": topic("tickets").pk,
            "title": "Квитки на електричку",
            "slug": "commuter-tickets",
            "summary": "Приміські потяги.",
            "steps": "Відкрийте застосунок.\nОберіть електричку.",
            "what_to_bring": "",
            "last_reviewed": "02.11.2026",
            "is_published": "on",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-title": "Укрзалізниця",
            "links-0-url": "https://booking.uz.gov.ua/",
            "links-0-position": "0",
        },
    )

    assert response.status_code == 302
    found = client.get("/e-services/guides/", {"q": "електрички"}).context["guides"]
    assert [guide.slug for guide in found] == ["commuter-tickets"]


def test_the_desk_s_admin_pages_open_for_a_librarian(client, branch_a, librarian_a):
    request = HelpRequestFactory(branch=branch_a)
    slot = SlotFactory(branch=branch_a)
    BookingFactory(slot=slot)
    client.force_login(librarian_a)

    for path in [
        "/admin/egov/walkin/add/",
        "/admin/egov/walkin/",
        f"/admin/egov/helprequest/{request.pk}/change/",
        "/admin/egov/slot/",
        f"/admin/egov/slot/{slot.pk}/change/",
        "/admin/egov/slot/series/",
    ]:
        assert client.get(path).status_code == 200, path
