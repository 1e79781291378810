from django.shortcuts import get_object_or_404, render

from core.pagination import page_of, query_without_page
from news.forms import NewsFilterForm
from news.models import NewsItem
from news.presentation import news_json_ld


def _public():
    return NewsItem.objects.published().select_related("branch").newest_first()


def _news_list(request, queryset, *, press):
    form = NewsFilterForm(request.GET or None)
    library = None
    if form.is_valid():
        library = form.cleaned_data["library"]
        if library is not None:
            queryset = queryset.filter(branch=library)
    page = page_of(request, queryset)
    return render(
        request,
        "news/news_list.html",
        {
            "form": form,
            "library": library,
            "page": page,
            "items": page.object_list,
            "press": press,
            "query": query_without_page(request),
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


def news_list(request):
    return _news_list(request, _public(), press=False)


def press_list(request):
    return _news_list(request, _public().press_releases(), press=True)


def news_detail(request, pk):
    item = get_object_or_404(_public().prefetch_related("photos"), pk=pk)
    return render(
        request,
        "news/newsitem_detail.html",
        {"item": item, "json_ld": news_json_ld(item, request)},
    )
