"""What every paginated list page shares."""


def query_without_page(request):
    """The list's filters as a query string, for the links to other pages of the same list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
