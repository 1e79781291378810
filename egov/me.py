"""The reader's consultation bookings in «Мій формуляр» (accounts.me). Bookings carry no
account, so they are matched by the reader's verified e-mail addresses."""

import operator
from functools import reduce

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.me import MeSection, register, verified_emails, verified_emails_of
from egov.models import Booking


def bookings_context(request, profile):
    emails = verified_emails(request)
    if not emails:
        return {"bookings": []}
    bookings = (
        Booking.objects.filter(
            _email_in(emails),
            status=Booking.Status.BOOKED,
            slot__starts_at__gte=timezone.now(),
        )
        .select_related("slot", "slot__branch")
        .order_by("slot__starts_at")
    )
    return {"bookings": list(bookings)}


def _email_in(emails):
    return reduce(operator.or_, (Q(email__iexact=email) for email in emails))


def bookings_export(user):
    emails = verified_emails_of(user)
    if not emails:
        return {"bookings": []}
    bookings = Booking.objects.filter(_email_in(emails)).select_related("slot")
    return {
        "bookings": [
            {
                "starts_at": booking.slot.starts_at.isoformat(),
                "status": booking.status,
                "name": booking.name,
                "email": booking.email,
                "phone": booking.phone,
                "note": booking.note,
            }
            for booking in bookings
        ]
    }


def register_sections():
    register(
        MeSection(
            key="egov",
            title=_("Мої консультації в центрі е-послуг"),
            template="egov/_me_bookings.html",
            context=bookings_context,
            order=50,
            export=bookings_export,
        )
    )
