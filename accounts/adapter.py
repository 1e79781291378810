"""django-allauth, fitted to the portal: its mail goes through the one mail path (core.mail:
outbox, after commit, in the recipient's language) with our own texts."""

from allauth.account.adapter import DefaultAccountAdapter
from django.db import models
from django.template.loader import select_template
from django.utils import translation

# allauth's message → ours (accounts/templates/accounts/email/<name>.txt and _subject.txt).
# A message we have no text for gets the general notice rather than allauth's English.
TEMPLATES = {
    "account/email/email_confirmation_signup": "accounts/email/email_confirmation",
    "account/email/email_confirmation": "accounts/email/email_confirmation",
    "account/email/password_reset_key": "accounts/email/password_reset_key",
    "account/email/unknown_account": "accounts/email/unknown_account",
}
NOTICE = "accounts/email/notice"


class ReaderAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from core.mail import mail_send

        template = TEMPLATES.get(template_prefix, NOTICE)
        select_template([f"{template}.txt"])  # a missing text fails here, not in the worker
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        mail_send(
            to=email,
            template=template,
            context={key: value for key, value in context.items() if _storable(value)},
            language=(language or "uk")[:2],
        )

    def save_user(self, request, user, form, commit=True):
        # Mail about the account goes out in the language the reader signed up in.
        user.preferred_language = (translation.get_language() or "uk")[:2]
        return super().save_user(request, user, form, commit=commit)


def _storable(value) -> bool:
    if isinstance(value, models.Model):
        return value.pk is not None
    return isinstance(value, str | int | bool) and not isinstance(value, models.Model)
