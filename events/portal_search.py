"""Events and clubs in the portal's search box (core.portal_search): the same filters as the
calendar's «Назва або тема» (upcoming events) and the clubs page's search."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.portal_search import Found, Hit, SearchSection, register, with_query
from events.models import Club, Event


def find_events(query: str, limit: int) -> Found:
    """Upcoming events, soonest first, as the calendar lists them."""
    events = (
        Event.objects.public()
        .matching(query)
        .upcoming()
        .select_related("branch")
        .order_by("starts_at", "pk")
    )
    count = events.count()
    hits = [
        Hit(
            title=event.title,
            url=event.get_absolute_url(),
            detail=" · ".join(
                [
                    date_format(timezone.localtime(event.starts_at), "j E, H:i"),
                    event.branch.name if event.branch else "",
                ]
            ).strip(" ·"),
        )
        for event in (events[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def find_clubs(query: str, limit: int) -> Found:
    clubs = Club.objects.public().matching(query).select_related("branch").order_by("kind", "name")
    count = clubs.count()
    hits = [
        Hit(
            title=club.name,
            url=club.get_absolute_url(),
            detail=f"{club.get_kind_display()} · {club.branch.name}",
        )
        for club in (clubs[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def register_sections() -> None:
    register(
        SearchSection(
            key="events",
            title=_("Події"),
            find=find_events,
            more_url=lambda query: with_query(reverse("events:index"), query),
            order=20,
        )
    )
    register(
        SearchSection(
            key="clubs",
            title=_("Клуби та школи"),
            find=find_clubs,
            more_url=lambda query: with_query(reverse("events:clubs"), query),
            order=30,
        )
    )
