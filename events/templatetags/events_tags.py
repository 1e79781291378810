"""The events and clubs of one library, for its page in the branches app.

`branches` may not import `events` (dependencies point one way), so the branch page loads this
tag library instead: the template names the dependency, the Python code does not.
"""

from django import template
from django.utils import timezone

from events.models import Club, Event, attach_closures

register = template.Library()


@register.inclusion_tag("events/_branch_programme.html")
def branch_programme(branch, limit=4):
    now = timezone.now()
    events = list(
        Event.objects.public()
        .upcoming(now=now)
        .at(branch)
        .select_related("branch")
        .order_by("starts_at")[:limit]
    )
    clubs = attach_closures(
        Club.objects.public()
        .active_on(timezone.localdate(now))
        .filter(branch=branch)
        .prefetch_related("exceptions")
        .order_by("kind", "name"),
        since=timezone.localdate(now),
    )
    return {
        "branch": branch,
        "events": events,
        "clubs": [(club, next(iter(club.next_meetings(count=1, now=now)), None)) for club in clubs],
    }


@register.inclusion_tag("events/_upcoming.html")
def upcoming_events(limit=4):
    """The next events of the whole network, for the home page."""
    events = list(
        Event.objects.public()
        .upcoming(now=timezone.now())
        .filter(status=Event.Status.PUBLISHED)
        .select_related("branch")
        .order_by("starts_at")[:limit]
    )
    return {"events": events}
