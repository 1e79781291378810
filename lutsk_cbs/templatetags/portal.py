from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.i18n import collect_untranslated, is_untranslated, localized
from core.phones import phone_display

register = template.Library()
register.filter("localized", localized)
register.filter("phone", phone_display)


@register.filter
def translated(obj, field):
    """`obj.<field>` in the page's language; the Ukrainian text shown instead of a missing
    translation comes inside `<span lang="uk">` and is counted for the page's notice."""
    if obj is None:
        return ""
    value = getattr(obj, field)
    if is_untranslated(obj, field):
        return format_html('<span lang="uk">{}</span>', value)
    return value


@register.filter
def untranslated_lang(obj, field):
    """` lang="uk"` for the element around `obj.<field>` when the page's language has no
    translation of it (for texts with markup of their own: headings, paragraphs)."""
    return mark_safe(' lang="uk"') if is_untranslated(obj, field) else ""


class UntranslatedNoticeNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        with collect_untranslated() as fallbacks:
            content = self.nodelist.render(context)
        if not fallbacks:
            return content
        return render_to_string("_untranslated_notice.html") + content


@register.tag
def untranslated_notice(parser, token):
    """`{% untranslated_notice %}…{% end_untranslated_notice %}`: renders what is inside and
    puts one notice before it when some of it had no translation into the page's language."""
    nodelist = parser.parse(("end_untranslated_notice",))
    parser.delete_first_token()
    return UntranslatedNoticeNode(nodelist)


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
