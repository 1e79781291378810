"""What the event pages show besides the model: schema.org JSON-LD, map and share links."""

from datetime import UTC
from urllib.parse import quote, urlencode

from django.utils.formats import time_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.structured_data import json_ld_script
from events.models import Club, Event

SCHEMA_STATUS = {
    Event.Status.PUBLISHED: "https://schema.org/EventScheduled",
    Event.Status.HELD: "https://schema.org/EventScheduled",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
    Event.Status.DRAFT: "https://schema.org/EventScheduled",
}


def json_ld(event, *, url, branch_url, image_url):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": SCHEMA_STATUS[event.status],
        "url": url,
        "organizer": {
            "@type": "Library",
            "name": event.branch.name,
            "url": branch_url,
        },
        "isAccessibleForFree": True,
    }
    if event.description:
        data["description"] = event.description
    data["image"] = [image_url]
    if event.is_online:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": url}
    else:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        place = {
            "@type": "Place",
            "name": event.branch.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.venue or event.branch.address,
                "addressLocality": "Луцьк",
                "postalCode": event.branch.postal_code,
                "addressCountry": "UA",
            },
        }
        if event.branch.latitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(event.branch.latitude),
                "longitude": float(event.branch.longitude),
            }
        data["location"] = place
    offer = {"@type": "Offer", "price": "0", "priceCurrency": "UAH", "url": url}
    if event.registration_required:
        left = event.seats_open
        open_now = event.registration_refusal() is None
        if not open_now:
            offer["availability"] = (
                "https://schema.org/SoldOut" if left == 0 else ("https://schema.org/Discontinued")
            )
        elif left == 0:
            offer["availability"] = "https://schema.org/SoldOut"
        elif left is not None and left <= 5:
            offer["availability"] = "https://schema.org/LimitedAvailability"
        else:
            offer["availability"] = "https://schema.org/InStock"
        offer["validThrough"] = event.closes_at.isoformat()
    else:
        offer["availability"] = "https://schema.org/InStock"
    data["offers"] = offer
    return json_ld_script(data)


def map_url(event):
    branch = event.branch
    if event.is_online or branch.latitude is None:
        return ""
    return "https://www.openstreetmap.org/?" + urlencode(
        {"mlat": branch.latitude, "mlon": branch.longitude, "zoom": 17}
    )


def google_calendar_url(event, *, url):
    """Google Calendar's "add event" form filled in; readers without an .ics-aware app use it."""
    stamp = "%Y%m%dT%H%M%SZ"
    dates = f"{event.starts_at.astimezone(UTC):{stamp}}/{event.ends_at.astimezone(UTC):{stamp}}"
    location = (
        str(event.place_label) if event.is_online else f"{event.branch.name}, {event.place_label}"
    )
    return "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": dates,
            "details": url,
            "location": location,
            "ctz": "Europe/Kyiv",
        }
    )


def share_links(event, *, url):
    text = quote(event.title)
    target = quote(url, safe="")
    return [
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={target}"),
        ("Telegram", f"https://t.me/share/url?url={target}&text={text}"),
        ("Viber", f"viber://forward?text={text}%20{target}"),
        ("X", f"https://x.com/intent/post?url={target}&text={text}"),
    ]


def _weekday_names():
    return [
        _("понеділок"),
        _("вівторок"),
        _("середа"),
        _("четвер"),
        _("пʼятниця"),
        _("субота"),
        _("неділя"),
    ]


def club_weekdays(club):
    names = _weekday_names()
    return [names[day] for day in sorted(set(club.weekdays)) or [club.starts_on.weekday()]]


def club_schedule(club):
    """«Щотижня: вівторок, четвер, 15:00» — the schedule in one line, as readers say it."""
    days = ", ".join(club_weekdays(club))
    if club.frequency == Club.Frequency.MONTHLY:
        text = _("щомісяця: %(days)s (%(week)s-й тиждень)") % {
            "days": days,
            "week": club.week_of_month or 1,
        }
        if club.week_of_month == -1:
            text = _("щомісяця: %(days)s (останній тиждень)") % {"days": days}
    elif club.interval > 1:
        text = _("кожні %(interval)s тижні: %(days)s") % {"interval": club.interval, "days": days}
    else:
        text = _("щотижня: %(days)s") % {"days": days}
    return f"{capfirst(text)}, {time_format(club.starts_at_time, 'H:i')}"
