"""What every iCalendar file of the portal shares (events, clubs, e-services bookings)."""

from email.utils import parseaddr

from django.conf import settings
from icalendar import vCalAddress


def organizer(*, name: str, email: str = "") -> vCalAddress:
    """ORGANIZER of a VEVENT (RFC 5546 requires one under METHOD:PUBLISH; libical rejects a
    file without it): the library's address, or the portal's when the library has none."""
    address = vCalAddress(f"mailto:{email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    address.params["cn"] = name
    return address
