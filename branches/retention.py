"""What library tourism keeps about people, and how it is forgotten (see core.retention)."""

from django.utils.translation import gettext_lazy as _

from branches.services import tour_requests_anonymise, tour_requests_forget_person
from core import retention

retention.register(
    name="branches.tour_requests",
    label=_("контакти в заявках на екскурсії"),
    anonymise=tour_requests_anonymise,
    forget_person=tour_requests_forget_person,
)
