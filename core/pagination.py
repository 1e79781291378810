"""What every paginated list page shares."""

from django.core.paginator import Paginator

# Twenty rows a page on every public list unless the list says otherwise.
PAGE_SIZE = 20


def page_of(request, items, *, per_page: int = PAGE_SIZE):
    """The page of `items` asked for by `?page=`; a missing or junk number gives the first page,
    one past the end the last page (Paginator.get_page)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request):
    """The list's filters as a query string, for the links to other pages of the same list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
