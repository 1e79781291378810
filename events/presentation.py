"""What the event pages show besides the model: schema.org JSON-LD, map and share links."""

import json
from urllib.parse import quote, urlencode

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events.models import Event

SCHEMA_STATUS = {
    Event.Status.PUBLISHED: "https://schema.org/EventScheduled",
    Event.Status.HELD: "https://schema.org/EventScheduled",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
    Event.Status.DRAFT: "https://schema.org/EventScheduled",
}


def json_ld(event, *, url, branch_url):
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
        left = event.seats_left
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
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def map_url(event):
    branch = event.branch
    if event.is_online or branch.latitude is None:
        return ""
    return "https://www.openstreetmap.org/?" + urlencode(
        {"mlat": branch.latitude, "mlon": branch.longitude, "zoom": 17}
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
