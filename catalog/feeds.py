"""Atom feeds of new arrivals: the whole network and each library."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from branches.models import Branch
from catalog.presentation import new_arrivals, with_contributors
from core.i18n import localized

FEED_SIZE = 50


class NewArrivalsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, branch):
        if branch is None:
            return _("Нові надходження бібліотек Луцька")
        return _("Нові надходження: %(library)s") % {"library": localized(branch, "name")}

    def subtitle(self, branch):
        return _("Книги та інші документи, що надійшли за останні 90 днів.")

    def link(self, branch):
        if branch is None:
            return reverse("catalog:new")
        return reverse("catalog:new_branch", kwargs={"slug": branch.slug})

    def feed_url(self, branch):
        if branch is None:
            return reverse("catalog:new_feed")
        return reverse("catalog:new_branch_feed", kwargs={"slug": branch.slug})

    def items(self, branch):
        return list(with_contributors(new_arrivals(branch=branch))[:FEED_SIZE])

    def item_title(self, record):
        return f"{record.title}: {record.subtitle}" if record.subtitle else record.title

    def item_description(self, record):
        authors = ", ".join(person.name for person in record.authors())
        parts = [
            authors,
            record.publisher,
            str(record.year or ""),
            record.get_material_type_display(),
        ]
        summary = " · ".join(part for part in parts if part)
        return f"{summary}\n\n{record.annotation}".strip() if record.annotation else summary

    def item_link(self, record):
        return record.get_absolute_url()

    def item_guid(self, record):
        return f"record-{record.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, record):
        return record.arrived_at

    def item_updateddate(self, record):
        return record.arrived_at

    def item_author_name(self, record):
        authors = record.authors()
        return authors[0].name if authors else None

    def item_categories(self, record):
        return [record.get_material_type_display()]


class BranchNewArrivalsFeed(NewArrivalsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Branch.objects.public(), slug=slug)
