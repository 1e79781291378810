"""The reader's volunteer application and personal page in «Мій формуляр» (accounts.me).
Applications carry no account, so they are matched by the reader's verified e-mail."""

import operator
from functools import reduce

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.me import MeSection, register, verified_emails, verified_emails_of
from volunteers.models import Application


def _email_in(emails):
    return reduce(operator.or_, (Q(email__iexact=email) for email in emails))


def application_context(request, profile):
    emails = verified_emails(request)
    if not emails:
        return {"applications": []}
    applications = Application.objects.filter(_email_in(emails)).order_by("-pk")
    return {"applications": list(applications)}


def application_export(user):
    emails = verified_emails_of(user)
    if not emails:
        return {"applications": []}
    return {
        "applications": [
            {
                "name": application.name,
                "email": application.email,
                "phone": application.phone,
                "birth_year": application.birth_year,
                "interests": list(application.interests),
                "status": application.status,
            }
            for application in Application.objects.filter(_email_in(emails))
        ]
    }


def register_sections():
    register(
        MeSection(
            key="volunteers",
            title=_("Волонтерство"),
            template="volunteers/_me_application.html",
            context=application_context,
            order=60,
            export=application_export,
        )
    )
