"""The back office: a librarian works only with their own library's requests, bookings and
walk-ins; status changes go through the workflow and are logged; walk-ins take seconds."""

import html
import re
from datetime import date, datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.utils import timezone

from core.audit import audit_entries_for, audit_note
from core.tz import KYIV
from egov.models import Booking, HelpRequest, Slot, WalkIn
from tests.egov.factories import (
    BookingFactory,
    HelpRequestFactory,
    SlotFactory,
    WalkInFactory,
    topic,
)
from tests.factories import ClosureFactory

pytestmark = pytest.mark.django_db


def text(response):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


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
    entry = audit_entries_for([request]).get(change_message__startswith="Стан:")
    assert (entry.user, audit_note(entry)) == (librarian_a, "Примітка: Домовилися телефоном")
    assert "Призначено зустріч" in entry.change_message


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


def test_a_walk_in_is_logged_in_one_form_and_the_form_opens_again_empty_for_the_next(
    client, branch_a, branch_b, librarian_a
):
    client.force_login(librarian_a)
    data = {
        "topic": topic("utilities").pk,
        "preset": "10",
        "resolved": "on",
        "date": date.today().strftime("%d.%m.%Y"),
    }

    response = client.post("/admin/egov/walkin/add/", data)
    # Someone tampering with the form still logs the case for their own library.
    tampered = client.post("/admin/egov/walkin/add/", {**data, "branch": branch_b.pk})
    confirmed = client.post(
        "/admin/egov/walkin/add/", {**data, "branch": branch_b.pk, "confirm_twin": "on"}
    )
    next_form = client.get("/admin/egov/walkin/add/", follow=True)

    assert response.status_code == 302
    assert response["Location"] == "/admin/egov/walkin/add/"
    assert tampered.status_code == 200  # the same topic again: asked first
    assert confirmed.status_code == 302
    assert [(w.branch, w.logged_by, w.minutes) for w in WalkIn.objects.all()] == [
        (branch_a, librarian_a, 10),
        (branch_a, librarian_a, 10),
    ]
    form = next_form.context["adminform"].form
    assert "branch" not in form.fields
    assert "topic" not in form.initial
    assert form.initial.get("preset") is None


def test_one_click_on_save_in_a_fresh_form_logs_nothing_and_says_what_to_choose(
    client, librarian_a
):
    client.force_login(librarian_a)
    form = client.get("/admin/egov/walkin/add/")
    data = {
        name: value
        for name, value in form.context["adminform"].form.initial.items()
        if value is not None
    }
    data["date"] = date.today().strftime("%d.%m.%Y")

    response = client.post("/admin/egov/walkin/add/", {**data, "resolved": "on"})

    assert response.status_code == 200
    assert "Оберіть тему звернення." in text(response)
    assert "Оберіть, скільки часу зайняла допомога." in text(response)
    assert not WalkIn.objects.exists()


def test_the_same_case_saved_twice_within_minutes_is_asked_about_before_it_is_logged(
    client, freeze_now, librarian_a
):
    freeze_now(datetime(2026, 3, 2, 10, 0, tzinfo=KYIV))
    client.force_login(librarian_a)
    data = {"topic": topic("diia").pk, "preset": "15", "resolved": "on", "date": "02.03.2026"}
    client.post("/admin/egov/walkin/add/", data)

    again = client.post("/admin/egov/walkin/add/", data)
    other_topic = client.post("/admin/egov/walkin/add/", {**data, "topic": topic("utilities").pk})
    freeze_now(datetime(2026, 3, 2, 10, 6, tzinfo=KYIV))
    later = client.post("/admin/egov/walkin/add/", data)

    assert again.status_code == 200
    assert (
        "О 10:00 ви вже записали звернення на тему «Дія: застосунок і портал». Якщо це інша "
        "людина, позначте «Так, це інша людина» і натисніть «Зберегти» ще раз."
    ) in text(again)
    assert 'type="checkbox" name="confirm_twin"' in again.content.decode()
    assert (other_topic.status_code, later.status_code) == (302, 302)
    assert WalkIn.objects.count() == 3


def test_a_new_walk_in_is_announced_as_added_not_changed(client, librarian_a):
    client.force_login(librarian_a)
    data = {"topic": topic("diia").pk, "preset": "30", "resolved": "on"}

    response = client.post(
        "/admin/egov/walkin/add/",
        {**data, "date": date.today().strftime("%d.%m.%Y")},
        follow=True,
    )

    page = text(response)
    assert "Звернення «Дія: застосунок і портал» (30 хв) додано. Можна записати наступне." in page
    assert "змінено" not in page
    assert "Зберегти і додати інше" not in page


def test_a_librarian_corrects_and_deletes_her_own_case_of_today_and_the_history_says_so(
    client, librarian_a
):
    client.force_login(librarian_a)
    today = date.today().strftime("%d.%m.%Y")
    client.post(
        "/admin/egov/walkin/add/",
        {"topic": topic("diia").pk, "preset": "15", "resolved": "on", "date": today},
    )
    walk_in = WalkIn.objects.get()

    desk = client.get("/admin/egov/walkin/add/")
    corrected = client.post(
        f"/admin/egov/walkin/{walk_in.pk}/change/",
        {"topic": topic("utilities").pk, "preset": "30", "resolved": "on", "date": today},
        follow=True,
    )
    walk_in.refresh_from_db()
    deleted = client.post(f"/admin/egov/walkin/{walk_in.pk}/delete/", {"post": "yes"}, follow=True)

    assert f"/admin/egov/walkin/{walk_in.pk}/change/" in desk.content.decode()
    assert (walk_in.topic.slug, walk_in.minutes) == ("utilities", 30)
    assert "Звернення «Оплата комунальних послуг» (30 хв) виправлено." in text(corrected)
    assert "Звернення видалено." in text(deleted)
    assert not WalkIn.objects.exists()
    history = LogEntry.objects.filter(object_id=str(walk_in.pk)).order_by("pk")
    assert [(e.action_flag, e.user, e.change_message) for e in history] == [
        (1, librarian_a, "Звернення записано"),
        (2, librarian_a, "Виправлено: тема, хвилин"),
        (3, librarian_a, "Звернення видалено"),
    ]


def test_nobody_corrects_or_deletes_a_case_of_a_colleague_or_of_an_earlier_day(
    client, branch_a, librarian_a, branch_head_a
):
    colleague_s = WalkInFactory(branch=branch_a, logged_by=branch_head_a)
    yesterdays = WalkInFactory(
        branch=branch_a, logged_by=librarian_a, logged_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(librarian_a)
    today = date.today().strftime("%d.%m.%Y")

    for walk_in in (colleague_s, yesterdays):
        change = client.post(
            f"/admin/egov/walkin/{walk_in.pk}/change/",
            {"topic": topic("utilities").pk, "preset": "60", "date": today},
        )
        delete = client.post(f"/admin/egov/walkin/{walk_in.pk}/delete/", {"post": "yes"})
        assert change.status_code == 403
        assert delete.status_code == 403
        # Still readable: the numbers are the library's.
        assert client.get(f"/admin/egov/walkin/{walk_in.pk}/change/").status_code == 200
    assert sorted(WalkIn.objects.values_list("minutes", flat=True)) == [15, 15]


def test_a_walk_in_that_took_an_unusual_time_is_typed_in_minutes(client, librarian_a):
    client.force_login(librarian_a)
    data = {"topic": topic("diia").pk, "preset": "15", "minutes": "25", "resolved": ""}

    response = client.post(
        "/admin/egov/walkin/add/", {**data, "date": date.today().strftime("%d.%m.%Y")}
    )
    missing = client.post(
        "/admin/egov/walkin/add/",
        {"topic": topic("diia").pk, "date": date.today().strftime("%d.%m.%Y")},
    )

    assert response.status_code == 302
    walk_in = WalkIn.objects.get()
    assert (walk_in.minutes, walk_in.resolved) == (25, False)
    assert "Оберіть, скільки часу зайняла допомога." in text(missing)


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
            "title_uk": "Квитки на електричку",
            "slug": "commuter-tickets",
            "summary_uk": "Приміські потяги.",
            "steps_uk": "Відкрийте застосунок.\nОберіть електричку.",
            "what_to_bring_uk": "",
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


def test_publishing_a_series_over_lunch_says_which_times_were_skipped_and_why(
    client, freeze_now, network, librarian_a
):
    freeze_now(datetime(2026, 6, 1, 9, tzinfo=KYIV))
    client.force_login(librarian_a)

    response = client.post(
        "/admin/egov/slot/series/",
        {
            "branch": network["a"].pk,
            "kind": "diia",
            "weekday": "1",
            "start": "12:00",
            "end": "15:00",
            "minutes": "30",
            "first_day": "01.06.2026",
            "weeks": "1",
        },
        follow=True,
    )

    page = text(response)
    assert "Опубліковано нових слотів: 4." in page
    assert "Пропущено 2 слоти, бо бібліотека в цей час зачинена:" in page
    assert "2 червня бібліотека працює лише 10:00–13:00, 14:00–18:00." in page
    assert "Не опубліковано: 13:00, 13:30." in page
    assert Slot.objects.count() == 4


def test_a_single_slot_on_a_closed_day_is_refused_with_the_reason(
    client, freeze_now, network, librarian_a
):
    freeze_now(datetime(2026, 6, 1, 9, tzinfo=KYIV))
    ClosureFactory(
        branch=network["a"],
        kind="sanitary",
        start_date=date(2026, 6, 2),
        end_date=date(2026, 6, 2),
        reason="Санітарний день",
    )
    client.force_login(librarian_a)

    response = client.post(
        "/admin/egov/slot/add/",
        {
            "branch": network["a"].pk,
            "kind": "legal",
            "starts_at_0": "02.06.2026",
            "starts_at_1": "15:00",
            "ends_at_0": "02.06.2026",
            "ends_at_1": "16:00",
            "consultant": "Юрист",
            "is_published": "on",
            "bookings-TOTAL_FORMS": "0",
            "bookings-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "Бібліотека в цей час зачинена: 2 червня бібліотека зачинена: Санітарний день." in (
        text(response)
    )
    assert not Slot.objects.exists()


def test_the_slot_list_flags_a_slot_whose_day_was_closed_later_and_hides_the_branch_column(
    client, branch_a, librarian_a
):
    slot = SlotFactory(branch=branch_a)
    SlotFactory(branch=branch_a, starts_at=slot.starts_at + timedelta(days=3))
    past = SlotFactory(branch=branch_a, starts_at=timezone.now() - timedelta(days=7))
    day = timezone.localtime(slot.starts_at).date()
    ClosureFactory(branch=branch_a, kind="repairs", start_date=day, end_date=day)
    client.force_login(librarian_a)

    changelist = client.get("/admin/egov/slot/").context["cl"]

    assert [row.closed_day for row in changelist.result_list] == [True, False]
    assert "branch" not in changelist.list_display
    assert "branch" not in [str(item) for item in changelist.list_filter]
    past_list = client.get("/admin/egov/slot/", {"when": "past"}).context["cl"]
    assert list(past_list.result_list) == [past]


def test_staff_cancel_a_booking_on_a_closed_day_and_the_citizen_gets_a_mail_saying_why(
    client, branch_a, librarian_a, django_capture_on_commit_callbacks
):
    booking = BookingFactory(slot=SlotFactory(branch=branch_a), email="petro@example.org")
    day = timezone.localtime(booking.slot.starts_at).date()
    ClosureFactory(
        branch=branch_a, kind="repairs", start_date=day, end_date=day, reason="Ремонт даху"
    )
    client.force_login(librarian_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/egov/booking/",
            {"action": "cancel_and_tell", "_selected_action": [booking.pk]},
            follow=True,
        )

    assert "Скасовано: 1." in text(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert LogEntry.objects.get(object_id=str(booking.pk)).user == librarian_a
    assert mail.outbox[0].to == ["petro@example.org"]
    assert mail.outbox[0].subject == "Бібліотека скасувала ваш запис на консультацію"
    assert "Цього дня бібліотека зачинена: Ремонт даху." in mail.outbox[0].body
    assert "/e-services/slots/" in mail.outbox[0].body


def test_a_booked_slot_s_time_cannot_be_moved_and_a_series_cannot_start_in_the_past(
    client, branch_a, librarian_a
):
    booking = BookingFactory(slot=SlotFactory(branch=branch_a))
    client.force_login(librarian_a)

    change = client.get(f"/admin/egov/slot/{booking.slot.pk}/change/")
    series = client.post(
        "/admin/egov/slot/series/",
        {
            "branch": branch_a.pk,
            "kind": "diia",
            "weekday": "1",
            "start": "10:00",
            "end": "13:00",
            "minutes": "30",
            "first_day": (timezone.localdate() - timedelta(days=7)).strftime("%d.%m.%Y"),
            "weeks": "1",
        },
    )

    form = change.context["adminform"].form
    assert "starts_at" not in form.fields
    assert "Розклад публікують від сьогодні або пізніше." in text(series)
    assert Slot.objects.count() == 1
