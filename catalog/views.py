"""Public pages of the electronic catalogue and the staff report of unsatisfied requests.

Views parse the request, ask catalog.search and catalog.presentation, and render; each page
runs a fixed number of queries whatever the size of the catalogue.
"""

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from branches.models import Branch
from catalog import search as engine
from catalog.forms import (
    YEAR_MIN,
    PurchaseSuggestionForm,
    ResourceFilterForm,
    SearchForm,
    ZeroHitReportForm,
)
from catalog.models import Contribution, OnlineResource, Record
from catalog.presentation import (
    facet_context,
    for_listing,
    holdings,
    language_name,
    new_arrivals,
    osm_url,
    record_components,
    record_details,
    record_json_ld,
    similar_records,
    with_details,
)
from core.forms import public_form_handle
from core.pagination import PAGE_SIZE, page_of, query_without_page

RESOURCES_PAGE_SIZE = 50
LANDING_ARRIVALS = 8
AUTOCOMPLETE_MIN = 2
# «Запропонувати придбати»: at most this many accepted suggestions per address.
SUGGESTION_RATE = "5/h"
REPORT_MONTHS = 12


def _branch_names():
    """slug → name in the page's language, for libraries in facets (English pages only)."""
    if get_language() != "en":
        return {}
    return dict(Branch.objects.filter(name_en__gt="").values_list("slug", "name_en"))


class _RankedListing(Sequence):
    """The cards of a search ordered by relevance: a page is a slice of the ranked ids, so
    its statement reads the 20 records shown rather than sorting every match again."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        shown = self.ids[index]
        by_pk = {record.pk: record for record in for_listing(Record.objects.filter(pk__in=shown))}
        return [by_pk[pk] for pk in shown if pk in by_pk]


def run_search(request, form, *, base_filter=None, log=True):
    """Search with what the form validated; returns the template context of a result list.

    Queries: what search_records() itself needs (exact look-up, or the ids of the matches),
    one for all facet counts (which also gives the total), one for the page, one for its
    authors, one for availability, and the search log row. Turning a page finds the matches
    and their facet counts in the search cache: only the page, authors and availability.
    """
    query, filters, sort = form.search_args()
    outcome = engine.search_records(query=query, filters=filters, sort=sort)
    records = outcome.records
    ids = outcome.ids if not base_filter else None
    if base_filter:
        records = records.filter(**base_filter)
    counts = engine.facet_counts(records, filters, ids=ids)
    if ids is not None and sort == "relevance":
        listing = _RankedListing(ids)
    else:
        listing = for_listing(records)
    paginator = Paginator(listing, PAGE_SIZE)
    paginator.count = counts["total"]  # the facet statement has counted them already
    page = paginator.get_page(request.GET.get("page"))
    if log and query and "page" not in request.GET:
        # One row per search a reader starts; turning pages is not a new search.
        engine.search_log_enqueue(
            query=query, normalized=outcome.normalized, filters=filters, hits=counts["total"]
        )
    return {
        "outcome": outcome,
        "page": page,
        "records": list(page.object_list),
        "hits": counts["total"],
        "capped": counts.get("capped", False),
        "search_query": query,
        "filters": filters,
        "sort": sort,
        "facets": facet_context(counts, filters, request.GET, branch_names=_branch_names()),
        "query": query_without_page(request),
        "year_min": YEAR_MIN,
        "year_max": timezone.localdate().year + 1,
    }


def search(request):
    form = SearchForm(request.GET)
    form.is_valid()
    query, filters, _sort = form.search_args()
    context = {"form": form}
    if not query and not filters:
        # Nothing asked yet: show what is new and where to browse.
        arrivals = for_listing(new_arrivals())[:LANDING_ARRIVALS]
        context.update(landing=True, arrivals=list(arrivals))
        return render(request, "catalog/search.html", context)
    context.update(run_search(request, form))
    if context["hits"] == 0 and query:
        context["suggestion_form"] = PurchaseSuggestionForm(
            initial={"title": query[:300], "search_query": query[:300]}
        )
    return render(request, "catalog/search.html", context)


def local_lore(request):
    form = SearchForm(request.GET)
    form.is_valid()
    context = {"form": form}
    context.update(run_search(request, form, base_filter={"is_local_lore": True}, log=False))
    return render(request, "catalog/local_lore.html", context)


def record_detail(request, pk):
    record = get_object_or_404(with_details(Record.objects.all()), pk=pk)
    contributions, subjects = record_details(record)
    components, components_count = record_components(record)
    authors = [c.person for c in contributions if c.role == Contribution.Role.AUTHOR]
    others = [c for c in contributions if c.role != Contribution.Role.AUTHOR]
    copies = holdings(record)
    for holding in copies:
        holding.map_url = osm_url(holding.branch)
    return render(
        request,
        "catalog/record_detail.html",
        {
            "record": record,
            "authors": authors,
            "other_contributors": others,
            "subjects": subjects,
            "components": components,
            "components_count": components_count,
            "language": language_name(record.language),
            "holdings": copies,
            "libraries_on_shelf": sum(1 for holding in copies if holding.on_shelf),
            "can_reserve": any(holding.lendable for holding in copies),
            "similar": similar_records(record, authors=authors, subjects=subjects),
            "json_ld": record_json_ld(
                record, request, authors=authors, subjects=subjects, holdings=copies
            ),
        },
    )


def new_arrivals_list(request, slug=None):
    branches = list(Branch.objects.public())
    branch = None
    if slug is not None:
        branch = next((b for b in branches if b.slug == slug), None)
        if branch is None:
            raise Http404
    page = page_of(request, for_listing(new_arrivals(branch=branch)))
    return render(
        request,
        "catalog/new_arrivals.html",
        {
            "branch": branch,
            "branches": branches,
            "page": page,
            "records": list(page.object_list),
            "query": query_without_page(request),
        },
    )


def resources(request):
    languages = sorted(
        OnlineResource.objects.filter(is_published=True)
        .values_list("language", flat=True)
        .distinct()
    )
    form = ResourceFilterForm(
        request.GET, languages=[(code, language_name(code)) for code in languages]
    )
    form.is_valid()
    found = OnlineResource.objects.filter(is_published=True).order_by("topic", "title")
    data = getattr(form, "cleaned_data", {})
    if data.get("topic"):
        found = found.filter(topic=data["topic"])
    if data.get("language"):
        found = found.filter(language=data["language"])
    page = page_of(request, found, per_page=RESOURCES_PAGE_SIZE)
    rows = list(page.object_list)
    for resource in rows:
        resource.language_name = language_name(resource.language)
    return render(
        request,
        "catalog/resource_list.html",
        {
            "form": form,
            "page": page,
            "resources": rows,
            "filtered": bool(data.get("topic") or data.get("language")),
            "query": query_without_page(request),
        },
    )


@require_GET
def autocomplete_view(request):
    prefix = request.GET.get("q", "").strip()[:100]
    suggestions = engine.autocomplete(prefix) if len(prefix) >= AUTOCOMPLETE_MIN else []
    response = JsonResponse(suggestions, safe=False)
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def opensearch_description(request):
    """OpenSearch 1.1 description, so that browsers offer the catalogue as a search engine."""

    def absolute(name):
        return request.build_absolute_uri(reverse(name))

    context = {
        "search_url": absolute("catalog:search"),
        "atom_url": absolute("catalog:search_feed"),
        "suggestions_url": absolute("catalog:suggestions"),
        "self_url": absolute("catalog:opensearch"),
        "favicon_url": request.build_absolute_uri(static("favicon.svg")),
    }
    return render(
        request,
        "catalog/opensearch.xml",
        context,
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


@require_GET
def opensearch_suggestions(request):
    """The autocomplete in the OpenSearch suggestions format: [query, [completions]]."""
    prefix = request.GET.get("q", "").strip()[:100]
    suggestions = engine.autocomplete(prefix) if len(prefix) >= AUTOCOMPLETE_MIN else []
    response = JsonResponse([prefix, suggestions], safe=False)
    response["Content-Type"] = "application/x-suggestions+json; charset=utf-8"
    patch_cache_control(response, public=True, max_age=300)
    return response


def suggest(request):
    if request.method == "POST":
        form = PurchaseSuggestionForm(request.POST)
    else:
        title = request.GET.get("title", request.GET.get("q", ""))[:300]
        form = PurchaseSuggestionForm(
            initial={"title": title, "search_query": request.GET.get("q", "")[:300]}
        )
    sent = public_form_handle(
        request,
        form,
        limit_key="catalog.suggest",
        rate=SUGGESTION_RATE,
        on_valid=lambda form: form.save(),
    )
    if sent.accepted:
        return redirect("catalog:suggest_thanks")
    return render(
        request,
        "catalog/suggestion_form.html",
        {"form": form, "limited": sent.limited},
        status=sent.status,
    )


def suggest_thanks(request):
    return render(request, "catalog/suggestion_thanks.html")


def _recent_months(today, count=REPORT_MONTHS):
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        first = date(year, month, 1)
        months.append((first.strftime("%Y-%m"), date_format(first, "F Y")))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


@login_required(login_url="admin:login")
@permission_required("catalog.view_searchlog", raise_exception=True)
def unsatisfied_report(request):
    months = _recent_months(timezone.localdate())
    form = ZeroHitReportForm(request.GET or None, months=months)
    month = branch = None
    if form.is_bound and form.is_valid():
        if form.cleaned_data["month"]:
            year, number = map(int, form.cleaned_data["month"].split("-"))
            month = date(year, number, 1)
        branch = form.cleaned_data["branch"]
    rows = engine.zero_hit_report(month=month, branch=branch, limit=50)
    return render(
        request,
        "catalog/unsatisfied_report.html",
        {"form": form, "rows": rows, "month": month, "branch": branch},
    )
