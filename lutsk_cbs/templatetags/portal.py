from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj, field):
    """`obj.<field>_en` in English when it is filled in, else the Ukrainian `obj.<field>`."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


@register.simple_tag(takes_context=True)
def nav_current(context, url):
    """aria-current for a main-menu link: "page" on the section's own page, "true" anywhere
    inside the section (an event, a club, a record), nothing elsewhere."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if not url or not path:
        return ""
    if path == url:
        return mark_safe(' aria-current="page"')
    if path.startswith(url):
        return mark_safe(' aria-current="true"')
    return ""
