"""Atom feeds of new arrivals (the whole network and each library) and of search results."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Branch
from catalog.forms import SearchForm
from catalog.presentation import new_arrivals, with_contributors
from catalog.views import run_search
from core.feeds import AtomFeed, StandardAtom1Feed, tag_uri
from core.pagination import PAGE_SIZE

FEED_SIZE = 50
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"


class NewArrivalsFeed(AtomFeed):
    entry_kind = "record"

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, branch):
        if branch is None:
            return _("Нові надходження бібліотек Луцька")
        return _("Нові надходження: %(library)s") % {"library": branch.name}

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


class SearchResultsAtom1Feed(StandardAtom1Feed):
    """Atom with the OpenSearch 1.1 response elements: how many found, which page."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:opensearch": OPENSEARCH_NS}

    def add_extra_root_elements(self, handler):
        page = self.feed["page"]
        handler.addQuickElement("opensearch:totalResults", str(page.paginator.count))
        handler.addQuickElement("opensearch:startIndex", str(page.start_index() or 1))
        handler.addQuickElement("opensearch:itemsPerPage", str(page.paginator.per_page))
        handler.addQuickElement(
            "opensearch:Query",
            "",
            {
                "role": "request",
                "searchTerms": self.feed["search_terms"],
                "startPage": str(page.number),
            },
        )


class SearchResultsFeed(AtomFeed):
    """The catalogue search as Atom, for OpenSearch clients: the search page's own search
    (catalog.views.run_search), the same page size, `q` and `page` as on the page."""

    feed_type = SearchResultsAtom1Feed
    entry_kind = "record"

    def get_object(self, request):
        form = SearchForm(request.GET)
        form.is_valid()
        query, filters, _sort = form.search_args()
        if not query and not filters:
            # Nothing asked: no results rather than the whole catalogue counted.
            page = Paginator([], PAGE_SIZE).get_page(1)
            context = {"page": page, "records": [], "search_query": "", "query": ""}
        else:
            context = run_search(request, form, log=False)
        context["request_path"] = request.get_full_path()
        return context

    def feed_extra_kwargs(self, found):
        return {"page": found["page"], "search_terms": found["search_query"]}

    def title(self, found):
        return _("Каталог бібліотек Луцька: %(query)s") % {"query": found["search_query"]}

    def link(self, found):
        query = found["query"]
        return f"{reverse('catalog:search')}?{query}" if query else reverse("catalog:search")

    def feed_url(self, found):
        return found["request_path"]

    def feed_guid(self, found):
        return tag_uri(found["request_path"])

    def items(self, found):
        return found["records"]

    def item_title(self, record):
        return f"{record.title}: {record.subtitle}" if record.subtitle else record.title

    def item_description(self, record):
        parts = [
            ", ".join(record.author_names or []),
            record.publisher,
            str(record.year or ""),
            record.get_material_type_display(),
        ]
        return " · ".join(part for part in parts if part)

    def item_link(self, record):
        return record.get_absolute_url()

    def item_pubdate(self, record):
        return record.created_at

    def item_updateddate(self, record):
        return record.updated_at
