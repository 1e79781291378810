"""What accounts keeps about readers, and how it is forgotten (see core.retention).

A reader who left (closed the account, or marked «вибув» by the desk) loses name, contacts
and guardian; category, home library and dates stay for 6-НК. Closing the account online
runs the same anonymisation at once (accounts.services.reader_close).
"""

from django.utils.translation import gettext_lazy as _

from accounts.services import readers_anonymise, user_forget_person
from core import retention

retention.register(
    name="accounts.readers",
    label=_("читачі, що вибули"),
    anonymise=readers_anonymise,
    forget_person=user_forget_person,
)
