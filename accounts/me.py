"""«Мій формуляр» (/me/): one page for what the reader has with every part of the portal.

accounts may not import the domain apps, so each of them registers its own section from its
`AppConfig.ready()` (its `<app>/me.py`):

    register(MeSection(key="events", title=_("Мої реєстрації"),
                       template="events/_me_registrations.html",
                       context=registrations_context, order=30, export=registrations_export))

`context(request, reader_profile)` returns what the partial needs in a constant number of
queries (however many rows the reader has); `export(user)` is the section's part of
/me/data.json. Sections show in `order`, then by key.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

_registry: dict[str, "MeSection"] = {}


@dataclass(frozen=True)
class MeSection:
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest, object], dict]
    order: int = 100
    export: Callable[[object], dict] | None = None


def register(section: MeSection) -> None:
    """Add a section; registering the same key again replaces it (module reloads)."""
    _registry[section.key] = section


def unregister(key: str) -> None:
    _registry.pop(key, None)


def sections() -> list[MeSection]:
    return sorted(_registry.values(), key=lambda section: (section.order, section.key))


def verified_emails(request) -> list[str]:
    """The signed-in reader's verified e-mail addresses (allauth), read once per request: the
    sections that match records by e-mail share one query."""
    cached = getattr(request, "_me_verified_emails", None)
    if cached is None:
        from allauth.account.models import EmailAddress

        user = request.user
        cached = (
            list(
                EmailAddress.objects.filter(user=user, verified=True).values_list(
                    "email", flat=True
                )
            )
            if user.is_authenticated
            else []
        )
        request._me_verified_emails = cached
    return cached


def verified_emails_of(user) -> list[str]:
    from allauth.account.models import EmailAddress

    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
