"""Printable posters (A4, A3) and leaflets (A5, two on an A4 sheet) for an event or an
e-services guide: print CSS with @page sizes and an inline SVG QR code of the page's address,
so nothing but the browser's «Друк» is needed."""

import segno
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from branches.scoping import staff_scope
from egov.models import Guide
from events.models import Event

SIZES = ("a4", "a3", "leaflet")


def _size(request):
    size = request.GET.get("size") or "a4"
    return size if size in SIZES else None


def qr_svg(url: str) -> str:
    """The QR code as an inline <svg> (segno writes only numbers and its own markup)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, omitsize=True, title=_("QR-код адреси сторінки")
    )
    return mark_safe(svg)


def _render(request, *, size, title, lines, branch_name, url):
    copies = 2 if size == "leaflet" else 1
    return render(
        request,
        "news/poster.html",
        {
            "size": size,
            "title": title,
            "lines": lines,
            "branch_name": branch_name,
            "url": url,
            "qr": qr_svg(url),
            "copies": range(copies),
        },
    )


def event_poster(request, pk):
    size = _size(request)
    if size is None:
        return HttpResponseBadRequest(_("Розмір афіші: a4, a3 або leaflet."))
    events = Event.objects.select_related("branch")
    if request.user.is_staff and request.user.has_perm("events.view_event"):
        # Staff print their own library's drafts too; another library's draft stays theirs.
        scope = staff_scope(request.user)
        if scope is not None:
            events = events.exclude(Q(status=Event.Status.DRAFT) & ~Q(branch_id=scope))
    else:
        events = events.exclude(status=Event.Status.DRAFT)
    event = get_object_or_404(events, pk=pk)
    starts = event.starts_at
    return _render(
        request,
        size=size,
        title=event.title,
        lines=[
            event.get_kind_display(),
            starts,
            event.place_label,
        ],
        branch_name=event.branch.name,
        url=request.build_absolute_uri(event.get_absolute_url()),
    )


def guide_poster(request, slug):
    size = _size(request)
    if size is None:
        return HttpResponseBadRequest(_("Розмір афіші: a4, a3 або leaflet."))
    guide = get_object_or_404(Guide.objects.published().select_related("topic"), slug=slug)
    return _render(
        request,
        size=size,
        title=guide.title,
        lines=[guide.summary, _("Допоможемо безкоштовно в будь-якій бібліотеці ЦБС.")],
        branch_name=_("Центр е-послуг ЦБС м. Луцька"),
        url=request.build_absolute_uri(guide.get_absolute_url()),
    )
