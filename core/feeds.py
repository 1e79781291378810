"""The one base for the portal's Atom feeds, so that each of them is valid RFC 4287.

Django's Atom1Feed leaves to the caller what RFC 4287 requires and the W3C validator checks:
ids that are IRIs and stay the same over time (a feed reader keys its "already read" on them),
an author for the feed (or every entry), an `updated` on every entry. The feeds of the apps
subclass `AtomFeed` and name their entries with `entry_kind`; the rest is done here.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

# The year in every tag: URI (RFC 4151). Fixed: changing it would give every entry a new id and
# feed readers would show all of them again as new.
TAG_YEAR = "2026"


def tag_uri(specific: str) -> str:
    """A tag: URI under the site's domain, e.g. tag:lib.lutsk.ua,2026:record-2040."""
    authority = urlsplit(settings.SITE_URL).hostname
    return f"tag:{authority},{TAG_YEAR}:{specific}"


class StandardAtom1Feed(Atom1Feed):
    """Atom 1.0 with what Django leaves out: typed alternate links with the language and an
    `updated` on every entry (the published date, or the feed's own when an entry has none)."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        self.add_extra_root_elements(handler)

    def add_extra_root_elements(self, handler):
        """Hook for subclasses (the search results add the OpenSearch counts)."""

    def add_item_elements(self, handler, item):
        if item["updateddate"] is None:
            item["updateddate"] = item["pubdate"] or self.latest_post_date()
        super().add_item_elements(handler, item)

    def write(self, outfile, encoding):
        # Django's own write() with a handler that types the alternate links (text/html, the
        # feed's language): Atom1Feed has no hook for link attributes.
        handler = _AlternateLinkTyping(outfile, encoding, short_empty_elements=True)
        handler.hreflang = self.feed["language"]
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class _AlternateLinkTyping(SimplerXMLGenerator):
    """Types the alternate links, and drops the control characters XML 1.0 cannot carry
    (a typed search query, a title imported from MARC) instead of failing the whole feed."""

    hreflang = None

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 (Django's name)
        if name == "link" and attrs and attrs.get("rel") == "alternate" and "type" not in attrs:
            attrs = {**attrs, "type": "text/html"}
            if self.hreflang:
                attrs["hreflang"] = self.hreflang
        super().addQuickElement(name, contents, attrs)

    def startElement(self, name, attrs):  # noqa: N802 (Django's name)
        if attrs:
            attrs = {key: _xml_safe(value) for key, value in attrs.items()}
        super().startElement(name, attrs)

    def characters(self, content):
        super().characters(_xml_safe(content))


_NOT_IN_XML = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")


def _xml_safe(value):
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value


class AtomFeed(Feed):
    """Base of every Atom feed of the portal. Subclasses set `entry_kind` («record», «event»)
    and may override `item_entry_key` when the primary key is not what names an entry."""

    feed_type = StandardAtom1Feed
    entry_kind = "entry"

    def feed_guid(self, obj):
        # The feed's path (with its language prefix) names it whatever host serves it.
        return tag_uri(self._feed_path(obj))

    def _feed_path(self, obj):
        return self._get_dynamic_attr("feed_url", obj) or self._get_dynamic_attr("link", obj)

    def author_name(self):
        return _("ЦБС м. Луцька")

    def author_link(self):
        return settings.SITE_URL + "/"

    def item_entry_key(self, item):
        return item.pk

    def item_guid(self, item):
        return tag_uri(f"{self.entry_kind}-{self.item_entry_key(item)}")
