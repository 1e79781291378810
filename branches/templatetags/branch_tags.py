from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from branches.presentation import status_text, when_text
from core.i18n import is_untranslated

register = template.Library()


@register.filter
def open_status(status):
    text = status_text(status)
    closure = status.closure
    if closure and is_untranslated(closure, "reason"):
        # «Closed: Різдво Христове · opens …»: the librarian's words have no English version.
        before, found, after = text.partition(closure.reason)
        if found:
            return format_html('{}<span lang="uk">{}</span>{}', before, found, after)
    return text


def _opens_key(row):
    _branch, status = row
    return (status.opens_at is None, status.opens_at or timezone.now())


@register.filter
def by_next_opening(rows):
    """(branch, status) pairs, the library that opens soonest first; never-opening ones last."""
    return sorted(rows, key=_opens_key)


@register.simple_tag
def next_to_open(rows):
    """The (branch, status) pair that opens soonest, for the empty «open now» list."""
    upcoming = [row for row in by_next_opening(rows) if row[1].opens_at]
    return upcoming[0] if upcoming else None


@register.filter
def opening_when(status):
    return when_text(status.opens_at, timezone.now()) if status and status.opens_at else ""


@register.filter
def closure_label(closure):
    """The closure's reason in the page's language; a Ukrainian reason with no English version is
    marked `lang="uk"` on English pages (the kind's label is translated)."""
    if is_untranslated(closure, "reason"):
        return format_html('<span lang="uk">{}</span>', closure.reason)
    return closure.label


@register.filter
def closure_labels(closures):
    """Several closures on the same dates as one line: «Санітарний день; Різдво Христове»."""
    return format_html_join("; ", "{}", ((closure_label(closure),) for closure in closures))
