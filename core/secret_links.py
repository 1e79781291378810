"""Pages reached by a secret link (a registration, a club membership, a booking, a volunteer's
own page): one way to make the token, to look it up and to keep the page private.

Whoever holds the address sees the page, so the address must not leak: no shared cache keeps
it (`Cache-Control: private, no-store`), no search engine lists it (`X-Robots-Tag: noindex`),
no other site learns it from the Referer (`Referrer-Policy: same-origin`). A token that cannot
be one of ours (a NUL byte, which PostgreSQL refuses with an error, the wrong length, other
characters) is a 404 before the database is asked.
"""

import re
import secrets
from functools import wraps

from django.http import Http404

# secrets.token_urlsafe() gives 32 (24 bytes) to 43 (32 bytes) of these; the columns hold 64.
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "same-origin",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def secret_get_or_404(queryset, *, token, field: str = "token"):
    """The one row of `queryset` whose `field` is `token`; Http404 for junk or no match."""
    if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
        raise Http404
    found = queryset.filter(**{field: token}).first()
    if found is None:
        raise Http404
    return found


def secret_link_page(view):
    """Marks every response of a view reached by a secret link as private and unindexed
    (redirects and downloads included: their addresses carry the token too)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        for header, value in PRIVATE_HEADERS.items():
            response[header] = value
        return response

    return wrapper
