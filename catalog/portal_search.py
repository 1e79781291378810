"""The catalogue's part of the portal's search box (core.portal_search): the catalogue's own
search (`catalog.search.search_records`) as the catalogue page runs it, without its log."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog import search as engine
from catalog.presentation import for_listing
from core.portal_search import Found, Hit, SearchSection, register, with_query


def find_records(query: str, limit: int) -> Found:
    """Two queries after the search's own: the count of the matches and the first few."""
    records = engine.search_records(query=query).records
    count = records.count()
    hits = [
        Hit(
            title=record.title,
            url=record.get_absolute_url(),
            detail=" · ".join(
                part
                for part in ("; ".join(record.author_names or []), str(record.year or ""))
                if part
            ),
        )
        for record in (for_listing(records)[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def register_section() -> None:
    register(
        SearchSection(
            key="catalog",
            title=_("Книги й інші документи"),
            find=find_records,
            more_url=lambda query: with_query(reverse("catalog:search"), query),
            order=10,
        )
    )
