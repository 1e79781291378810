"""What the reference service keeps about people, and how it is forgotten (see core.retention)."""

from django.utils.translation import gettext_lazy as _

from core import retention
from reference.services import questions_anonymise

retention.register(
    name="reference.questions",
    label=_("імена та е-пошта читачів у запитаннях «Запитай бібліотекаря»"),
    anonymise=questions_anonymise,
)
