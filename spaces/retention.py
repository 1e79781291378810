"""What bookings of spaces keep about people, and how it is forgotten (see core.retention)."""

from django.utils.translation import gettext_lazy as _

from core import retention
from spaces.services import bookings_anonymise, bookings_forget_person

retention.register(
    name="spaces.bookings",
    label=_("бронювання просторів і компʼютерів"),
    anonymise=bookings_anonymise,
    forget_person=bookings_forget_person,
)
