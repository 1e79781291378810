"""Readers' side of lending that lives on public pages: «Замовити» from a record page.

(«Мій формуляр» and the desk are separate pages built on the same services.)"""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from catalog.models import Record
from circulation.forms import HoldPlaceForm
from circulation.models import Hold
from circulation.services import CirculationRefusal, hold_place


@require_http_methods(["GET", "HEAD", "POST"])
def hold_place_view(request, pk):
    """The pickup library to choose and the «Замовити» button; once placed, where the reader
    stands in the queue. Anonymous visitors are sent to sign in and come back here."""
    record = get_object_or_404(Record.objects.only("pk", "title", "material_type"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reader = getattr(request.user, "reader_profile", None)
    context = {"record": record, "reader": reader}
    if reader is None:
        return render(request, "circulation/hold_place.html", context)
    hold = (
        Hold.objects.active()
        .with_queue_position()
        .select_related("pickup_branch")
        .filter(record=record, reader=reader)
        .first()
    )
    form = HoldPlaceForm(
        request.POST if request.method == "POST" and hold is None else None,
        initial={"pickup_branch": reader.home_branch_id},
    )
    if form.is_bound and form.is_valid():
        try:
            hold_place(
                record=record, reader=reader, pickup_branch=form.cleaned_data["pickup_branch"]
            )
        except CirculationRefusal as refusal:
            form.add_error(None, refusal.messages[0])
        else:
            return redirect(request.path + "?placed=1")
    context.update(form=form, hold=hold, placed=request.GET.get("placed") == "1" and hold)
    return render(request, "circulation/hold_place.html", context)
