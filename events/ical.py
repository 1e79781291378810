"""iCalendar (RFC 5545) for calendar clients: single events, and clubs as recurring events.

Club meetings are one VEVENT with an RRULE and EXDATEs for skipped dates and days the library
is closed, written in Europe/Kyiv local time with a VTIMEZONE, so that a 18:00 meeting stays at
18:00 across the change to summer time.
"""

from datetime import UTC, date, datetime, time

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from core.calendars import organizer
from core.tz import KYIV
from events.models import Club, Event

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UID_DOMAIN = "lutsk-cbs"


def calendar(name):
    cal = Calendar()
    cal.add("prodid", "-//CBS Lutsk//Events//UK")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Kyiv")
    return cal


def event_component(event: Event):
    vevent = VEvent()
    vevent.add("uid", f"event-{event.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", event.title)
    if event.description:
        vevent.add("description", event.description)
    vevent.add("location", _event_location(event))
    vevent.add("organizer", organizer(name=event.branch.name, email=event.branch.email))
    vevent.add("url", settings.SITE_URL + event.get_absolute_url())
    vevent.add("categories", [event.get_kind_display()])
    vevent.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    return vevent


def _event_location(event):
    if event.is_online:
        return str(event.place_label)
    parts = [event.branch.name, event.venue or event.branch.address, "Луцьк"]
    return ", ".join(part for part in parts if part)


def club_component(club: Club):
    start = datetime.combine(club.starts_on, club.starts_at_time, tzinfo=KYIV)
    first = next(iter(club.rule()), None)
    if first is not None:
        start = first.replace(tzinfo=KYIV)
    vevent = VEvent()
    vevent.add("uid", f"club-{club.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", timezone.now().astimezone(UTC).replace(microsecond=0))
    vevent.add("dtstart", start)
    vevent.add("dtend", start + club.duration)
    vevent.add("summary", club.name)
    if club.description:
        vevent.add("description", club.description)
    location = [club.branch.name, club.venue or club.branch.address, "Луцьк"]
    vevent.add("location", ", ".join(part for part in location if part))
    vevent.add("organizer", organizer(name=club.branch.name, email=club.branch.email))
    vevent.add("url", settings.SITE_URL + club.get_absolute_url())
    vevent.add("rrule", _recurrence(club))
    skipped = sorted(club.skipped_dates() | _closed_meeting_days(club))
    if skipped:
        vevent.add(
            "exdate", [datetime.combine(day, club.starts_at_time, tzinfo=KYIV) for day in skipped]
        )
    return vevent


def _closed_meeting_days(club):
    """Days a meeting would fall on while the club's library (or the network) is closed."""
    rule = club.rule()
    days = set()
    for closure in club.closures(club.starts_on, club.ends_on or date.max):
        first = datetime.combine(closure.start_date, time.min)
        last = datetime.combine(closure.end_date, time.max)
        days.update(moment.date() for moment in rule.between(first, last, inc=True))
    return days


def _recurrence(club):
    days = sorted(set(club.weekdays)) or [club.starts_on.weekday()]
    rule = {"interval": club.interval}
    if club.frequency == Club.Frequency.MONTHLY:
        rule["freq"] = "MONTHLY"
        rule["byday"] = [f"{club.week_of_month or 1}{DAY_CODES[day]}" for day in days]
    else:
        rule["freq"] = "WEEKLY"
        rule["byday"] = [DAY_CODES[day] for day in days]
    if club.ends_on:
        # With a local DTSTART, UNTIL must be in UTC (RFC 5545, 3.3.10).
        until = datetime.combine(club.ends_on, club.starts_at_time, tzinfo=KYIV)
        rule["until"] = until.astimezone(UTC)
    return vRecur(rule)


def response(cal, filename):
    cal.add_missing_timezones()
    result = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    result["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "events"}.ics"'
    return result
