"""sitemap.xml for search engines: the sections, libraries, catalogue records, events, clubs and
e-services guides, news, digitised documents, the local-lore index's people and places, the
libraries' spaces to book, each address in Ukrainian and English with its language alternates
(xhtml:link hreflang uk, en and x-default). Secret pages (registrations, bookings, a volunteer's
page) and thank-you pages are left out."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse
from django.utils import translation

from branches.models import Branch
from catalog.models import Record
from digital.models import DigitalDocument
from egov.models import Guide
from events.models import Club, Event
from lore.models import Figure, Place
from news.models import NewsItem


class I18nSitemap(Sitemap):
    """Every address in each language, each naming all of them and the default (Ukrainian)."""

    i18n = True
    alternates = True
    x_default = True


class SectionSitemap(I18nSitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "branches:list",
            "branches:paid_services",
            "catalog:search",
            "catalog:new",
            "catalog:local_lore",
            "lore:index",
            "lore:people",
            "lore:places",
            "catalog:resources",
            "catalog:suggest",
            "events:index",
            "events:clubs",
            "volunteers:index",
            "volunteers:opportunities",
            "volunteers:apply",
            "volunteers:delivery",
            "egov:index",
            "egov:guides",
            "egov:slots",
            "egov:help_request",
            "news:index",
            "news:press",
            "digital:index",
            "spaces:index",
        ]

    def location(self, item):
        return reverse(item)


class BranchSitemap(I18nSitemap):
    def items(self):
        return Branch.objects.public().order_by("pk")


class BranchHistorySitemap(I18nSitemap):
    """Each library's «Історія бібліотеки та екскурсії»."""

    changefreq = "monthly"

    def items(self):
        return Branch.objects.public().order_by("pk")

    def location(self, branch):
        return reverse("branches:history", kwargs={"slug": branch.slug})


class NewArrivalsSitemap(I18nSitemap):
    """Each library's page of new arrivals."""

    changefreq = "daily"

    def items(self):
        return Branch.objects.public().order_by("pk")

    def location(self, branch):
        return reverse("catalog:new_branch", kwargs={"slug": branch.slug})


class RecordSitemap(Sitemap):
    """Up to a million records, 10,000 a page, no lastmod (the index would read them all).

    Django's i18n sitemap would build the list of records × languages in memory before
    paginating; here the records are paginated and each gives its address in every language,
    with the alternates: 20,000 <url> a page, under the protocol's 50,000.
    """

    limit = 10_000

    def items(self):
        return Record.objects.order_by("pk").only("pk")

    def _urls(self, page, protocol, domain):
        default = settings.LANGUAGE_CODE
        prefixes = {}
        for code in self._languages():
            with translation.override(code):
                prefixes[code] = reverse("home").rstrip("/")
        with translation.override(default):
            paths = [record.get_absolute_url() for record in self.paginator.page(page).object_list]
        urls = []
        for path in paths:
            locations = {
                code: f"{protocol}://{domain}{prefix}{path}" for code, prefix in prefixes.items()
            }
            alternates = [{"location": loc, "lang_code": code} for code, loc in locations.items()]
            alternates.append({"location": locations[default], "lang_code": "x-default"})
            urls.extend(
                {
                    "location": loc,
                    "lastmod": None,
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                }
                for loc in locations.values()
            )
        return urls


class EventSitemap(I18nSitemap):
    def items(self):
        return Event.objects.public().order_by("-starts_at")

    def lastmod(self, event):
        return event.updated_at


class ClubSitemap(I18nSitemap):
    def items(self):
        return Club.objects.public().order_by("pk")


class GuideSitemap(I18nSitemap):
    def items(self):
        return Guide.objects.published().order_by("pk")


class NewsSitemap(I18nSitemap):
    def items(self):
        return NewsItem.objects.published().order_by("-published_at", "-pk")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class DigitalDocumentSitemap(I18nSitemap):
    def items(self):
        return DigitalDocument.objects.published().order_by("pk")

    def lastmod(self, document):
        return document.updated_at


class LorePeopleSitemap(I18nSitemap):
    def items(self):
        return Figure.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


class LorePlaceSitemap(I18nSitemap):
    def items(self):
        return Place.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, place):
        return place.updated_at


class SpacesSitemap(I18nSitemap):
    """Each library's page «Забронювати простір / компʼютер», where it has spaces to book."""

    def items(self):
        return (
            Branch.objects.public()
            .filter(space_resources__is_active=True)
            .distinct()
            .order_by("pk")
        )

    def location(self, branch):
        return reverse("spaces:day", kwargs={"slug": branch.slug})


SITEMAPS = {
    "sections": SectionSitemap,
    "libraries": BranchSitemap,
    "library-history": BranchHistorySitemap,
    "new-arrivals": NewArrivalsSitemap,
    "records": RecordSitemap,
    "events": EventSitemap,
    "clubs": ClubSitemap,
    "guides": GuideSitemap,
    "news": NewsSitemap,
    "digital": DigitalDocumentSitemap,
    "lore-people": LorePeopleSitemap,
    "lore-places": LorePlaceSitemap,
    "spaces": SpacesSitemap,
}


def index(request):
    """Django's sitemap index without the sections that have nothing to list today (no events
    published yet): the protocol's schema wants at least one <url> in a <urlset>."""
    listed = {name: section for name, section in SITEMAPS.items() if section().paginator.count}
    return sitemap_views.index(request, sitemaps=listed)
