"""«Мій формуляр»: the reader's page, printable card, data download and closing the account."""

import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import me as me_registry
from accounts.barcodes import card_barcode_data_uri
from accounts.models import ReaderProfile
from accounts.services import reader_close, reader_data_export


def _profile(request):
    return (
        ReaderProfile.objects.select_related("home_branch", "document_checked_by")
        .filter(user=request.user)
        .first()
    )


@never_cache
@login_required
def me(request):
    profile = _profile(request)
    sections = [
        {
            "section": section,
            "context": section.context(request, profile),
        }
        for section in me_registry.sections()
    ]
    return render(request, "accounts/me.html", {"profile": profile, "sections": sections})


@never_cache
@login_required
def card(request):
    profile = _profile(request)
    if profile is None:
        return redirect("accounts:me")
    return render(request, "accounts/card.html", _card_context(profile))


def _card_context(profile):
    return {"profile": profile, "barcode": card_barcode_data_uri(profile.card_number)}


def card_print(request, profile):
    """The same card printed by staff from the admin (accounts.admin checks the scope)."""
    return render(request, "accounts/card.html", {**_card_context(profile), "staff_print": True})


@never_cache
@login_required
def data_export(request):
    data = reader_data_export(user=request.user, sections=me_registry.sections())
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-library-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close(request):
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return render(
                request, "accounts/close.html", {"profile": _profile(request), "unconfirmed": True}
            )
        try:
            reader_close(user=request.user)
        except PermissionDenied as error:
            return render(
                request, "accounts/close.html", {"profile": _profile(request), "refused": error}
            )
        logout(request)
        return render(request, "accounts/closed.html")
    return render(request, "accounts/close.html", {"profile": _profile(request)})
