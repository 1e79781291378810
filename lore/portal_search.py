"""The local-lore index in the portal's search box (core.portal_search): people and places
found as their own lists find them (`matching`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import localized
from core.portal_search import Found, Hit, SearchSection, register, with_query
from lore.models import Figure, Place


def find_people(query: str, limit: int) -> Found:
    people = Figure.objects.published().matching(query)
    count = people.count()
    hits = [
        Hit(title=localized(person, "name"), url=person.get_absolute_url(), detail=person.dates)
        for person in (people.only("name", "name_en", "slug", "dates")[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def find_places(query: str, limit: int) -> Found:
    places = Place.objects.published().matching(query)
    count = places.count()
    hits = [
        Hit(
            title=localized(place, "name"),
            url=place.get_absolute_url(),
            detail=place.get_kind_display(),
        )
        for place in (places.only("name", "name_en", "slug", "kind")[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def register_sections() -> None:
    register(
        SearchSection(
            key="lore_people",
            title=_("Краєзнавство: персоналії"),
            find=find_people,
            more_url=lambda query: with_query(reverse("lore:people"), query),
            order=15,
        )
    )
    register(
        SearchSection(
            key="lore_places",
            title=_("Краєзнавство: місця"),
            find=find_places,
            more_url=lambda query: with_query(reverse("lore:places"), query),
            order=16,
        )
    )
