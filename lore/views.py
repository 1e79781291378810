"""Public pages of the local-lore section: the landing (people, places, the latest articles,
then the search of the local-lore collection), the alphabetical lists of people and places,
and a page for each with the catalogue's works by and about them. Each page runs a fixed
number of queries whatever the size of the index or the catalogue."""

from itertools import groupby

from django.db.models import Value
from django.db.models.functions import Coalesce, Collate, NullIf
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language

from catalog.presentation import for_listing, latest_local_lore_analytics
from core.i18n import localized
from core.pagination import page_of, query_without_page
from lore.forms import PeopleFilterForm, PlacesFilterForm
from lore.models import Figure, Place

LANDING_PEOPLE = 12
LANDING_PLACES = 12
LANDING_ARTICLES = 8
LIST_PAGE_SIZE = 100
WORKS_SHOWN = 30

_PERSON_COLUMNS = (
    "name",
    "name_en",
    "slug",
    "dates",
    "dates_en",
    "is_local_writer",
    "photo",
    "photo_alt",
)
_PLACE_COLUMNS = ("name", "name_en", "slug", "kind")


def _alphabetical(queryset):
    """In Ukrainian alphabetical order of the names; on English pages by the English name
    where there is one, so that the letters of the list follow what is shown (Latin letters
    first, by code point: the Ukrainian collation puts Cyrillic first)."""
    if get_language() == "en":
        shown = Coalesce(NullIf("name_en", Value("")), "name")
        return queryset.order_by(Collate(shown, "C"), "id")
    return queryset


def _by_letter(rows, field):
    """[(letter, [rows])] for an alphabetical list, the letter of the name as shown."""
    return [
        (letter, list(group))
        for letter, group in groupby(rows, key=lambda row: (localized(row, field)[:1]).upper())
    ]


def landing(request):
    if request.GET:
        # The old address of the local-lore search: its links (?q=…) still find the books.
        return HttpResponseRedirect(f"{reverse('catalog:local_lore')}?{request.GET.urlencode()}")
    people = Figure.objects.published().only(*_PERSON_COLUMNS)
    return render(
        request,
        "lore/landing.html",
        {
            "people": list(people.order_by("-is_local_writer", "name", "id")[:LANDING_PEOPLE]),
            "places": list(Place.objects.published().only(*_PLACE_COLUMNS)[:LANDING_PLACES]),
            "articles": latest_local_lore_analytics(LANDING_ARTICLES),
        },
    )


def people_list(request):
    form = PeopleFilterForm(request.GET or None)
    people = Figure.objects.published().only(*_PERSON_COLUMNS)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            people = people.matching(query)
        if form.cleaned_data["writers"]:
            people = people.local_writers()
    page = page_of(request, _alphabetical(people), per_page=LIST_PAGE_SIZE)
    return render(
        request,
        "lore/figure_list.html",
        {
            "form": form,
            "page": page,
            "letters": _by_letter(page.object_list, "name"),
            "search_query": query,
            "query": query_without_page(request),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def places_list(request):
    form = PlacesFilterForm(request.GET or None)
    places = Place.objects.published().only(*_PLACE_COLUMNS)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            places = places.matching(query)
        if form.cleaned_data["kind"]:
            places = places.filter(kind=form.cleaned_data["kind"])
    page = page_of(request, _alphabetical(places), per_page=LIST_PAGE_SIZE)
    return render(
        request,
        "lore/place_list.html",
        {
            "form": form,
            "page": page,
            "letters": _by_letter(page.object_list, "name"),
            "search_query": query,
            "query": query_without_page(request),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _works(records):
    """(the first WORKS_SHOWN records as cards, how many there are): two queries."""
    count = records.count()
    shown = list(for_listing(records).order_by("-year", "title")[:WORKS_SHOWN]) if count else []
    return shown, count


def person_detail(request, slug):
    person = get_object_or_404(Figure.objects.published(), slug=slug)
    works_by, works_by_count = _works(person.works_by())
    works_about, works_about_count = _works(person.works_about())
    return render(
        request,
        "lore/figure_detail.html",
        {
            "person": person,
            "works_by": works_by,
            "works_by_count": works_by_count,
            "works_about": works_about,
            "works_about_count": works_about_count,
        },
    )


def place_detail(request, slug):
    place = get_object_or_404(Place.objects.published(), slug=slug)
    works_about, works_about_count = _works(place.works_about())
    return render(
        request,
        "lore/place_detail.html",
        {"place": place, "works_about": works_about, "works_about_count": works_about_count},
    )
