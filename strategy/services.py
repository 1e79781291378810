"""Writes that the strategy pages and admin share: keyword-only and atomic, taking the
acting user so that milestone changes are logged (who, when, what) in the admin log
(core.audit): the milestone's «Історія» in the admin."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.audit import audit_log
from strategy.models import (
    Indicator,
    ManualValue,
    Milestone,
    MilestoneNote,
    Plan,
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
