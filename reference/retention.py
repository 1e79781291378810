"""What the reference service keeps about people, and how it is forgotten (see core.retention).

Readers' feedback and survey answers (Feedback, SurveyResponse, SurveyAnswer) are anonymous:
no name, address or account is asked or stored (one answer per browser is kept by a signed
cookie in the reader's browser, not on the server), so they have nothing to forget. A text
answer a reader typed stays as typed; staff see it only for their own library's surveys."""

from django.utils.translation import gettext_lazy as _

from core import retention
from reference.services import questions_anonymise

retention.register(
    name="reference.questions",
    label=_("імена та е-пошта читачів у запитаннях «Запитай бібліотекаря»"),
    anonymise=questions_anonymise,
)
