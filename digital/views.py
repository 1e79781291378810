"""Public pages of the digitised documents: the list with search and filters, a document's page
and the page viewer, one scanned page per address, which needs no JavaScript."""

from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.pagination import page_of, query_without_page
from digital.forms import DocumentFilterForm
from digital.models import DigitalDocument
from digital.presentation import document_json_ld

# Thumbnails of a document's pages per page of its own list.
PAGES_PER_SCREEN = 24
# A page number beyond any document (an address typed by hand) is simply not found.
PAGE_NUMBER_MAX = 100_000


def _public():
    return DigitalDocument.objects.published().select_related("branch", "collection")


def document_list(request):
    form = DocumentFilterForm(request.GET or None)
    documents = form.filter(_public().with_cover()).order_by("year_from", "title", "pk")
    page = page_of(request, documents)
    for document in page.object_list:
        thumb = document.cover_thumb
        document.cover_url = default_storage.url(thumb) if thumb else ""
    return render(
        request,
        "digital/document_list.html",
        {
            "form": form,
            "page": page,
            "documents": page.object_list,
            "query": query_without_page(request),
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


def document_detail(request, pk):
    document = get_object_or_404(
        _public().with_cover().prefetch_related("subjects").select_related("record"), pk=pk
    )
    pages = page_of(request, document.pages.order_by("position", "pk"), per_page=PAGES_PER_SCREEN)
    first = (pages.number - 1) * PAGES_PER_SCREEN
    return render(
        request,
        "digital/document_detail.html",
        {
            "document": document,
            "pages": pages,
            "numbered": [(first + n, p) for n, p in enumerate(pages.object_list, start=1)],
            "json_ld": document_json_ld(document, request),
        },
    )


def page_view(request, pk, number):
    if not 1 <= number <= PAGE_NUMBER_MAX:
        raise Http404
    document = get_object_or_404(_public().with_cover(), pk=pk)
    shown = list(document.pages.order_by("position", "pk")[number - 1 : number])
    if not shown:
        raise Http404
    total = document.page_count or 0
    return render(
        request,
        "digital/page_viewer.html",
        {
            "document": document,
            "page_obj": shown[0],
            "number": number,
            "total": total,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < total else None,
        },
    )
