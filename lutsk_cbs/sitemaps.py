"""sitemap.xml for search engines: the sections, libraries, catalogue records, events, clubs and
e-services guides. Secret pages (registrations, bookings, a volunteer's page) are left out."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from branches.models import Branch
from catalog.models import Record
from egov.models import Guide
from events.models import Club, Event


class SectionSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "branches:list",
            "catalog:search",
            "events:index",
            "events:clubs",
            "volunteers:index",
            "volunteers:opportunities",
            "egov:index",
            "egov:guides",
            "egov:slots",
        ]

    def location(self, item):
        return reverse(item)


class BranchSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return Branch.objects.public().order_by("pk")


class RecordSitemap(Sitemap):
    # Up to a million records: Ukrainian addresses only (i18n would build the whole list of
    # records × languages in memory), 10,000 a page, no lastmod (the index would read them all).
    limit = 10_000

    def items(self):
        return Record.objects.order_by("pk").only("pk")


class EventSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return Event.objects.public().order_by("-starts_at")

    def lastmod(self, event):
        return event.updated_at


class ClubSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return Club.objects.public().order_by("pk")


class GuideSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return Guide.objects.published().order_by("pk")


SITEMAPS = {
    "sections": SectionSitemap,
    "libraries": BranchSitemap,
    "records": RecordSitemap,
    "events": EventSitemap,
    "clubs": ClubSitemap,
    "guides": GuideSitemap,
}
