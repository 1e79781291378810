"""Lending actions: check-out, check-in, renewal, holds, transit and the reading history.

Every function is keyword-only and atomic. Rows are locked in one order everywhere — the
reader, then the copy, then holds — so two desks never deadlock and never lend one copy
twice; the partial unique constraints on `Loan` and `Hold` back the locks up.

A refusal is a `CirculationRefusal` (a ValidationError) whose message is shown as is to the
librarian or the reader, in the active language, and whose `code` says which rule refused.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import ReaderProfile
from branches.models import Branch
from catalog.models import Item, Record
from circulation.models import Hold, Loan, LoanPolicy, Transit, loan_class_of
from circulation.notices import hold_ready_notice
from core.audit import audit_log
from core.retention import audit_forget
from core.tz import KYIV

# A due date is moved at most this far to find an open day; a library with no opening hours
# at all keeps the plain date.
MAX_SHIFT_DAYS = 60
# How many holds in a queue check-in looks through for one it may serve.
QUEUE_LOOKAHEAD = 50


class CirculationRefusal(ValidationError):
    """A lending rule refused the action. `messages[0]` is the sentence to show; `code` says
    which rule: on_loan, reference, unavailable, in_transit, held_for_another, not_lent,
    limit, returned, overdue, renewal_limit, not_renewable, on_hold, too_soon, no_copies,
    holds_not_allowed, already_on_loan, already_held, not_on_loan, not_in_transit,
    invalid_transition, past_date."""


@dataclass(frozen=True)
class CheckinResult:
    """What happened to a copy that came back: the closed loan (None when the copy was not
    on loan), the hold it was put aside or sent for, and where it must travel (None: it
    stays here)."""

    loan: Loan | None
    hold: Hold | None
    transit_to: Branch | None


def _today(now: datetime) -> date:
    return timezone.localtime(now, KYIV).date()


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def due_date_for(*, branch: Branch, start, days: int) -> date:
    """`start` (a date, or a moment taken in Kyiv) plus `days`, moved forward to the next day
    the library is open when it falls on a closure or a day off."""
    if isinstance(start, datetime):
        start = _today(start)
    due = start + timedelta(days=days)
    for offset in range(MAX_SHIFT_DAYS + 1):
        day = due + timedelta(days=offset)
        if branch.intervals_on(day):
            return day
    return due


def _policy(*, branch, reader_category, item: Item, now) -> LoanPolicy:
    return LoanPolicy.objects.for_(
        branch=branch,
        category=reader_category,
        material_type=item.record.material_type,
        loan_class=loan_class_of(item, now=now),
    )


def _lock_item(item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("record").get(pk=item.pk)


# --- check-out -------------------------------------------------------------------------------


@transaction.atomic
def loan_checkout(
    *, item: Item, reader: ReaderProfile, branch: Branch, acting_user, now=None
) -> Loan:
    """Lend `item` to `reader` at `branch`'s desk, under the most specific loan policy of
    that library, the reader's category and the copy's type; fulfils the reader's hold on
    the title. Refuses (CirculationRefusal) when a rule says no."""
    now = now or timezone.now()
    today = _today(now)
    reader = ReaderProfile.objects.select_for_update().get(pk=reader.pk)
    item = _lock_item(item)
    status = Item.Status(item.status)
    # An open loan of a copy whose status says otherwise is caught by the database
    # constraint at the INSERT below: no query for it here.
    if status == Item.Status.ON_LOAN:
        raise CirculationRefusal(
            _("Примірник %(number)s уже видано: спершу прийміть його.")
            % {"number": item.inventory_number},
            code="on_loan",
        )
    if status == Item.Status.REFERENCE:
        raise CirculationRefusal(
            _("Примірник %(number)s видається лише в читальній залі.")
            % {"number": item.inventory_number},
            code="reference",
        )
    if status == Item.Status.IN_TRANSIT:
        raise CirculationRefusal(
            _("Примірник %(number)s у дорозі між бібліотеками: спершу прийміть його.")
            % {"number": item.inventory_number},
            code="in_transit",
        )
    held = None
    if status == Item.Status.ON_HOLD_SHELF:
        held = Hold.objects.select_for_update().filter(item=item, status=Hold.Status.READY).first()
        if held is not None and held.reader_id != reader.pk:
            raise CirculationRefusal(
                _("Примірник %(number)s відкладено для іншого читача.")
                % {"number": item.inventory_number},
                code="held_for_another",
            )
    elif status != Item.Status.ON_SHELF:
        raise CirculationRefusal(
            _("Примірник %(number)s не можна видати: його стан «%(status)s».")
            % {"number": item.inventory_number, "status": status.label},
            code="unavailable",
        )
    policy = _policy(branch=branch, reader_category=reader.category, item=item, now=now)
    if not policy.lends:
        raise CirculationRefusal(
            _("Такі документи читачам цієї категорії додому не видаються."), code="not_lent"
        )
    on_loan = Loan.objects.open().filter(reader=reader).count()
    if on_loan >= policy.max_items:
        raise CirculationRefusal(
            ngettext(
                "У читача вже %(count)s документ — більше одночасно не можна.",
                "У читача вже %(count)s документи — більше одночасно не можна.",
                on_loan,
            )
            % {"count": on_loan},
            code="limit",
        )
    due_on = due_date_for(branch=branch, start=today, days=policy.loan_days)
    # No savepoint (two round trips on every loan): after a failed INSERT nothing more runs
    # here, and the refusal leaving this atomic block rolls the whole check-out back.
    try:
        loan = Loan.objects.create(
            item=item,
            reader=reader,
            branch=branch,
            reader_category=reader.category,
            home_branch_id=reader.home_branch_id,
            material_type=item.record.material_type,
            loaned_at=now,
            due_on=due_on,
            lent_by=acting_user,
        )
    except IntegrityError as error:  # the constraint backs the lock: never two open loans
        raise CirculationRefusal(
            _("Примірник %(number)s уже видано: спершу прийміть його.")
            % {"number": item.inventory_number},
            code="on_loan",
        ) from error
    item.status = Item.Status.ON_LOAN
    item.save(update_fields=["status"])
    # The reader's own hold on the title is served by this loan, whichever copy it is.
    own = held or (
        Hold.objects.select_for_update()
        .filter(record_id=item.record_id, reader=reader, status__in=Hold.ACTIVE)
        .first()
    )
    if own is not None:
        set_aside = own.item if own.status == Hold.Status.READY else None
        if own.status == Hold.Status.IN_TRANSIT:
            # The copy on its way for this hold is routed afresh when it arrives.
            Transit.objects.open().filter(hold=own).update(hold=None)
        own.status = Hold.Status.FULFILLED
        own.item = item
        own.save(update_fields=["status", "item", "updated_at"])
        if set_aside is not None and set_aside.pk != item.pk:
            _hold_release_copy(item=set_aside, branch=own.pickup_branch, now=now)
    audit_log(
        user=acting_user,
        obj=loan,
        action="added",
        message=_("Видано примірник %(number)s до %(date)s")
        % {"number": item.inventory_number, "date": _date(loan.due_on)},
    )
    return loan


# --- check-in and transit --------------------------------------------------------------------


@transaction.atomic
def loan_checkin(*, item: Item, branch: Branch, acting_user, now=None) -> CheckinResult:
    """A copy scanned at `branch`'s check-in: closes its open loan (forgetting the reader
    unless they keep a reading history), then puts it aside for the first hold in the
    queue, sends it in transit to that hold's pickup library or home, or back on the shelf.

    A copy in transit is received; a copy on the shelf is captured for a waiting hold (the
    pull list); a copy already on the hold shelf is left there."""
    now = now or timezone.now()
    item = _lock_item(item)
    if item.status == Item.Status.IN_TRANSIT:
        return transit_receive(item=item, branch=branch, acting_user=acting_user, now=now)
    if item.status == Item.Status.ON_HOLD_SHELF:
        hold = Hold.objects.filter(item=item, status=Hold.Status.READY).first()
        return CheckinResult(loan=None, hold=hold, transit_to=None)
    loan = (
        Loan.objects.open()
        .select_for_update(of=("self",))
        .select_related("reader")
        .filter(item=item)
        .first()
    )
    routable = (Item.Status.ON_LOAN, Item.Status.ON_SHELF, Item.Status.LOST)
    if loan is None and item.status not in routable:
        raise CirculationRefusal(
            _("Примірник %(number)s не видавався: його стан «%(status)s».")
            % {"number": item.inventory_number, "status": item.get_status_display()},
            code="not_on_loan",
        )
    if loan is not None:
        loan.returned_at = max(now, loan.loaned_at)
        loan.returned_branch = branch
        loan.returned_by = acting_user
        if loan.reader is None or not loan.reader.keeps_reading_history:
            loan.reader = None
        loan.save(update_fields=["returned_at", "returned_branch", "returned_by", "reader"])
        audit_log(
            user=acting_user,
            obj=loan,
            message=_("Повернуто примірник %(number)s") % {"number": item.inventory_number},
        )
    hold, transit_to = _route(item=item, branch=branch, now=now)
    return CheckinResult(loan=loan, hold=hold, transit_to=transit_to)


@transaction.atomic
def transit_receive(*, item: Item, branch: Branch, acting_user, now=None) -> CheckinResult:
    """A copy in transit arrives at `branch`: on the hold shelf when it came for a hold
    picked up here, sent on when it arrived at the wrong library, otherwise routed as at a
    check-in (the next hold, home, or the shelf)."""
    now = now or timezone.now()
    item = _lock_item(item)
    transit = Transit.objects.select_for_update().open().filter(item=item).first()
    if transit is None:
        raise CirculationRefusal(
            _("Примірник %(number)s не в дорозі.") % {"number": item.inventory_number},
            code="not_in_transit",
        )
    transit.received_at = now
    transit.save(update_fields=["received_at"])
    audit_log(
        user=acting_user,
        obj=transit,
        message=_("Отримано в бібліотеці «%(branch)s»") % {"branch": branch.name},
    )
    hold = None
    if transit.hold_id:
        hold = Hold.objects.select_for_update().get(pk=transit.hold_id)
    if hold is not None and hold.status == Hold.Status.IN_TRANSIT and hold.item_id == item.pk:
        if hold.pickup_branch_id == branch.pk:
            _hold_make_ready(hold=hold, item=item, now=now)
            return CheckinResult(loan=None, hold=hold, transit_to=None)
        _transit_start(item=item, from_branch=branch, to_branch=hold.pickup_branch, hold=hold)
        return CheckinResult(loan=None, hold=hold, transit_to=hold.pickup_branch)
    hold, transit_to = _route(item=item, branch=branch, now=now)
    return CheckinResult(loan=None, hold=hold, transit_to=transit_to)


def _route(*, item: Item, branch: Branch, now) -> tuple[Hold | None, Branch | None]:
    """Where a free copy at `branch` goes next; the copy is locked by the caller."""
    hold = _next_hold(item=item, now=now)
    if hold is not None:
        if hold.pickup_branch_id == branch.pk:
            _hold_make_ready(hold=hold, item=item, now=now)
            return hold, None
        hold.status = Hold.Status.IN_TRANSIT
        hold.item = item
        hold.save(update_fields=["status", "item", "updated_at"])
        _transit_start(item=item, from_branch=branch, to_branch=hold.pickup_branch, hold=hold)
        return hold, hold.pickup_branch
    if item.branch_id != branch.pk:
        _transit_start(item=item, from_branch=branch, to_branch=item.branch, hold=None)
        return None, item.branch
    item.status = Item.Status.ON_SHELF
    item.save(update_fields=["status"])
    return None, None


def _next_hold(*, item: Item, now) -> Hold | None:
    """The first hold in the title's queue this copy may serve: waiting (or suspended with
    the suspension over), its reader allowed to borrow and reserve such a copy at the
    pickup library."""
    if item.status in (Item.Status.REFERENCE, Item.Status.WITHDRAWN):
        return None
    today = _today(now)
    queue = (
        Hold.objects.select_for_update(of=("self",))
        .select_related("reader", "pickup_branch")
        .filter(record_id=item.record_id, reader__isnull=False)
        .filter(
            Q(status=Hold.Status.WAITING)
            | Q(status=Hold.Status.SUSPENDED, suspended_until__lt=today)
        )
        .order_by("placed_at", "pk")[:QUEUE_LOOKAHEAD]
    )
    for hold in queue:
        policy = _policy(
            branch=hold.pickup_branch, reader_category=hold.reader.category, item=item, now=now
        )
        if policy.lends and policy.holds_allowed:
            hold._policy = policy
            return hold
    return None


def _hold_make_ready(*, hold: Hold, item: Item, now) -> None:
    policy = getattr(hold, "_policy", None) or _policy(
        branch=hold.pickup_branch, reader_category=hold.reader.category, item=item, now=now
    )
    hold.status = Hold.Status.READY
    hold.item = item
    hold.suspended_until = None
    hold.ready_at = now
    hold.ready_noticed_at = None
    hold.expires_on = due_date_for(
        branch=hold.pickup_branch, start=_today(now), days=policy.hold_shelf_days
    )
    hold.save(
        update_fields=[
            "status",
            "item",
            "suspended_until",
            "ready_at",
            "ready_noticed_at",
            "expires_on",
            "updated_at",
        ]
    )
    item.status = Item.Status.ON_HOLD_SHELF
    item.save(update_fields=["status"])
    # «Чекає на вас до …» right away rather than in the next morning's run; after commit, so
    # that a rolled-back check-in tells nobody, and robust: the check-in stands if it fails.
    transaction.on_commit(partial(hold_ready_notice, hold_id=hold.pk), robust=True)


def _transit_start(*, item: Item, from_branch: Branch, to_branch: Branch, hold) -> Transit:
    Transit.objects.open().filter(item=item).update(received_at=timezone.now())
    transit = Transit.objects.create(
        item=item, from_branch=from_branch, to_branch=to_branch, hold=hold
    )
    item.status = Item.Status.IN_TRANSIT
    item.save(update_fields=["status"])
    return transit


def _hold_release_copy(*, item: Item, branch: Branch, now) -> tuple[Hold | None, Branch | None]:
    """A ready hold let its copy go (cancelled, expired, served by another copy) and is no
    longer ready: the copy, on `branch`'s hold shelf, goes to the next in the queue or home."""
    item = _lock_item(item)
    if item.status != Item.Status.ON_HOLD_SHELF:
        return None, None
    return _route(item=item, branch=branch, now=now)


# --- renewal ---------------------------------------------------------------------------------


@transaction.atomic
def loan_renew(*, loan: Loan, acting_user=None, by_reader: bool = False, now=None) -> Loan:
    """Extend an open loan by the policy's renewal period, counted from today and moved to
    an open day. Refused when the renewals are used up, when others wait for the title and
    no other copy is on a shelf, and (for the reader online) when the loan is overdue."""
    now = now or timezone.now()
    today = _today(now)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("item__record", "branch")
        .get(pk=loan.pk)
    )
    if not loan.is_open:
        raise CirculationRefusal(_("Цей документ уже повернуто."), code="returned")
    if by_reader and loan.due_on < today:
        raise CirculationRefusal(
            _("Строк повернення минув: продовжити можна лише в бібліотеці."), code="overdue"
        )
    policy = _policy(
        branch=loan.branch, reader_category=loan.reader_category, item=loan.item, now=now
    )
    if policy.renewals == 0 or not policy.lends:
        raise CirculationRefusal(_("Такі документи не продовжуються."), code="not_renewable")
    if loan.renewals_used >= policy.renewals:
        raise CirculationRefusal(
            ngettext(
                "Уже продовжено %(count)s раз — більше не можна.",
                "Уже продовжено %(count)s рази — більше не можна.",
                loan.renewals_used,
            )
            % {"count": loan.renewals_used},
            code="renewal_limit",
        )
    waiting = (
        Hold.objects.filter(record_id=loan.item.record_id, status=Hold.Status.WAITING)
        .exclude(reader_id=loan.reader_id)
        .count()
    )
    if waiting:
        free = (
            Item.objects.filter(record_id=loan.item.record_id, status=Item.Status.ON_SHELF)
            .exclude(pk=loan.item_id)
            .count()
        )
        if waiting > free:
            raise CirculationRefusal(
                _("На цей документ чекають інші читачі, тому продовжити не можна."),
                code="on_hold",
            )
    due = due_date_for(branch=loan.branch, start=today, days=policy.renewal_days)
    if due <= loan.due_on:
        raise CirculationRefusal(
            _("Документ і так можна тримати до %(date)s.") % {"date": _date(loan.due_on)},
            code="too_soon",
        )
    loan.due_on = due
    loan.renewals_used += 1
    loan.save(update_fields=["due_on", "renewals_used"])
    if acting_user is not None and not by_reader:
        audit_log(
            user=acting_user,
            obj=loan,
            message=_("Продовжено до %(date)s") % {"date": _date(due)},
        )
    return loan


def loans_renew_all(*, reader: ReaderProfile, now=None) -> list[tuple[Loan, str | None]]:
    """The reader's «продовжити все»: each open loan renewed on its own; the reason of each
    refusal comes back beside its loan (None when renewed)."""
    results = []
    for loan in Loan.objects.open().filter(reader=reader).order_by("due_on", "pk"):
        try:
            results.append((loan_renew(loan=loan, by_reader=True, now=now), None))
        except CirculationRefusal as refusal:
            results.append((loan, refusal.messages[0]))
    return results


# --- holds -----------------------------------------------------------------------------------


@transaction.atomic
def hold_place(
    *, record: Record, reader: ReaderProfile, pickup_branch: Branch, acting_user=None
) -> Hold:
    """Reserve a title (any copy) for pickup at `pickup_branch`; one active hold per reader
    and title. The hold joins the end of the queue; a copy on a shelf appears on the
    library's pull list (`holds_pull_list`) and is captured when scanned at check-in."""
    reader = ReaderProfile.objects.select_for_update().get(pk=reader.pk)
    lendable = Item.objects.filter(record=record).exclude(
        status__in=[
            Item.Status.REFERENCE,
            Item.Status.WITHDRAWN,
            Item.Status.LOST,
            Item.Status.IN_PROCESSING,
        ]
    )
    if not lendable.exists():
        raise CirculationRefusal(
            _("Цього видання немає серед примірників, що видаються додому."), code="no_copies"
        )
    policy = LoanPolicy.objects.for_(
        branch=pickup_branch, category=reader.category, material_type=record.material_type
    )
    if not (policy.holds_allowed and policy.lends):
        raise CirculationRefusal(_("Таке видання не можна замовити."), code="holds_not_allowed")
    if Loan.objects.open().filter(reader=reader, item__record=record).exists():
        raise CirculationRefusal(_("Це видання вже у вас на руках."), code="already_on_loan")
    if Hold.objects.active().filter(reader=reader, record=record).exists():
        raise CirculationRefusal(_("Ви вже замовили це видання."), code="already_held")
    try:
        with transaction.atomic():
            hold = Hold.objects.create(record=record, reader=reader, pickup_branch=pickup_branch)
    except IntegrityError as error:
        raise CirculationRefusal(_("Ви вже замовили це видання."), code="already_held") from error
    if acting_user is not None:
        audit_log(user=acting_user, obj=hold, action="added", message=_("Замовлено в бібліотеці"))
    return hold


def _lock_hold(hold: Hold) -> Hold:
    return (
        Hold.objects.select_for_update(of=("self",)).select_related("pickup_branch").get(pk=hold.pk)
    )


def _hold_status_change(hold: Hold, status, acting_user, **fields) -> Hold:
    try:
        hold.transition_check(status)
    except ValidationError as error:
        raise CirculationRefusal(error.messages[0], code="invalid_transition") from error
    old = hold.get_status_display()
    hold.status = status
    for name, value in fields.items():
        setattr(hold, name, value)
    hold.save(update_fields=["status", *fields, "updated_at"])
    if acting_user is not None:
        audit_log(
            user=acting_user,
            obj=hold,
            message=_("Стан: %(old)s → %(new)s") % {"old": old, "new": hold.get_status_display()},
        )
    return hold


@transaction.atomic
def hold_suspend(*, hold: Hold, until: date | None = None, acting_user=None, now=None) -> Hold:
    """Pause a waiting hold (until the end of `until`, or until resumed); it keeps its place
    in the queue but is passed over at check-in meanwhile."""
    now = now or timezone.now()
    if until is not None and until < _today(now):
        raise CirculationRefusal(_("Дата вже минула."), code="past_date")
    hold = _lock_hold(hold)
    return _hold_status_change(hold, Hold.Status.SUSPENDED, acting_user, suspended_until=until)


@transaction.atomic
def hold_resume(*, hold: Hold, acting_user=None) -> Hold:
    hold = _lock_hold(hold)
    return _hold_status_change(hold, Hold.Status.WAITING, acting_user, suspended_until=None)


@transaction.atomic
def hold_cancel(*, hold: Hold, acting_user=None, now=None) -> Hold:
    """Cancel an active hold. A copy waiting for it on the hold shelf goes to the next in
    the queue (or home); a copy in transit travels on and is routed when it arrives."""
    now = now or timezone.now()
    current = Hold.objects.get(pk=hold.pk)
    if current.item_id and current.status == Hold.Status.READY:
        _lock_item(current.item)  # the copy before the hold, as everywhere
    hold = _lock_hold(hold)
    was_ready = hold.status == Hold.Status.READY
    _hold_status_change(hold, Hold.Status.CANCELLED, acting_user)
    if was_ready and hold.item_id:
        _hold_release_copy(item=hold.item, branch=hold.pickup_branch, now=now)
    return hold


@transaction.atomic
def hold_change_pickup(*, hold: Hold, pickup_branch: Branch, acting_user=None) -> Hold:
    """Pick the title up at another library; only while the hold still waits in the queue."""
    hold = _lock_hold(hold)
    if hold.status not in Hold.QUEUED:
        raise CirculationRefusal(
            _("Примірник уже відкладено або відправлено — бібліотеку видачі змінити не можна."),
            code="invalid_transition",
        )
    policy = LoanPolicy.objects.for_(
        branch=pickup_branch,
        category=hold.reader.category if hold.reader else "",
        material_type=hold.record.material_type,
    )
    if not (policy.holds_allowed and policy.lends):
        raise CirculationRefusal(_("Таке видання не можна замовити."), code="holds_not_allowed")
    old = hold.pickup_branch.name
    hold.pickup_branch = pickup_branch
    hold.save(update_fields=["pickup_branch", "updated_at"])
    if acting_user is not None:
        audit_log(
            user=acting_user,
            obj=hold,
            message=_("Бібліотека видачі: %(old)s → %(new)s")
            % {"old": old, "new": pickup_branch.name},
        )
    return hold


def hold_queue_position(hold: Hold) -> tuple[int, int]:
    """(position, length) of the title's queue of holds still waiting for a copy, for «ви 3-й
    з 5»; suspended holds keep their place. A hold already ready or in transit is (0, length).
    One query; for lists use `Hold.objects.with_queue_position()`."""
    ids = list(Hold.objects.filter(record_id=hold.record_id).queue().values_list("pk", flat=True))
    if hold.pk in ids:
        return ids.index(hold.pk) + 1, len(ids)
    return 0, len(ids)


def holds_expire(*, today: date | None = None, now=None) -> int:
    """Nightly: ready holds not picked up by their `expires_on` expire and their copies go to
    the next in the queue (or home); suspensions that are over end. Returns how many holds
    expired."""
    now = now or timezone.now()
    today = today or _today(now)
    Hold.objects.filter(status=Hold.Status.SUSPENDED, suspended_until__lt=today).update(
        status=Hold.Status.WAITING, suspended_until=None, updated_at=now
    )
    expired = 0
    due = Hold.objects.filter(status=Hold.Status.READY, expires_on__lt=today).values_list(
        "pk", flat=True
    )
    for hold_id in list(due):
        with transaction.atomic():
            hold = Hold.objects.select_related("item").get(pk=hold_id)
            if hold.item_id:
                _lock_item(hold.item)
            hold = _lock_hold(hold)
            if hold.status != Hold.Status.READY or hold.expires_on >= today:
                continue
            hold.status = Hold.Status.EXPIRED
            hold.save(update_fields=["status", "updated_at"])
            if hold.item_id:
                _hold_release_copy(item=hold.item, branch=hold.pickup_branch, now=now)
            expired += 1
    return expired


def holds_pull_list(*, branch: Branch):
    """Copies on `branch`'s shelves wanted by a hold waiting in the queue (Evergreen's pull
    list): staff fetch them and scan them at check-in, which captures them."""
    wanted = Hold.objects.filter(status=Hold.Status.WAITING).values("record_id")
    return (
        Item.objects.filter(branch=branch, status=Item.Status.ON_SHELF, record_id__in=wanted)
        .select_related("record")
        .order_by("shelf_mark", "inventory_number")
    )


# --- reading history and retention ------------------------------------------------------------


@transaction.atomic
def reading_history_delete(*, reader: ReaderProfile, loan: Loan | None = None) -> int:
    """The reader deletes their reading history (or one returned loan of it): the loans stay
    for statistics without the reader. Open loans are untouched. Returns how many."""
    loans = Loan.objects.returned().filter(reader=reader)
    if loan is not None:
        loans = loans.filter(pk=loan.pk)
    return loans.update(reader=None)


def loans_anonymise(*, before) -> int:
    """Returned loans still naming a reader who keeps no reading history (e.g. one who
    turned the history off) lose the reader; category, libraries, type and dates stay."""
    loans = list(
        Loan.objects.returned()
        .filter(returned_at__lt=before, reader__isnull=False, reader__keeps_reading_history=False)
        .select_for_update(of=("self",))
    )
    audit_forget(loans)
    return Loan.objects.filter(pk__in=[loan.pk for loan in loans]).update(reader=None)


def holds_anonymise(*, before) -> int:
    """Finished holds (fulfilled, cancelled, expired) last changed before `before` lose the
    reader; title, library, states and dates stay for the statistics."""
    holds = list(
        Hold.objects.filter(
            status__in=Hold.FINISHED, updated_at__lt=before, reader__isnull=False
        ).select_for_update(of=("self",))
    )
    audit_forget(holds)
    return Hold.objects.filter(pk__in=[hold.pk for hold in holds]).update(reader=None)


def loans_forget_person(*, user, emails) -> int:
    """Lending's part of closing an account (core.retention.person_forget): refused while the
    reader still has books out — the library must know who has them — otherwise the returned
    loans lose the reader. Returns how many loans were anonymised."""
    loans = Loan.objects.filter(reader__user=user)
    open_count = loans.filter(returned_at__isnull=True).count()
    if open_count:
        raise PermissionDenied(
            ngettext(
                "У вас на руках %(count)d документ: поверніть його, і тоді закрийте запис.",
                "У вас на руках %(count)d документи: поверніть їх, і тоді закрийте запис.",
                open_count,
            )
            % {"count": open_count}
        )
    returned = list(loans.select_for_update(of=("self",)))
    audit_forget(returned)
    return Loan.objects.filter(pk__in=[loan.pk for loan in returned]).update(reader=None)


def holds_forget_person(*, user, emails) -> int:
    """Closing an account cancels the reader's active holds (a copy set aside for them goes
    to the next in the queue) and takes the reader off all their holds."""
    for hold in Hold.objects.active().filter(reader__user=user).order_by("pk"):
        hold_cancel(hold=hold)
    holds = list(Hold.objects.filter(reader__user=user).select_for_update(of=("self",)))
    audit_forget(holds)
    return Hold.objects.filter(pk__in=[hold.pk for hold in holds]).update(reader=None)
