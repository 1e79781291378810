"""Atom feed of newly published events."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.feeds import AtomFeed
from events.models import Event

FEED_SIZE = 50


class NewEventsFeed(AtomFeed):
    entry_kind = "event"

    def title(self):
        return _("Нові заходи бібліотек Луцька")

    def subtitle(self):
        return _("Щойно оголошені зустрічі, презентації, майстер-класи та інші заходи.")

    def link(self):
        return reverse("events:index")

    def feed_url(self):
        return reverse("events:feed")

    def items(self):
        return list(
            Event.objects.public()
            .filter(published_at__isnull=False)
            .select_related("branch")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, event):
        if event.status == Event.Status.CANCELLED:
            return _("Скасовано: %(title)s") % {"title": event.title}
        return event.title

    def item_description(self, event):
        when = date_format(localtime(event.starts_at), "j E Y, H:i")
        summary = f"{when} · {event.branch.name} · {event.get_kind_display()}"
        return f"{summary}\n\n{event.description}".strip()

    def item_link(self, event):
        return event.get_absolute_url()

    def item_pubdate(self, event):
        return event.published_at

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        return [event.get_kind_display()]
