from django import template
from django.http import QueryDict

from catalog.presentation import language_name

register = template.Library()


@register.simple_tag
def query_with(params, **changes):
    """The GET parameters `params` with `changes` applied (None or "" removes a key) and the
    page number dropped, urlencoded for a link: `?{% query_with request.GET sort="title" %}`."""
    query = params.copy() if isinstance(params, QueryDict) else QueryDict(mutable=True)
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    return query.urlencode()


@register.filter
def language(code):
    return language_name(code)
