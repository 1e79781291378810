from django import template
from django.utils.safestring import mark_safe

from core.i18n import localized
from core.phones import phone_display

register = template.Library()
register.filter("localized", localized)
register.filter("phone", phone_display)


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
