"""«Мій формуляр», lending: the reader's loans, holds, reading history and due-date calendar.

The section for the /me/ page of accounts (registry `accounts.me`): `SECTION` describes it,
`register_section()` adds it (call it from `CirculationConfig.ready()` once `accounts.me`
exists). The actions are POST forms under /me/loans/… (circulation/urls.py) answered by a
redirect back with a message; `/me/loans/` also shows the section on a page of its own.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from accounts import me
from accounts.models import ReaderProfile
from branches.models import Branch
from circulation.forms import PickupForm
from circulation.models import Hold, Loan
from circulation.services import (
    CirculationRefusal,
    hold_cancel,
    hold_change_pickup,
    hold_resume,
    hold_suspend,
    loan_renew,
    loans_renew_all,
    reading_history_delete,
)

UID_DOMAIN = "lutsk-cbs"
HISTORY_SHOWN = 50


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def loans_context(request, reader_profile) -> dict:
    """What the section shows, in five queries however many loans and holds there are.
    Only the columns the section shows are read: a record row is wide (its search document),
    and building and reading whole rows was most of this page's time."""
    today = timezone.localdate()
    loans = list(
        Loan.objects.open()
        .filter(reader=reader_profile)
        .select_related("item__record", "branch")
        .only("due_on", "item__record__title", "branch__name_uk", "branch__name_en")
        .order_by("due_on", "pk")
    )
    holds = list(
        Hold.objects.active()
        .filter(reader=reader_profile)
        .with_queue_position()
        .select_related("record", "pickup_branch")
        .only(
            "status",
            "placed_at",
            "expires_on",
            "record__title",
            "pickup_branch__name_uk",
            "pickup_branch__name_en",
        )
        .order_by("placed_at", "pk")
    )
    history = []
    if reader_profile.keeps_reading_history:
        history = list(
            Loan.objects.returned()
            .filter(reader=reader_profile)
            .select_related("item__record")
            .only("returned_at", "item__record__title")
            .order_by("-returned_at")[:HISTORY_SHOWN]
        )
    return {
        "reader_profile": reader_profile,
        "loans": [{"loan": loan, "overdue": loan.due_on < today} for loan in loans],
        "holds": holds,
        "history": history,
        "branches": list(Branch.objects.filter(is_active=True).only("name").order_by("name")),
    }


def loans_export(user) -> dict:
    """The section's part of the reader's data download."""
    profile = ReaderProfile.objects.filter(user=user).first()
    if profile is None:
        return {}
    loans = Loan.objects.filter(reader=profile).select_related("item__record", "branch")
    holds = Hold.objects.filter(reader=profile).select_related("record", "pickup_branch")
    return {
        "loans": [
            {
                "title": loan.item.record.title,
                "inventory_number": loan.item.inventory_number,
                "library": loan.branch.name,
                "loaned_at": loan.loaned_at.isoformat(),
                "due_on": loan.due_on.isoformat(),
                "returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
            }
            for loan in loans
        ],
        "holds": [
            {
                "title": hold.record.title,
                "pickup_library": hold.pickup_branch.name,
                "status": hold.status,
                "placed_at": hold.placed_at.isoformat(),
            }
            for hold in holds
        ],
    }


SECTION_KEY = "loans"
SECTION_TITLE = gettext_lazy("Книжки й замовлення")
SECTION_TEMPLATE = "circulation/_me_section.html"
SECTION_ORDER = 10


def register_section() -> None:
    """Add the section to «Мій формуляр» (accounts.me)."""
    me.register(
        me.MeSection(
            key=SECTION_KEY,
            title=SECTION_TITLE,
            template=SECTION_TEMPLATE,
            context=loans_context,
            order=SECTION_ORDER,
            export=loans_export,
        )
    )


# --- views -----------------------------------------------------------------------------------


def _reader(request) -> ReaderProfile:
    profile = ReaderProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404(_("Читацького квитка немає."))
    return profile


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("circulation:me_loans")


@login_required
def me_loans(request):
    """The lending section on a page of its own."""
    context = loans_context(request, _reader(request))
    return render(request, "circulation/me_loans.html", context)


@login_required
@require_POST
def me_loan_renew(request, pk):
    loan = get_object_or_404(
        Loan.objects.open().select_related("item__record"), pk=pk, reader=_reader(request)
    )
    try:
        loan = loan_renew(loan=loan, by_reader=True)
    except CirculationRefusal as refusal:
        messages.error(
            request,
            _("«%(title)s» не продовжено: %(reason)s")
            % {"title": loan.item.record.title, "reason": refusal.messages[0]},
        )
    else:
        messages.success(
            request,
            _("«%(title)s» продовжено до %(date)s.")
            % {"title": loan.item.record.title, "date": _date(loan.due_on)},
        )
    return _back(request)


@login_required
@require_POST
def me_loans_renew_all(request):
    results = loans_renew_all(reader=_reader(request))
    renewed = [loan for loan, reason in results if reason is None]
    if renewed:
        messages.success(
            request,
            ngettext(
                "Продовжено %(count)s документ.",
                "Продовжено %(count)s документи.",
                len(renewed),
            )
            % {"count": len(renewed)},
        )
    for loan, reason in results:
        if reason is not None:
            messages.error(
                request,
                _("«%(title)s» не продовжено: %(reason)s")
                % {"title": loan.item.record.title, "reason": reason},
            )
    if not results:
        messages.info(request, _("У вас немає книжок, які можна продовжити."))
    return _back(request)


def _own_hold(request, pk):
    return get_object_or_404(
        Hold.objects.active().select_related("record", "pickup_branch"),
        pk=pk,
        reader=_reader(request),
    )


def _hold_action(request, pk, action, done, **extra):
    hold = _own_hold(request, pk)
    try:
        action(hold)
    except CirculationRefusal as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, done % {"title": hold.record.title, **extra})
    return _back(request)


@login_required
@require_POST
def me_hold_suspend(request, pk):
    return _hold_action(
        request,
        pk,
        lambda hold: hold_suspend(hold=hold),
        _("Замовлення «%(title)s» призупинено; ваше місце в черзі зберігається."),
    )


@login_required
@require_POST
def me_hold_resume(request, pk):
    return _hold_action(
        request, pk, lambda hold: hold_resume(hold=hold), _("Замовлення «%(title)s» знову в черзі.")
    )


@login_required
@require_POST
def me_hold_cancel(request, pk):
    return _hold_action(
        request, pk, lambda hold: hold_cancel(hold=hold), _("Замовлення «%(title)s» скасовано.")
    )


@login_required
@require_POST
def me_hold_pickup(request, pk):
    form = PickupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Виберіть бібліотеку зі списку."))
        return _back(request)
    branch = form.cleaned_data["pickup_branch"]
    return _hold_action(
        request,
        pk,
        lambda hold: hold_change_pickup(hold=hold, pickup_branch=branch),
        _("Замовлення «%(title)s» тепер можна забрати в бібліотеці «%(branch)s»."),
        branch=branch.name,
    )


@login_required
@require_POST
def me_history_delete(request, pk=None):
    reader = _reader(request)
    loan = None
    if pk is not None:
        loan = get_object_or_404(Loan.objects.returned(), pk=pk, reader=reader)
    count = reading_history_delete(reader=reader, loan=loan)
    messages.success(
        request,
        ngettext(
            "З історії читання видалено %(count)s запис.",
            "З історії читання видалено %(count)s записи.",
            count,
        )
        % {"count": count},
    )
    return _back(request)


@login_required
def me_loans_calendar(request):
    """Due dates of the reader's open loans as an iCalendar file (all-day events with a
    reminder the day before)."""
    reader = _reader(request)
    loans = (
        Loan.objects.open()
        .filter(reader=reader)
        .select_related("item__record", "branch")
        .order_by("due_on", "pk")
    )
    cal = Calendar()
    cal.add("prodid", "-//CBS Lutsk//Loans//UK")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Повернути до бібліотеки"))
    stamp = datetime.now(UTC).replace(microsecond=0)
    for loan in loans:
        event = VEvent()
        event.add("uid", f"loan-{loan.pk}-{loan.due_on:%Y%m%d}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", loan.due_on)
        event.add("summary", _("Повернути «%(title)s»") % {"title": loan.item.record.title})
        event.add("location", loan.branch.name)
        event.add("url", settings.SITE_URL + reverse("circulation:me_loans"))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Завтра строк повернення книжки"))
        alarm.add("trigger", -timedelta(days=1))
        event.add_component(alarm)
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="loans.ics"'
    return response
