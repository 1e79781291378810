"""The circulation desk (/desk/): check-out, check-in, renewal and a printable receipt.

Made for a barcode scanner that types and presses Enter, and for no JavaScript: every scan is
one POST of one field, answered by a redirect back to the same page (PRG) with what happened
as a message, so the autofocused field is empty again for the next scan.

Scope. The desk works for one library: the staff member's own (StaffProfile.branch), or the
one a methodologist chose. Readers may borrow and return at any library of the network, so
any reader's card can be scanned at any desk — but only by the exact card number (there is
no search by name), and a desk of another library sees only what lending needs: name,
category, loans and holds. Contacts (e-mail, phone) are shown only at the desk of the
reader's home library. Renewals at the desk are of the reader scanned in this visit only.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ReaderProfile
from branches.models import Branch
from catalog.models import Item
from circulation.forms import DeskBranchForm, ScanForm
from circulation.models import Hold, Loan, LoanPolicy
from circulation.services import (
    CirculationRefusal,
    loan_checkin,
    loan_checkout,
    loan_renew,
)

SESSION_BRANCH = "desk_branch"
SESSION_READER = "desk_reader"
SESSION_VISIT = "desk_visit"
SESSION_CHECKINS = "desk_checkins"
# How many of the latest check-ins the check-in page keeps listed.
CHECKINS_SHOWN = 15


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def desk_user_can_use(user) -> bool:
    """Branch staff who lend (the role matrix gives them `circulation.change_loan`),
    methodologists and superusers."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return False
    return profile.is_network_wide or user.has_perm("circulation.change_loan")


def desk_view(view):
    """Staff only; sets `request.desk_branch`, or sends a methodologist to choose one."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not desk_user_can_use(request.user):
            raise PermissionDenied
        request.desk_branch = _desk_branch(request)
        if request.desk_branch is None:
            return redirect("circulation:desk_branch")
        return view(request, *args, **kwargs)

    return wrapper


def _is_network_wide(user) -> bool:
    profile = getattr(user, "staff_profile", None)
    return user.is_superuser or (profile is not None and profile.is_network_wide)


def _desk_branch(request):
    if not _is_network_wide(request.user):
        return request.user.staff_profile.branch
    branch_id = request.session.get(SESSION_BRANCH)
    return Branch.objects.filter(pk=branch_id).first() if branch_id else None


@require_http_methods(["GET", "POST"])
def desk_branch(request):
    """A methodologist chooses the library whose desk they work at."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not desk_user_can_use(request.user):
        raise PermissionDenied
    if not _is_network_wide(request.user):
        return redirect("circulation:desk_checkout")
    form = DeskBranchForm(
        request.POST or None, initial={"branch": request.session.get(SESSION_BRANCH)}
    )
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_BRANCH] = form.cleaned_data["branch"].pk
        _forget_reader(request)
        return redirect("circulation:desk_checkout")
    return render(request, "circulation/desk_branch.html", {"form": form})


@desk_view
def desk_index(request):
    return redirect("circulation:desk_checkout")


# --- check-out -------------------------------------------------------------------------------


def _forget_reader(request):
    request.session.pop(SESSION_READER, None)
    request.session.pop(SESSION_VISIT, None)


def _current_reader(request):
    reader_id = request.session.get(SESSION_READER)
    if not reader_id:
        return None
    return ReaderProfile.objects.select_related("user", "home_branch").filter(pk=reader_id).first()


def _find_reader(code):
    if not (code.isdigit() and len(code) == 10):
        return None
    return ReaderProfile.objects.select_related("user").filter(card_number=code).first()


def _find_item(code):
    return (
        Item.objects.select_related("record", "branch")
        .filter(Q(barcode=code) | Q(inventory_number=code))
        .first()
    )


def _reader_label(reader):
    return reader.user.get_full_name() or reader.user.username


@desk_view
@require_http_methods(["GET", "POST"])
def desk_checkout(request):
    """Scan the reader's card, then the copies one by one. A card scanned while a reader is
    open starts the next reader's visit."""
    if request.method == "POST":
        form = ScanForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["code"][0])
            return redirect("circulation:desk_checkout")
        code = form.cleaned_data["code"]
        reader = _find_reader(code)
        if reader is not None:
            _forget_reader(request)
            request.session[SESSION_READER] = reader.pk
            request.session[SESSION_VISIT] = []
            messages.info(
                request,
                _("Читач %(name)s, квиток № %(card)s.")
                % {"name": _reader_label(reader), "card": reader.card_number},
            )
            return redirect("circulation:desk_checkout")
        current = _current_reader(request)
        if current is None:
            messages.error(
                request,
                _("Читача з квитком № %(code)s не знайдено. Спершу відскануйте читацький квиток.")
                % {"code": code},
            )
            return redirect("circulation:desk_checkout")
        item = _find_item(code)
        if item is None:
            messages.error(
                request, _("Примірника з номером %(code)s немає в каталозі.") % {"code": code}
            )
            return redirect("circulation:desk_checkout")
        try:
            loan = loan_checkout(
                item=item, reader=current, branch=request.desk_branch, acting_user=request.user
            )
        except CirculationRefusal as refusal:
            messages.error(request, refusal.messages[0])
        else:
            request.session[SESSION_VISIT] = [*request.session.get(SESSION_VISIT, []), loan.pk]
            messages.success(
                request,
                _("Видано «%(title)s» (%(number)s) до %(date)s.")
                % {
                    "title": item.record.title,
                    "number": item.inventory_number,
                    "date": _date(loan.due_on),
                },
            )
        return redirect("circulation:desk_checkout")

    reader = _current_reader(request)
    context = {"form": ScanForm(), "mode": "checkout", "reader": reader}
    if reader is not None:
        context.update(_reader_panel(request, reader))
    return render(request, "circulation/desk_checkout.html", context)


def _reader_panel(request, reader):
    """What the desk shows about the reader: loans, holds, warnings (five queries)."""
    today = timezone.localdate()
    branch = request.desk_branch
    loans = list(
        Loan.objects.open()
        .filter(reader=reader)
        .select_related("item__record", "branch")
        .order_by("due_on", "pk")
    )
    holds = list(
        Hold.objects.active()
        .filter(reader=reader)
        .select_related("record", "pickup_branch", "item")
        .order_by("placed_at", "pk")
    )
    policy = LoanPolicy.objects.for_(branch=branch, category=reader.category)
    wanted = set(
        Hold.objects.filter(
            record_id__in={loan.item.record_id for loan in loans}, status=Hold.Status.WAITING
        )
        .exclude(reader=reader)
        .values_list("record_id", flat=True)
    )
    visit = set(request.session.get(SESSION_VISIT, []))
    overdue = [loan for loan in loans if loan.due_on < today]
    warnings = []
    if overdue:
        warnings.append(
            ngettext(
                "Прострочено %(count)s документ.",
                "Прострочено %(count)s документи.",
                len(overdue),
            )
            % {"count": len(overdue)}
        )
    if policy.lends and len(loans) >= policy.max_items:
        warnings.append(
            ngettext(
                "Досягнуто ліміту: на руках %(count)s документ, більше не можна.",
                "Досягнуто ліміту: на руках %(count)s документи, більше не можна.",
                len(loans),
            )
            % {"count": len(loans)}
        )
    if getattr(reader, "is_pre_registered", False):
        warnings.append(_("Читач записався онлайн, документ ще не перевірено: перевірте документ."))
    ready_here = [
        hold
        for hold in holds
        if hold.status == Hold.Status.READY and hold.pickup_branch_id == branch.pk
    ]
    return {
        "loans": [
            {
                "loan": loan,
                "overdue": loan.due_on < today,
                "this_visit": loan.pk in visit,
                "wanted": loan.item.record_id in wanted,
            }
            for loan in loans
        ],
        "holds": holds,
        "ready_here": ready_here,
        "warnings": warnings,
        "show_contacts": reader.home_branch_id == branch.pk,
        "visit_count": len(visit),
    }


@desk_view
@require_POST
def desk_finish(request):
    """The visit is over: the next scan starts with a card again."""
    _forget_reader(request)
    return redirect("circulation:desk_checkout")


@desk_view
@require_POST
def desk_renew(request, pk):
    """Renew one loan of the reader open at the desk; the reason is shown when refused."""
    reader_id = request.session.get(SESSION_READER)
    if not reader_id:
        raise Http404
    loan = get_object_or_404(
        Loan.objects.open().select_related("item__record"), pk=pk, reader_id=reader_id
    )
    try:
        loan = loan_renew(loan=loan, acting_user=request.user)
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
    return redirect("circulation:desk_checkout")


@desk_view
def desk_receipt(request):
    """A printable receipt: the copies lent in this visit with their due dates."""
    reader = _current_reader(request)
    if reader is None:
        messages.error(request, _("Спершу відскануйте читацький квиток."))
        return redirect("circulation:desk_checkout")
    loans = list(
        Loan.objects.filter(pk__in=request.session.get(SESSION_VISIT, []), reader=reader)
        .select_related("item__record")
        .order_by("due_on", "pk")
    )
    return render(
        request,
        "circulation/desk_receipt.html",
        {"reader": reader, "loans": loans, "now": timezone.localtime()},
    )


# --- check-in --------------------------------------------------------------------------------


def _checkin_outcome(item, result, branch):
    """One sentence for the librarian: where the copy goes now."""
    hold = result.hold
    if result.transit_to is not None:
        if hold is not None and hold.reader_id:
            return _(
                "В дорогу до бібліотеки «%(branch)s» — для замовлення читача з квитком № %(card)s."
            ) % {"branch": result.transit_to.name, "card": hold.reader.card_number}
        return _("В дорогу до бібліотеки «%(branch)s».") % {"branch": result.transit_to.name}
    if hold is not None and hold.status == Hold.Status.READY and hold.pickup_branch_id == branch.pk:
        return _("На полицю замовлень: чекає на читача з квитком № %(card)s до %(date)s.") % {
            "card": hold.reader.card_number if hold.reader else "—",
            "date": _date(hold.expires_on),
        }
    return _("На полицю.")


def _late_days(loan):
    if loan is None:
        return 0
    returned = timezone.localtime(loan.returned_at).date()
    return max((returned - loan.due_on).days, 0)


@desk_view
@require_http_methods(["GET", "POST"])
def desk_checkin(request):
    """Scan returned copies; each line says what to do with the copy now."""
    if request.method == "POST":
        form = ScanForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["code"][0])
            return redirect("circulation:desk_checkin")
        code = form.cleaned_data["code"]
        item = _find_item(code)
        if item is None:
            messages.error(
                request, _("Примірника з номером %(code)s немає в каталозі.") % {"code": code}
            )
            return redirect("circulation:desk_checkin")
        try:
            result = loan_checkin(item=item, branch=request.desk_branch, acting_user=request.user)
        except CirculationRefusal as refusal:
            messages.error(request, refusal.messages[0])
            return redirect("circulation:desk_checkin")
        outcome = _checkin_outcome(item, result, request.desk_branch)
        late = _late_days(result.loan)
        if late:
            outcome += " " + ngettext(
                "Повернуто із запізненням на %(count)s день.",
                "Повернуто із запізненням на %(count)s дні.",
                late,
            ) % {"count": late}
        line = _("«%(title)s» (%(number)s): %(outcome)s") % {
            "title": item.record.title,
            "number": item.inventory_number,
            "outcome": outcome,
        }
        messages.success(request, line)
        recent = [line, *request.session.get(SESSION_CHECKINS, [])][:CHECKINS_SHOWN]
        request.session[SESSION_CHECKINS] = recent
        return redirect("circulation:desk_checkin")
    return render(
        request,
        "circulation/desk_checkin.html",
        {
            "form": ScanForm(),
            "mode": "checkin",
            "recent": request.session.get(SESSION_CHECKINS, []),
        },
    )


# --- whom to call ------------------------------------------------------------------------------


@desk_view
def desk_calls(request):
    """Readers of this library due a notice today whom no channel reaches (no e-mail): the
    staff phone them («кому зателефонувати»)."""
    from circulation.notices import notices_to_call

    today = timezone.localdate()
    return render(
        request,
        "circulation/desk_calls.html",
        {"notices": notices_to_call(today=today, branch=request.desk_branch), "today": today},
    )
