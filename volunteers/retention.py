"""What volunteering keeps about people, and how it is forgotten (see core.retention)."""

from django.utils.translation import gettext_lazy as _

from core import retention
from volunteers.services import applications_anonymise, deliveries_anonymise

retention.register(
    name="volunteers.applications",
    label=_("анкети волонтерів"),
    anonymise=applications_anonymise,
)
retention.register(
    name="volunteers.deliveries",
    label=_("заявки на доставку книг додому"),
    anonymise=deliveries_anonymise,
)
