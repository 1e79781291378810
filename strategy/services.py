"""Writes that the strategy pages and admin share: keyword-only and atomic, taking the
acting user so that milestone changes are logged (who, when, what) in the admin log
(core.audit): the milestone's «Історія» in the admin."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.audit import audit_log, audit_status_message
from core.mail import mail_send
from strategy.models import (
    ExtraIncome,
    GrantApplication,
    Indicator,
    ManualValue,
    Milestone,
    MilestoneNote,
    Plan,
    StudyTrip,
    TrainingPlan,
    TrainingRecord,
)

# Fields whose changes go to the milestone's history.
LOGGED_FIELDS = ("title", "due_date", "branch", "status", "direction")


def milestone_check_transition(*, old_status, new_status):
    if old_status == new_status:
        return
    Milestone(status=old_status).transition_check(new_status)


def _shown(milestone, name):
    value = getattr(milestone, name)
    if name == "status":
        return str(Milestone.Status(value).label)
    if name == "due_date":
        return f"{value:%d.%m.%Y}"
    return "" if value is None else str(value)


@transaction.atomic
def milestone_save(*, milestone, acting_user, note=""):
    """Create or update a milestone; every changed field is logged, status moves checked."""
    before = None
    if milestone.pk:
        before = Milestone.objects.select_for_update().get(pk=milestone.pk)
        milestone_check_transition(old_status=before.status, new_status=milestone.status)
    if milestone.status == Milestone.Status.DONE:
        milestone.completed_on = milestone.completed_on or timezone.localdate()
    else:
        milestone.completed_on = None
    milestone.full_clean()
    milestone.save()
    if before is None:
        audit_log(
            user=acting_user,
            obj=milestone,
            action="added",
            message=_("Створено, стан «%(status)s»") % {"status": _shown(milestone, "status")},
        )
    for name in LOGGED_FIELDS:
        attname = Milestone._meta.get_field(name).attname
        if before is None or getattr(before, attname) == getattr(milestone, attname):
            continue
        audit_log(
            user=acting_user,
            obj=milestone,
            message=_("%(field)s: %(old)s → %(new)s")
            % {
                "field": capfirst(Milestone._meta.get_field(name).verbose_name),
                "old": _shown(before, name)[:300] or "—",
                "new": _shown(milestone, name)[:300] or "—",
            },
        )
    if note:
        MilestoneNote.objects.create(milestone=milestone, text=note, created_by=acting_user)
    return milestone


def milestone_set_status(*, milestone, status, acting_user, note=""):
    milestone.status = status
    return milestone_save(milestone=milestone, acting_user=acting_user, note=note)


@transaction.atomic
def manual_value_set(*, metric, branch, year, value, acting_user, note=""):
    """Enter or correct a library's yearly figure; the unique constraint keeps it single."""
    if not metric.is_manual:
        raise ValidationError(
            _("Показник «%(name)s» обчислюється з даних порталу, його не вносять вручну.")
            % {"name": metric.name},
            code="computed_metric",
        )
    row, _created = ManualValue.objects.update_or_create(
        metric=metric,
        branch=branch,
        year=year,
        defaults={"value": value, "note": note, "entered_by": acting_user, "is_demo": False},
    )
    return row


@transaction.atomic
def plan_copy_directions(*, source, target):
    """Give `target` the directions of `source` with their libraries and indicators.

    Periods are moved onto the new plan's years; milestones and targets stay behind, since
    they belong to the earlier plan's years. Returns the number of directions copied.
    """
    if target.directions.exists():
        raise ValidationError(
            _("У плані «%(plan)s» уже є напрямки; копіюють лише в порожній план.")
            % {"plan": target.title},
            code="target_not_empty",
        )
    copied = 0
    for direction in source.directions.prefetch_related("participants", "indicators"):
        participants = list(direction.participants.all())
        indicators = list(direction.indicators.all())
        direction.pk = None
        direction._state.adding = True
        # The prefetched lists belong to the source row; left in place they would make
        # participants.set() believe the copy already has them.
        direction._prefetched_objects_cache = {}
        direction.plan = target
        direction.period_start = target.period_start
        direction.period_end = target.period_end
        direction.save()
        direction.participants.set(participants)
        Indicator.objects.bulk_create(
            Indicator(direction=direction, metric_id=i.metric_id, position=i.position)
            for i in indicators
        )
        copied += 1
    return copied


@transaction.atomic
def plan_create(*, title, slug, period_start, period_end, copy_from=None, **fields):
    plan = Plan(title=title, slug=slug, period_start=period_start, period_end=period_end, **fields)
    plan.full_clean()
    plan.save()
    if copy_from is not None:
        plan_copy_directions(source=copy_from, target=plan)
    return plan


@transaction.atomic
def report_figures_save(*, branch, year, values, acting_user):
    """Store a library's hand-entered 6-НК figures for `year`: `values` is {metric: value or
    None}; None clears a figure entered before. Only changed figures are rewritten (so «вніс»
    stays true); the change is logged on the library with the number of rows, no figures.
    Returns how many figures changed."""
    existing = {
        row.metric_id: row
        for row in ManualValue.objects.select_for_update().filter(
            branch=branch, year=year, metric__in=list(values)
        )
    }
    changed = 0
    for metric, value in values.items():
        if not metric.is_manual:
            raise ValidationError(
                _("Показник «%(name)s» обчислюється з даних порталу, його не вносять вручну.")
                % {"name": metric.name},
                code="computed_metric",
            )
        row = existing.get(metric.pk)
        if value is None:
            if row is not None:
                row.delete()
                changed += 1
            continue
        if row is not None and row.value == value and not row.is_demo:
            continue
        ManualValue.objects.update_or_create(
            metric=metric,
            branch=branch,
            year=year,
            defaults={"value": value, "entered_by": acting_user, "is_demo": False},
        )
        changed += 1
    if changed:
        audit_log(
            user=acting_user,
            obj=branch,
            message=_("6-НК за %(year)s рік: змінено рядків — %(count)s")
            % {"year": year, "count": changed},
        )
    return changed


# --- Registers of issue 16: grants, income, training, study trips ------------------------------


@transaction.atomic
def register_save(*, obj, acting_user, related=None):
    """Save a row of one of the plan's registers (income, training record, training plan,
    study trip) on behalf of `acting_user`: validated, no longer demo data. `related` is a
    callable that saves its many-to-many fields after the row (the admin form's save_m2m).
    The admin logs additions and changes itself; these registers have no status."""
    if not isinstance(obj, (ExtraIncome, TrainingRecord, TrainingPlan, StudyTrip)):
        raise TypeError(f"not a register row: {type(obj).__name__}")
    if acting_user is None:
        raise ValueError("register_save needs the acting user")
    obj.is_demo = False
    obj.full_clean()
    obj.save()
    if related is not None:
        related()
    return obj


@transaction.atomic
def grant_save(*, grant, acting_user):
    """Save a grant application; a status change is logged as one, and a moved deadline or
    report date is reminded about again."""
    old = GrantApplication.objects.select_for_update().filter(pk=grant.pk).first()
    grant.is_demo = False
    if old is not None:
        if old.deadline != grant.deadline:
            grant.deadline_reminded_at = None
        if old.report_due != grant.report_due:
            grant.report_reminded_at = None
    grant.full_clean()
    grant.save()
    if old is not None and old.status != grant.status:
        audit_log(
            user=acting_user,
            obj=grant,
            message=audit_status_message(grant, old.status, grant.status),
        )
    return grant


def grants_remind(*, today=None, now=None) -> dict:
    """Mail the responsible staff member of each grant application GRANT_REMINDER_DAYS days
    (or fewer) before its submission deadline while it is being prepared, and before the
    report to the funder is due once supported. Each reminder once: the mark and the outbox
    row commit together. Returns {"deadline": n, "report": n}."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    horizon = today + timedelta(days=settings.GRANT_REMINDER_DAYS)
    sent = {"deadline": 0, "report": 0}
    due = {
        "deadline": GrantApplication.objects.filter(
            status=GrantApplication.Status.PREPARING,
            deadline__gte=today,
            deadline__lte=horizon,
            deadline_reminded_at__isnull=True,
        ),
        "report": GrantApplication.objects.filter(
            status=GrantApplication.Status.WON,
            report_due__gte=today,
            report_due__lte=horizon,
            report_reminded_at__isnull=True,
        ),
    }
    for kind, grants in due.items():
        mark = f"{kind}_reminded_at"
        grants = grants.filter(responsible__isnull=False, responsible__is_active=True).exclude(
            responsible__email=""
        )
        for grant in grants.select_related("responsible").iterator():
            with transaction.atomic():
                if GrantApplication.objects.filter(pk=grant.pk, **{f"{mark}__isnull": True}).update(
                    **{mark: now}
                ):
                    date = grant.deadline if kind == "deadline" else grant.report_due
                    mail_send(
                        to=grant.responsible.email,
                        template="strategy/email/grant_reminder",
                        context={"grant": grant, "kind": kind, "days": (date - today).days},
                        language=grant.responsible.preferred_language,
                    )
                    sent[kind] += 1
    return sent


def training_plan_vs_actual(*, year, branch_ids=None):
    """The training plans of `year` beside what was recorded, per library and per planned
    person. Returns a list of libraries, each
    {"branch_id", "planned_hours", "hours", "planned_courses", "courses", "people": [...]},
    a person being {"staff_id", "name", "planned_hours", "hours", "planned_courses", "courses"}.
    Three queries whatever the data."""
    plans = TrainingPlan.objects.filter(year=year).select_related("staff")
    records = TrainingRecord.objects.filter(date__year=year)
    if branch_ids is not None:
        plans = plans.filter(branch__in=list(branch_ids))
        records = records.filter(branch__in=list(branch_ids))
    done = {
        (row["branch"], row["staff"]): row
        for row in records.values("branch", "staff")
        .annotate(hours=Sum("hours"), courses=Count("pk"))
        .order_by()
    }
    libraries = defaultdict(
        lambda: {
            "planned_hours": Decimal(0),
            "planned_courses": 0,
            "hours": Decimal(0),
            "courses": 0,
            "people": [],
        }
    )
    for (branch_id, _staff), row in done.items():
        libraries[branch_id]["hours"] += row["hours"]
        libraries[branch_id]["courses"] += row["courses"]
    for plan in plans:
        library = libraries[plan.branch_id]
        library["planned_hours"] += plan.hours
        library["planned_courses"] += plan.courses
        if plan.staff_id:
            actual = done.get((plan.branch_id, plan.staff_id), {})
            library["people"].append(
                {
                    "staff_id": plan.staff_id,
                    "name": plan.staff.get_full_name().strip() or plan.staff.get_username(),
                    "planned_hours": plan.hours,
                    "planned_courses": plan.courses,
                    "hours": actual.get("hours") or Decimal(0),
                    "courses": actual.get("courses", 0),
                }
            )
    result = []
    for branch_id, library in libraries.items():
        library["people"].sort(key=lambda person: person["name"])
        library["branch_id"] = branch_id
        result.append(library)
    return result
