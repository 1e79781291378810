"""The help desk's part of the portal's search box (core.portal_search): the guides' own
search, typos put right as the guide list does when nothing is found."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.portal_search import Found, Hit, SearchSection, register, with_query
from egov.search import corrected_query, search_guides


def find_guides(query: str, limit: int) -> Found:
    guides = search_guides(query)
    count = guides.count()
    if not count:
        corrected = corrected_query(query)
        if corrected:
            guides = search_guides(corrected)
            count = guides.count()
    hits = [
        Hit(
            title=guide.title,
            url=guide.get_absolute_url(),
            detail=guide.topic.name if guide.topic else "",
        )
        for guide in (guides[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def register_section() -> None:
    register(
        SearchSection(
            key="egov",
            title=_("Інструкції з е-послуг"),
            find=find_guides,
            more_url=lambda query: with_query(reverse("egov:guides"), query),
            order=40,
        )
    )
