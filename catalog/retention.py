"""What the catalogue keeps about people, and how it forgets it (see core.retention).

Purchase suggestions keep the reader's e-mail for the answer; the search log keeps only what
was typed, but now and then someone types an e-mail address or a phone number into the search
box. Names typed as queries cannot be told from authors' names and stay.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import PurchaseSuggestion, SearchLog
from core import retention

EMAIL = r"[^\s@]+@[^\s@]+\.[^\s@]+"
# A Ukrainian number as people type it: (+38) 0XX XXX XX XX with any spaces, dashes or
# brackets. ISBNs (978…, 966-…) do not fit, so unfound ISBNs stay for acquisitions.
PHONE = r"(\+?3\s*8[\s(-]*)?\(?0[\s-]*\d{2}\)?[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}"


def purchase_suggestions_anonymise(*, before) -> int:
    """The reader's e-mail goes once the suggestion is older than the retention period."""
    return (
        PurchaseSuggestion.objects.filter(created_at__lt=before).exclude(email="").update(email="")
    )


def search_log_anonymise(*, before) -> int:
    """Old queries that hold an e-mail address or a phone number are blanked; the row and its
    hit count stay for the statistics of unsatisfied requests."""
    looks_personal = Q(query__regex=EMAIL) | Q(query__regex=PHONE)
    return (
        SearchLog.objects.filter(created_at__lt=before)
        .filter(looks_personal)
        .update(query=retention.REDACTED, normalized="", filters={})
    )


retention.register(
    name="catalog.purchase_suggestions",
    label=_("пропозиції придбати"),
    anonymise=purchase_suggestions_anonymise,
)
retention.register(
    name="catalog.search_log",
    label=_("журнал пошуку"),
    anonymise=search_log_anonymise,
)
