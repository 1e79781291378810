"""Digitised documents for other sections' pages (the local-lore section leads with them).

Other apps may not import `digital`; their templates load this tag library instead:
`{% load digital_tags %}{% latest_digital 4 %}`.
"""

from django import template
from django.core.files.storage import default_storage

from digital.models import DigitalDocument

register = template.Library()


@register.inclusion_tag("digital/_latest.html")
def latest_digital(limit=4):
    """The newest published documents with their first page's thumbnail: one query."""
    documents = list(
        DigitalDocument.objects.published()
        .with_cover()
        .select_related("branch")
        .order_by("-digitised_on", "-pk")[:limit]
    )
    for document in documents:
        thumb = document.cover_thumb
        document.cover_url = default_storage.url(thumb) if thumb else ""
    return {"documents": documents}
