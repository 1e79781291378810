from datetime import UTC, date, datetime, time, timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from branches.models import Closure
from events.models import Event
from tests.events.factories import ClubFactory, EventFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    # What RFC 5545 requires and calendar clients check.
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    for component in calendar.walk("VEVENT"):
        assert component.get("UID")
        assert component.get("DTSTAMP")
        assert component.get("DTSTART")
        assert component.errors == []
    return calendar


def test_event_calendar_file_has_the_event_in_utc_and_cancelled_events_say_so(client):
    event = EventFactory(title="Кінопоказ «Тіні забутих предків»")
    cancelled = EventFactory(status=Event.Status.CANCELLED)

    calendar = parse_calendar(client.get(reverse("events:event_ics", args=[event.pk])))
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Кінопоказ «Тіні забутих предків»"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent["STATUS"]) == "CONFIRMED"

    other = parse_calendar(client.get(reverse("events:event_ics", args=[cancelled.pk])))
    assert str(other.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_club_calendar_repeats_weekly_in_kyiv_time_without_skipped_dates(client):
    starts_on = date(2026, 9, 1)  # a Tuesday
    club = ClubFactory(
        weekdays=[1, 3], starts_on=starts_on, ends_on=date(2027, 5, 31), starts_at_time=time(18)
    )
    club.exceptions.create(date=date(2026, 12, 29))

    calendar = parse_calendar(client.get(reverse("events:ical_club", args=[club.slug])))

    (vevent,) = calendar.walk("VEVENT")
    rule = vevent["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["TU", "TH"]
    assert rule["UNTIL"][0] == datetime(2027, 5, 31, 15, 0, tzinfo=UTC)
    start = vevent.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Kyiv"
    assert (start.date(), start.time()) == (starts_on, time(18))
    exdates = [moment.dt for moment in vevent["EXDATE"].dts]
    assert [(d.date(), d.time()) for d in exdates] == [(date(2026, 12, 29), time(18))]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Kyiv"]
    # The page and the month view agree: 18:00 in winter and in summer time alike.
    meetings = club.meetings_between(
        timezone.make_aware(datetime(2026, 12, 28)), timezone.make_aware(datetime(2027, 4, 3))
    )
    assert all(timezone.localtime(moment).time() == time(18) for moment in meetings)
    assert date(2026, 12, 29) not in {timezone.localtime(m).date() for m in meetings}


def test_monthly_club_repeats_on_the_nth_weekday():
    club = ClubFactory(
        frequency="monthly", weekdays=[5], week_of_month=-1, starts_on=date(2026, 1, 1)
    )

    meetings = club.meetings_between(
        timezone.make_aware(datetime(2026, 1, 1)), timezone.make_aware(datetime(2026, 4, 1))
    )

    assert [timezone.localtime(m).date() for m in meetings] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 28),
    ]


def test_network_and_library_calendars_hold_events_and_clubs_of_their_scope(client, network):
    EventFactory(title="У філії А", branch=network["a"])
    EventFactory(title="У філії Б", branch=network["b"])
    EventFactory(title="Чернетка", branch=network["a"], status=Event.Status.DRAFT)
    ClubFactory(name="Клуб філії А", branch=network["a"])

    everything = parse_calendar(client.get(reverse("events:ical")))
    library = parse_calendar(client.get(reverse("events:ical_branch", args=[network["a"].slug])))

    def summaries(calendar):
        return {str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")}

    assert summaries(everything) == {"У філії А", "У філії Б", "Клуб філії А"}
    assert summaries(library) == {"У філії А", "Клуб філії А"}


def test_atom_feed_lists_newly_published_events_first(client):
    older = EventFactory(title="Давня новина", published_at=timezone.now() - timedelta(days=3))
    EventFactory(title="Свіжа новина")
    EventFactory(title="Чернетка", status=Event.Status.DRAFT, published_at=None)

    response = client.get(reverse("events:feed"))

    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["Свіжа новина", "Давня новина"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    assert links[1].endswith(older.get_absolute_url())


def test_club_calendar_leaves_out_days_the_library_is_closed(client):
    club = ClubFactory(
        weekdays=[1], starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31), starts_at_time=time(18)
    )
    Closure.objects.create(
        branch=None,
        kind=Closure.Kind.SANITARY,
        start_date=date(2026, 11, 24),
        end_date=date(2026, 11, 24),
    )
    Closure.objects.create(
        branch=club.branch,
        kind=Closure.Kind.REPAIRS,
        start_date=date(2027, 2, 1),
        end_date=date(2027, 2, 14),
    )

    for url in (reverse("events:ical_club", args=[club.slug]), reverse("events:ical")):
        (vevent,) = [
            v for v in parse_calendar(client.get(url)).walk("VEVENT") if v["SUMMARY"] == club.name
        ]
        exdates = [moment.dt.date() for moment in vevent["EXDATE"].dts]
        assert exdates == [date(2026, 11, 24), date(2027, 2, 2), date(2027, 2, 9)]
