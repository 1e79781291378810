"""Digitised documents in the portal's search box (core.portal_search): the same search as the
list's «Назва, місце, особи» field."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.portal_search import Found, Hit, SearchSection, register, with_query
from digital.models import DigitalDocument


def find_documents(query: str, limit: int) -> Found:
    documents = (
        DigitalDocument.objects.published().matching(query).order_by("year_from", "title", "pk")
    )
    count = documents.count()
    hits = [
        Hit(
            title=document.title,
            url=document.get_absolute_url(),
            detail=" · ".join(
                part for part in (document.get_kind_display(), document.date_text) if part
            ),
        )
        for document in (documents[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def register_sections() -> None:
    register(
        SearchSection(
            key="digital",
            title=_("Оцифровані документи"),
            find=find_documents,
            more_url=lambda query: with_query(reverse("digital:index"), query),
            order=45,
        )
    )
