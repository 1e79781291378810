"""What events keep about people, and how it is forgotten (see core.retention)."""

from django.utils.translation import gettext_lazy as _

from core import retention
from events.services import (
    club_members_anonymise,
    club_members_forget_person,
    partner_contacts_anonymise,
    registrations_anonymise,
    registrations_forget_person,
)

retention.register(
    name="events.registrations",
    label=_("реєстрації на заходи"),
    anonymise=registrations_anonymise,
    forget_person=registrations_forget_person,
)
retention.register(
    name="events.club_members",
    label=_("учасники клубів"),
    anonymise=club_members_anonymise,
    forget_person=club_members_forget_person,
)
retention.register(
    name="events.partner_contacts",
    label=_("контактні особи партнерів"),
    anonymise=partner_contacts_anonymise,
)
