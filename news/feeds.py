"""Atom feed of published news, announcements and press releases."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.feeds import AtomFeed
from news.models import NewsItem

FEED_SIZE = 50


class NewsFeed(AtomFeed):
    entry_kind = "news"

    def title(self):
        return _("Новини бібліотек Луцька")

    def subtitle(self):
        return _("Новини, оголошення та прес-релізи ЦБС м. Луцька.")

    def link(self):
        return reverse("news:index")

    def feed_url(self):
        return reverse("news:feed")

    def items(self):
        return list(
            NewsItem.objects.published().select_related("branch").newest_first()[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return [item.get_kind_display()]
