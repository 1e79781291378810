"""How a branch is shown to people and machines: status text, map markers, JSON-LD."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.structured_data import json_ld_script
from core.tz import KYIV

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def on_weekday(weekday):
    # Ukrainian needs the accusative after «у»; English just "on Monday".
    return [
        pgettext("opens on", "у понеділок"),
        pgettext("opens on", "у вівторок"),
        pgettext("opens on", "у середу"),
        pgettext("opens on", "у четвер"),
        pgettext("opens on", "у пʼятницю"),
        pgettext("opens on", "у суботу"),
        pgettext("opens on", "у неділю"),
    ][weekday]


def when_text(moment, now):
    """«о 10:00», «завтра о 10:00», «у понеділок, 1 грудня, о 10:00»."""
    local = timezone.localtime(moment, KYIV)
    today = timezone.localtime(now, KYIV).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return _("о %(time)s") % {"time": clock}
    if local.date() == today + timedelta(days=1):
        return _("завтра о %(time)s") % {"time": clock}
    return _("%(day)s, %(date)s, о %(time)s") % {
        "day": on_weekday(local.weekday()),
        "date": date_format(local.date(), "j E"),
        "time": clock,
    }


def status_text(status, now=None):
    now = now or timezone.now()
    if status.is_open:
        closes = timezone.localtime(status.closes_at, KYIV)
        return _("Відчинено · зачиняється %(when)s") % {"when": when_text(closes, now)}
    if status.on_break:
        headline = _("Перерва")
    elif status.closure:
        headline = _("Зачинено: %(reason)s") % {"reason": status.closure.label}
    else:
        headline = _("Зачинено")
    if status.opens_at:
        return _("%(headline)s · відчиниться %(when)s") % {
            "headline": headline,
            "when": when_text(status.opens_at, now),
        }
    return headline


def map_markers(branches):
    return [
        {
            "name": branch.name,
            "address": branch.address,
            "url": branch.get_absolute_url(),
            "lat": float(branch.latitude),
            "lng": float(branch.longitude),
        }
        for branch in branches
        if branch.latitude is not None and branch.longitude is not None
    ]


def branch_json_ld(branch, request):
    data = {
        "@context": "https://schema.org",
        "@type": "Library",
        "name": branch.name,
        "url": request.build_absolute_uri(branch.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": branch.address,
            "postalCode": branch.postal_code,
            "addressLocality": "Луцьк",
            "addressCountry": "UA",
        },
        "isAccessibleForFree": True,
        "openingHoursSpecification": [],
    }
    if branch.phone:
        data["telephone"] = branch.phone
    if branch.email:
        data["email"] = branch.email
    if branch.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(branch.latitude),
            "longitude": float(branch.longitude),
        }
    for row in branch.hours.all():
        pieces = (
            [(row.opens, row.break_starts), (row.break_ends, row.closes)]
            if row.has_break
            else [(row.opens, row.closes)]
        )
        for opens, closes in pieces:
            data["openingHoursSpecification"].append(
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[row.weekday]}",
                    "opens": opens.strftime("%H:%M"),
                    "closes": closes.strftime("%H:%M"),
                }
            )
    special = [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": closure.start_date.isoformat(),
            "validThrough": closure.end_date.isoformat(),
            # schema.org's way of saying "closed all day".
            "opens": "00:00",
            "closes": "00:00",
        }
        for closure in branch._closures()
    ]
    if special:
        data["specialOpeningHoursSpecification"] = special
    return json_ld_script(data)
