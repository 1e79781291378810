"""The portal's one search box (/search/): one query over every section, results by kind.

core may not import the apps, so each app registers what it can find from its
`AppConfig.ready()` (its `<app>/portal_search.py`), the way sections of «Мій формуляр» do:

    register(SearchSection(key="events", title=_("Події"), find=find_events,
                           more_url=events_url, order=30))

`find(query, limit)` returns a `Found`: how many the section's own search finds for the query
and the first `limit` of them, in a constant number of queries. It must use the same search
as the section's own page, so that the count on /search/ is what `more_url(query)` shows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

# Long enough for a title; a longer query is refused with a message, not searched.
QUERY_MAX = 200
# Hits shown per kind; the rest are one link away, in the section's own search.
PER_KIND = 5

_registry: dict[str, "SearchSection"] = {}


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Found:
    count: int
    hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class SearchSection:
    key: str
    title: str
    find: Callable[[str, int], Found]
    more_url: Callable[[str], str]
    order: int = 100


@dataclass(frozen=True)
class SectionResult:
    section: SearchSection
    found: Found
    more_url: str


def register(section: SearchSection) -> None:
    """Add a section; registering the same key again replaces it (module reloads)."""
    _registry[section.key] = section


def unregister(key: str) -> None:
    _registry.pop(key, None)


def sections() -> list[SearchSection]:
    return sorted(_registry.values(), key=lambda section: (section.order, section.key))


def search_everywhere(query: str, *, limit: int = PER_KIND) -> list[SectionResult]:
    """Every registered section's hits for the query, in the sections' order."""
    return [
        SectionResult(
            section=section, found=section.find(query, limit), more_url=section.more_url(query)
        )
        for section in sections()
    ]


def with_query(url: str, query: str, **params) -> str:
    """A section's list URL with the query carried over (`?q=…`)."""
    return f"{url}?{urlencode({'q': query, **params})}"


class PortalSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Пошук на порталі"),
        required=False,
        max_length=QUERY_MAX,
        error_messages={
            "max_length": _("Запит задовгий: напишіть до %(limit_value)d знаків."),
        },
    )

    def query(self) -> str:
        """The valid query with its spaces tidied, or "" (nothing asked or not valid)."""
        if not self.is_valid():
            return ""
        return " ".join(self.cleaned_data["q"].split())
