import html
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from events.services import registration_create
from tests.events.factories import ClubFactory, EventFactory, in_days

pytestmark = pytest.mark.django_db


def json_ld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


def registration_data(**overrides):
    data = {
        "name": "Олена Петренко",
        "email": "olena@example.org",
        "phone": "",
        "seats": "1",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_calendar_lists_upcoming_published_and_cancelled_events_but_not_drafts_or_past(client):
    EventFactory(title="Презентація книги")
    EventFactory(title="Скасована зустріч", status=Event.Status.CANCELLED)
    EventFactory(title="Чернетка", status=Event.Status.DRAFT)
    EventFactory(title="Минулий захід", starts_at=in_days(-10), status=Event.Status.HELD)

    response = client.get("/events/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Презентація книги" in content
    assert "Скасована зустріч" in content and "Скасовано" in content
    assert "Чернетка" not in content
    assert "Минулий захід" not in content


def test_calendar_list_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    for _ in range(30):
        EventFactory()
    for _ in range(5):
        ClubFactory(weekdays=[0, 2, 4])

    # Count, page rows, the next page's first event (where this page's days end), clubs,
    # their skipped dates, the closures of their libraries, libraries for the filter, the
    # footer's central library.
    with django_assert_num_queries(8):
        response = client.get("/events/")
    assert response.context["page"].paginator.count == 30
    assert len(response.context["events"]) == 20
    # The last page has no next page to ask about; the footer is cached by the first page.
    with django_assert_num_queries(6):
        client.get("/events/", {"page": 2})


def meeting_days(response):
    return [
        meeting["time"].date() for day in response.context["days"] for meeting in day["meetings"]
    ]


def test_club_meetings_are_listed_on_their_days_once_across_pages_skipped_dates_left_out(client):
    for days in range(1, 26):
        EventFactory(title=f"Захід дня {days}", starts_at=in_days(days, hour=12))
    meeting_day = in_days(3).date()
    ClubFactory(name="Шаховий клуб", weekdays=[meeting_day.weekday()])
    ClubFactory(name="Закритий клуб", weekdays=[meeting_day.weekday()], is_published=False)
    skipped = meeting_day + timedelta(days=7)
    club = ClubFactory(name="Клуб з канікулами", weekdays=[meeting_day.weekday()])
    club.exceptions.create(date=skipped, reason="Канікули")

    first = client.get("/events/")
    second = client.get("/events/", {"page": 2})

    page_one = first.content.decode()
    assert "Зустрічі клубів і шкіл" in page_one and "Шаховий клуб" in page_one
    assert "Закритий клуб" not in page_one
    chess = [
        m["time"].date()
        for d in first.context["days"]
        for m in d["meetings"]
        if m["club"].name == "Шаховий клуб"
    ]
    assert chess == [meeting_day, meeting_day + timedelta(days=7), meeting_day + timedelta(days=14)]
    holidays = [
        m["time"].date() for d in first.context["days"] for m in d["meetings"] if m["club"] == club
    ]
    assert skipped not in holidays and meeting_day in holidays
    assert meeting_day + timedelta(days=21) in meeting_days(second)
    assert not set(meeting_days(first)) & set(meeting_days(second))


def test_the_list_can_leave_out_club_meetings_or_keep_only_schools(client):
    ClubFactory(name="Клуб вишивальниць", weekdays=[0, 1, 2, 3, 4, 5, 6])
    ClubFactory(name="Школа англійської", kind="school", weekdays=[0, 1, 2, 3, 4, 5, 6])

    everything = client.get("/events/").content.decode()
    schools = client.get("/events/", {"kind": "school_lesson"}).content.decode()
    no_meetings = client.get("/events/", {"no_meetings": "on"}).content.decode()

    assert "За цими умовами заходів немає" in everything
    assert "Клуб вишивальниць" in everything and "Школа англійської" in everything
    assert "Школа англійської" in schools and "Клуб вишивальниць" not in schools
    assert "Клуб вишивальниць" not in no_meetings and "Школа англійської" not in no_meetings


def test_calendar_filters_by_library_kind_audience_and_free_seats(client, network):
    EventFactory(title="У філії А", branch=network["a"], kind="workshop", audiences=["families"])
    EventFactory(title="У філії Б", branch=network["b"], kind="film", audiences=["youth"])
    full = EventFactory(title="Повний захід", branch=network["a"], capacity=1)
    registration_create(event=full, name="Іван", email="ivan@example.org")

    def titles(**query):
        response = client.get("/events/", query)
        return {event.title for event in response.context["events"]}

    assert titles(branch=network["a"].slug) == {"У філії А", "Повний захід"}
    assert titles(kind="film") == {"У філії Б"}
    assert titles(audience="families") == {"У філії А"}
    assert "Повний захід" not in titles(free_only="on")


def test_one_click_ranges_pick_the_weekend_and_keep_the_other_filters(client, freeze_now):
    freeze_now(timezone.make_aware(datetime(2026, 11, 25, 12)))  # a Wednesday
    EventFactory(title="Суботній квест", kind="workshop", starts_at=in_days(3, hour=12))
    EventFactory(title="Понеділковий квест", kind="workshop", starts_at=in_days(5, hour=12))
    EventFactory(title="Суботній кінопоказ", kind="film", starts_at=in_days(3, hour=15))

    listing = client.get("/events/", {"kind": "workshop"})
    weekend = next(r for r in listing.context["quick_ranges"] if r["label"] == "Ці вихідні")
    response = client.get("/events/?" + weekend["query"])

    assert "kind=workshop" in weekend["query"]
    assert [event.title for event in response.context["events"]] == ["Суботній квест"]
    assert '<span aria-current="page">Ці вихідні</span>' in response.content.decode()


def test_calendar_date_range_and_a_clear_message_for_a_wrong_range(client):
    EventFactory(title="Через тиждень", starts_at=in_days(7))
    EventFactory(title="Через місяць", starts_at=in_days(30))
    start = timezone.localdate() + timedelta(days=20)

    response = client.get("/events/", {"date_from": start.isoformat()})
    assert {e.title for e in response.context["events"]} == {"Через місяць"}

    response = client.get(
        "/events/", {"date_from": start.isoformat(), "date_to": timezone.localdate().isoformat()}
    )
    assert "раніше за дату «від»" in html.unescape(response.content.decode())


def test_month_view_shows_events_and_club_meetings_except_skipped_dates(client):
    day = timezone.localdate() + timedelta(days=2)
    EventFactory(title="Квест у бібліотеці", starts_at=in_days(2, hour=12))
    club = ClubFactory(name="Шаховий клуб", weekdays=[day.weekday()])
    skipped = day + timedelta(days=7)
    club.exceptions.create(date=skipped, reason="Санітарний день")

    response = client.get(reverse("events:month", args=[day.year, day.month]))

    assert response.status_code == 200
    days = dict(day_entries for week in response.context["weeks"] for day_entries in week)
    assert [entry["title"] for entry in days[day]] == ["Квест у бібліотеці", "Шаховий клуб"]
    if skipped in days:
        assert days[skipped] == []


def test_an_empty_month_says_nothing_matches_instead_of_a_silent_grid(client):
    ClubFactory(name="Шаховий клуб")
    day = timezone.localdate()

    response = client.get(reverse("events:month", args=[day.year, day.month]), {"kind": "film"})

    page = response.content.decode()
    assert "Цього місяця за цими умовами нічого немає" in page
    assert "Шаховий клуб" not in page


def test_event_page_shows_seats_left_map_link_calendar_file_and_json_ld(client, network):
    event = EventFactory(branch=network["a"], capacity=10, title="Зустріч з поетом")
    registration_create(event=event, name="Іван", email="ivan@example.org", seats=3)

    response = client.get(event.get_absolute_url())

    content = response.content.decode()
    assert "7 з 10" in content
    assert "openstreetmap.org" in content
    assert reverse("events:event_ics", args=[event.pk]) in content
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', content).group(1)
    query = parse_qs(urlsplit(html.unescape(google)).query)
    start = event.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert query["text"] == ["Зустріч з поетом"]
    assert query["dates"][0].startswith(start + "/")
    data = json_ld(response)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["geo"]["latitude"] == pytest.approx(50.7574)
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_online_event_page_hides_the_link_and_says_virtual_location_in_json_ld(client):
    event = EventFactory(is_online=True, online_url="https://meet.example.org/secret")

    response = client.get(event.get_absolute_url())

    assert "meet.example.org/secret" not in response.content.decode()
    assert json_ld(response)["location"]["@type"] == "VirtualLocation"


def test_cancelled_event_page_says_so_and_json_ld_agrees(client):
    event = EventFactory(status=Event.Status.CANCELLED)

    response = client.get(event.get_absolute_url())

    assert "Захід скасовано" in response.content.decode()
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"
    assert "Зареєструватися" not in response.content.decode()


def test_draft_event_page_is_not_found(client):
    assert client.get(EventFactory(status=Event.Status.DRAFT).get_absolute_url()).status_code == 404


def test_a_visitor_registers_sees_confirmation_and_cancels_through_the_link(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), registration_data())

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url() + "#main"
    page = client.get(response["Location"])
    assert "Олена Петренко, ваше місце підтверджено. Чекаємо на вас!" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert registration.get_absolute_url() in mail.outbox[0].body

    ticket = f"{registration.pk:06d}"
    assert f"Номер квитка: <strong>{ticket}</strong>" in page.content.decode()
    assert f"Номер квитка: {ticket}" in mail.outbox[0].body
    cancel_url = reverse("events:registration_cancel", args=[registration.token])
    assert cancel_url in page.content.decode()

    question = client.get(cancel_url)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert "Так, скасувати реєстрацію" in question.content.decode()
    assert question["Cache-Control"] == "private, no-store"
    client.post(cancel_url)

    registration.refresh_from_db()
    event.refresh_from_db()
    assert registration.status == "cancelled"
    assert event.seats_left == 1
    assert "Реєстрацію скасовано" in client.get(registration.get_absolute_url()).content.decode()


def test_a_full_event_offers_the_waitlist_on_its_button(client):
    event = EventFactory(capacity=1)
    registration_create(event=event, name="Перша", email="first@example.org")

    page = client.get(event.get_absolute_url()).content.decode()

    assert "Стати в лист очікування" in page
    assert "Усі місця зайняті" in page


def test_a_waitlisted_visitor_sees_their_place_in_the_queue(client):
    event = EventFactory(capacity=1)
    registration_create(event=event, name="Перша", email="first@example.org")

    response = client.post(
        reverse("events:register", args=[event.pk]), registration_data(), follow=True
    )

    assert "номер 1 у черзі" in response.content.decode()


def test_a_form_with_mistakes_keeps_what_was_typed_and_says_what_to_fix(client):
    event = EventFactory()

    response = client.post(
        reverse("events:register", args=[event.pk]),
        registration_data(email="olena-at-example", consent=""),
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert 'value="Олена Петренко"' in content
    assert "Перевірте адресу е-пошти" in content
    assert "Без згоди" in content
    assert not Registration.objects.exists()


def test_registering_twice_with_one_email_is_refused_with_a_message(client):
    event = EventFactory()
    url = reverse("events:register", args=[event.pk])
    client.post(url, registration_data())

    response = client.post(url, registration_data(name="Знову я"))

    assert response.status_code == 409
    assert "уже є реєстрація" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_cancelled_walk_in_event_never_says_just_come(client):
    event = EventFactory(status=Event.Status.CANCELLED, registration_required=False)

    page = client.get(event.get_absolute_url()).content.decode()

    assert "Захід скасовано" in page
    assert "просто приходьте" not in page


def test_a_past_event_says_it_took_place_without_a_form_or_free_seats(client):
    event = EventFactory(starts_at=in_days(-2), capacity=5)

    page = client.get(event.get_absolute_url()).content.decode()

    assert "Захід уже відбувся" in page
    assert "Зареєструватися" not in page
    assert "Вільних місць" not in page


def test_someone_who_left_only_a_phone_is_told_they_will_be_called(client):
    event = EventFactory(capacity=1)
    registration_create(event=event, name="Перша", email="first@example.org")
    waiting = registration_create(event=event, name="Друга", phone="050 123 45 67")

    page = client.get(waiting.get_absolute_url()).content.decode()

    assert "номер 1 у черзі" in page
    assert "вам зателефонують" in page
    assert "напишемо на вашу е-пошту" not in page


def test_closed_registration_shows_why_instead_of_the_form(client):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(hours=1))

    response = client.get(event.get_absolute_url())

    assert "Реєстрацію на цей захід закрито" in response.content.decode()
    assert response.context["form"] is None


def test_bots_filling_the_hidden_field_store_nothing(client):
    event = EventFactory()

    response = client.post(
        reverse("events:register", args=[event.pk]), registration_data(website="spam.example")
    )

    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_too_many_sign_ups_from_one_address_are_slowed_down_keeping_the_form(client):
    event = EventFactory(capacity=None)
    url = reverse("events:register", args=[event.pk])
    for number in range(10):
        client.post(url, registration_data(email=f"p{number}@example.org"))

    response = client.post(url, registration_data(email="eleventh@example.org"))

    assert response.status_code == 429
    assert "eleventh@example.org" in response.content.decode()
    assert Registration.objects.count() == 10


def test_the_english_calendar_is_in_english(client):
    EventFactory()

    response = client.get("/en/events/")

    assert response.status_code == 200
    assert "Library events" in response.content.decode()


def test_clubs_page_and_club_page_with_schedule_and_next_meetings(client):
    club = ClubFactory(name="Школа компʼютерної грамотності", kind="school", weekdays=[0, 2])

    listing = client.get(reverse("events:clubs"))
    page = client.get(club.get_absolute_url())

    assert "Школа компʼютерної грамотності" in listing.content.decode()
    assert "Щотижня: понеділок, середа, 17:00" in listing.content.decode()
    assert "Наступне заняття:" in listing.content.decode()
    assert "Щотижня: понеділок, середа, 17:00" in page.content.decode()
    assert len(page.context["meetings"]) == 6


def test_a_monthly_club_on_the_last_week_says_so_in_words(client):
    club = ClubFactory(frequency="monthly", week_of_month=-1, weekdays=[4])

    page = client.get(club.get_absolute_url()).content.decode()

    assert "Щомісяця: пʼятниця (останній тиждень), 17:00" in page


def test_joining_a_club_is_recorded_once_per_contact(client):
    club = ClubFactory(capacity=5)
    url = reverse("events:club_join", args=[club.slug])

    first = client.post(url, registration_data(), follow=True)
    second = client.post(url, registration_data())

    assert "Ви записалися" in first.content.decode()
    assert second.status_code == 409
    assert club.memberships.count() == 1


def test_a_member_leaves_through_their_own_link_and_may_join_again(client):
    club = ClubFactory()
    url = reverse("events:club_join", args=[club.slug])
    joined = client.post(url, registration_data())
    membership = club.memberships.get()
    assert joined["Location"] == reverse("events:membership", args=[membership.token]) + "#main"

    leave_url = reverse("events:membership_leave", args=[membership.token])
    assert leave_url in client.get(joined["Location"]).content.decode()
    question = client.get(leave_url)
    membership.refresh_from_db()
    assert membership.left_on is None
    assert "Так, вийти зі списку" in question.content.decode()
    page = client.post(leave_url, follow=True)

    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()
    assert "Ви вибули" in page.content.decode()
    assert client.post(url, registration_data()).status_code == 302


def test_clubs_list_and_month_view_run_a_constant_number_of_queries(
    client, django_assert_num_queries
):
    for _ in range(25):
        ClubFactory()
    day = timezone.localdate()

    # Count, page rows, their skipped dates and their libraries' closures (for the next
    # meeting), the footer's central library.
    with django_assert_num_queries(5):
        response = client.get(reverse("events:clubs"))
    assert response.content.decode().count("Щотижня: вівторок, 17:00") == 20
    # Libraries for the filter, events, clubs, their skipped dates, closures (footer cached).
    with django_assert_num_queries(5):
        client.get(reverse("events:month", args=[day.year, day.month]))


def test_the_cancel_link_no_longer_cancels_once_the_event_is_over(client):
    event = EventFactory()
    registration = registration_create(event=event, name="Іра", email="ira@example.org")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.HELD)

    page = client.get(registration.get_absolute_url())
    client.post(registration.get_absolute_url())

    assert "Скасувати реєстрацію" not in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_date_range_ending_before_it_starts_is_pointed_out_and_the_dates_kept(client):
    EventFactory(title="Найближчий захід")

    response = client.get("/events/", {"date_from": "2026-12-10", "date_to": "2026-12-01"})
    content = html.unescape(response.content.decode())

    assert "Дата «до» (01.12.2026) раніше за дату «від» (10.12.2026)" in content
    assert "Дати у фільтрі не застосовано" in content
    assert 'value="2026-12-10"' in content and 'value="2026-12-01"' in content
    assert 'id="id_date_to_error"' in content
    assert "Найближчий захід" in content


def test_an_unreadable_date_is_pointed_out_with_what_was_typed(client):
    response = client.get("/events/", {"date_from": "abc"})
    content = html.unescape(response.content.decode())

    assert "Не вдалося прочитати дату" in content
    assert "ви написали «abc»" in content
    assert 'id="id_date_from_error"' in content


def test_the_club_join_confirmation_does_not_nest_quotes(client):
    club = ClubFactory(name="Книжковий клуб «Прочитане»")

    response = client.post(
        reverse("events:club_join", args=[club.slug]), registration_data(), follow=True
    )
    content = html.unescape(response.content.decode())

    assert "Ми записали вас: Книжковий клуб «Прочитане»." in content
    assert "««" not in content and "»»" not in content


def test_the_month_heading_has_the_month_in_lowercase_after_the_colon(client):
    response = client.get(reverse("events:month", args=[2026, 11]))
    english = client.get("/en/events/2026/11/")

    assert "<h1>Події: листопад 2026</h1>" in response.content.decode()
    assert "<h1>Events: November 2026</h1>" in english.content.decode()
