"""What the e-services help desk keeps about people, and how it is forgotten
(see core.retention)."""

from django.utils.translation import gettext_lazy as _

from core import retention
from egov.services import bookings_anonymise, bookings_forget_person, help_requests_anonymise

retention.register(
    name="egov.help_requests",
    label=_("запити на допомогу з е-послугами"),
    anonymise=help_requests_anonymise,
)
retention.register(
    name="egov.bookings",
    label=_("записи на консультації"),
    anonymise=bookings_anonymise,
    forget_person=bookings_forget_person,
)
