"""Staff pages of the plan: dashboard, direction, library, yearly report (page, print, XLSX).

Methodologists and superusers see the whole network; a branch head sees their own library
only; everybody else gets 403. Each page runs a bounded number of queries: the builders in
strategy.figures read sets, one aggregate per metric shown.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.models import Branch
from branches.scoping import staff_scope
from core.audit import audit_latest_for
from core.exports import xlsx_response
from strategy.charts import bar_chart
from strategy.figures import (
    direction_prefetches,
    indicator_rows,
    indicators_of,
    nk_form,
    report_rows,
    yearly_report,
)
from strategy.forms import DashboardFilterForm, ReportFiguresForm, ReportForm
from strategy.models import Direction, ManualValue, Milestone, Plan
from strategy.services import report_figures_save
from strategy.xlsx import report_workbook

OVERDUE_SHOWN = 20


def staff_only(view):
    """Signed-in staff with the plan's view permission; passes their scope (None = network)."""

    @login_required(login_url="admin:login")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        scope = staff_scope(request.user)
        if not request.user.has_perm("strategy.view_plan") or scope == 0:
            # The project has no 403 page of its own; say who may see the plan and how to ask.
            return render(request, "strategy/forbidden.html", status=403)
        return view(request, *args, scope=scope, **kwargs)

    return wrapper


def short_name(library):
    """What fits under a bar: «ЦБ», «ЦДБ», «Ф 5», «Д 2»; the table beside has full names."""
    prefix = {
        Branch.Kind.CENTRAL: _("ЦБ"),
        Branch.Kind.CENTRAL_CHILDREN: _("ЦДБ"),
        Branch.Kind.BRANCH: _("Ф"),
        Branch.Kind.CHILDREN: _("Д"),
    }.get(library.kind, "")
    return f"{prefix} {library.number}" if library.number else prefix or library.slug


def _current_plan():
    year = timezone.localdate().year
    plans = Plan.objects.order_by("-period_start")
    return plans.filter(period_start__lte=year, period_end__gte=year).first() or plans.first()


def _libraries(scope):
    if scope is not None:
        # A branch head's own library, even one hidden from the public site.
        return list(Branch.objects.filter(pk=scope))
    return list(Branch.objects.filter(is_active=True))


@staff_only
def index(request, *, scope):
    plan = _current_plan()
    if plan is None:
        raise Http404(_("Жодного плану ще не створено."))
    return redirect(plan)


@staff_only
def plan_dashboard(request, slug, *, scope):
    plan = get_object_or_404(Plan, slug=slug)
    libraries = _libraries(scope)
    form = DashboardFilterForm(request.GET or None, libraries=libraries, years=plan.years)
    library = year = None
    if form.is_valid():
        library = form.cleaned_data["library"]
        year = form.cleaned_data["year"]
    if scope is not None:
        library = libraries[0]
    branch_ids = [library.pk] if library else None
    years = [year] if year else plan.years

    directions = list(
        plan.directions.select_related("coordinator").prefetch_related("participants")
    )
    milestones = Milestone.objects.filter(direction__plan=plan)
    if library:
        milestones = milestones.for_branch(library.pk)
    if year:
        milestones = milestones.filter(due_date__year=year)
    progress = milestones.progress_by_direction()
    overdue = list(
        milestones.overdue()
        .select_related("direction__plan", "branch")
        .order_by("due_date")[:OVERDUE_SHOWN]
    )
    rows = indicator_rows(indicators_of(directions), years=years, branch_ids=branch_ids)
    rows_by_direction = {}
    for row in rows:
        rows_by_direction.setdefault(row.indicator.direction_id, []).append(row)
    for direction in directions:
        direction.progress = progress.get(
            direction.pk, {"total": 0, "done": 0, "dropped": 0, "overdue": 0}
        )
        direction.rows = rows_by_direction.get(direction.pk, [])
    return render(
        request,
        "strategy/plan_dashboard.html",
        {
            "plan": plan,
            "form": form,
            "library": library,
            "year": year,
            "years": years,
            "directions": directions,
            "overdue": overdue,
            "overdue_total": sum(counts["overdue"] for counts in progress.values()),
            "scoped": scope is not None,
            "has_demo": ManualValue.objects.filter(is_demo=True).exists(),
            "libraries": libraries,
        },
    )


@staff_only
def direction_detail(request, slug, number, *, scope):
    direction = get_object_or_404(
        Direction.objects.select_related("plan", "coordinator").prefetch_related(
            *direction_prefetches()
        ),
        plan__slug=slug,
        number=number,
    )
    libraries = _libraries(scope)
    branch_ids = None if scope is None else [scope]
    years = direction.plan.years
    milestones = direction.milestones.select_related("branch").prefetch_related("notes")
    if scope is not None:
        milestones = milestones.for_branch(scope)
    milestones = list(milestones)
    last_changes = audit_latest_for(milestones)
    for milestone in milestones:
        milestone.last_change = last_changes.get(milestone.pk)
    today = timezone.localdate()
    timeline = [
        {"year": y, "milestones": [m for m in milestones if m.due_date.year == y]} for y in years
    ]
    rows = indicator_rows(
        direction.indicators.all(), years=years, branch_ids=branch_ids, libraries=libraries
    )
    for row in rows:
        row.chart = bar_chart(
            [(c.year, c.value, c.target) for c in row.cells], chart_id=f"years-{row.indicator.pk}"
        )
        row.library_chart = bar_chart(
            [
                (short_name(library), cells[-1].value, cells[-1].target)
                for library, cells in row.by_library
            ],
            chart_id=f"libraries-{row.indicator.pk}",
        )
    return render(
        request,
        "strategy/direction_detail.html",
        {
            "plan": direction.plan,
            "direction": direction,
            "timeline": timeline,
            "today": today,
            "rows": rows,
            "years": years,
            "last_year": years[-1],
            "scoped": scope is not None,
        },
    )


@staff_only
def library_detail(request, slug, library, *, scope):
    plan = get_object_or_404(Plan, slug=slug)
    branch = get_object_or_404(Branch, slug=library)
    if scope is not None and branch.pk != scope:
        raise PermissionDenied
    directions = list(
        plan.directions.select_related("coordinator").prefetch_related("participants")
    )
    progress = Milestone.objects.filter(direction__plan=plan, branch=branch).progress_by_direction()
    milestones = list(
        Milestone.objects.filter(direction__plan=plan, branch=branch)
        .select_related("direction")
        .order_by("due_date")
    )
    rows = indicator_rows(indicators_of(directions), years=plan.years, branch_ids=[branch.pk])
    by_direction = {}
    for row in rows:
        by_direction.setdefault(row.indicator.direction_id, []).append(row)
    for direction in directions:
        participants = direction.participants.all()
        direction.takes_part = (
            direction.coordinator_id == branch.pk
            or branch in participants
            or (not participants and direction.scope != Direction.Scope.COORDINATOR_ONLY)
        )
        direction.is_coordinator = direction.coordinator_id == branch.pk
        direction.progress = progress.get(direction.pk)
        direction.rows = by_direction.get(direction.pk, [])
        direction.own_milestones = [m for m in milestones if m.direction_id == direction.pk]
    return render(
        request,
        "strategy/library_detail.html",
        {"plan": plan, "branch": branch, "directions": directions, "years": plan.years},
    )


def _report_range():
    """Years a report may be asked for: from the first plan's start to the current year."""
    this_year = timezone.localdate().year
    first = Plan.objects.aggregate(first=Min("period_start"))["first"]
    return min(first or this_year - 1, this_year), this_year


def _default_year(library):
    """The year a report opens on, and why, when the form names none: the latest year with
    hand-entered figures for this scope up to last year (a report is for a year that has
    ended); failing that, the current plan's last year."""
    previous = timezone.localdate().year - 1
    values = ManualValue.objects.filter(year__lte=previous)
    if library is not None:
        values = values.filter(branch=library)
    latest = values.aggregate(latest=Max("year"))["latest"]
    if latest is not None:
        if latest == previous:
            return latest, ""
        return latest, _(
            "Показано %(year)s рік — останній, за який у порталі є дані "
            "(відвідування, документовидача); за %(previous)s рік їх ще не внесено. "
            "Інший рік можна обрати нижче."
        ) % {"year": latest, "previous": previous}
    plan = _current_plan()
    if plan is None or plan.period_end >= previous:
        return previous, ""
    year = plan.period_end
    return year, _(
        "Даних, внесених вручну, ще немає; показано %(year)s рік — останній рік плану "
        "«%(plan)s». Інший рік можна обрати нижче."
    ) % {"year": year, "plan": plan}


def _report_args(request, scope):
    libraries = _libraries(scope)
    first_year, last_year = _report_range()
    form = ReportForm(
        request.GET or None, libraries=libraries, first_year=first_year, last_year=last_year
    )
    year = library = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        library = form.cleaned_data["library"]
    elif form.is_bound:
        library = form.cleaned_data.get("library")
    if scope is not None:
        library = libraries[0]
    why = ""
    if year is None:
        year, why = _default_year(library)
        form.show_year(year)
    return form, year, library, why


def _may_enter_figures(user):
    return user.has_perm("strategy.add_manualvalue") and user.has_perm(
        "strategy.change_manualvalue"
    )


def _report_context(request, scope, year, library):
    lines = yearly_report(year=year, branch=library)
    return {
        "year": year,
        "library": library,
        "lines": lines,
        "sections": nk_form(year=year, branch=library, lines=lines),
        # The codes behind each row, for a methodologist tracing a figure (?trace=1).
        "trace": scope is None and request.GET.get("trace") == "1",
        "has_demo": ManualValue.objects.filter(is_demo=True, year=year).exists(),
        "query": urlencode({"year": year, **({"library": library.slug} if library else {})}),
    }


@staff_only
def report(request, *, scope):
    form, year, library, why = _report_args(request, scope)
    context = _report_context(request, scope, year, library)
    context.update(
        form=form,
        why_this_year=why,
        scoped=scope is not None,
        may_trace=scope is None,
        may_enter=library is not None and _may_enter_figures(request.user),
    )
    return render(request, "strategy/report.html", context)


@staff_only
def report_print(request, *, scope):
    _form, year, library, _why = _report_args(request, scope)
    return render(
        request, "strategy/report_print.html", _report_context(request, scope, year, library)
    )


@staff_only
def report_xlsx(request, *, scope):
    _form, year, library, _why = _report_args(request, scope)
    workbook = report_workbook(
        year=year, library=library, sections=nk_form(year=year, branch=library)
    )
    name = library.slug if library else "network"
    return xlsx_response(filename=f"6-nk-{year}-{name}.xlsx", workbook=workbook)


def _shown_as_typed(row, value):
    """A stored count (kept as 7.00) back in its field as «7»; amounts keep their decimals."""
    if value is None or row.kind == "amount":
        return value
    return int(value)


@login_required(login_url="admin:login")
def report_entry(request):
    """The hand-entered rows of 6-НК for one library and year, laid out by section: a
    librarian or branch head enters their own library's, a methodologist any library's."""
    scope = staff_scope(request.user)
    if scope == 0 or not _may_enter_figures(request.user):
        return render(request, "strategy/forbidden.html", status=403)
    libraries = _libraries(scope)
    if scope is not None and request.GET.get("library", "") not in ("", libraries[0].slug):
        raise PermissionDenied
    first_year, last_year = _report_range()
    choice = ReportForm(
        request.GET or None, libraries=libraries, first_year=first_year, last_year=last_year
    )
    year = library = None
    if choice.is_valid():
        year = choice.cleaned_data["year"]
        library = choice.cleaned_data["library"]
    if scope is not None:
        library = libraries[0]
    if year is None and not choice.errors:
        year = last_year - 1
        choice.show_year(year)
    form = None
    if library is not None and year is not None:
        rows = report_rows()
        if request.method == "POST":
            form = ReportFiguresForm(request.POST, rows=rows)
            if form.is_valid():
                changed = report_figures_save(
                    branch=library, year=year, values=form.values(), acting_user=request.user
                )
                messages.success(
                    request,
                    ngettext(
                        "Збережено: змінено %(count)s рядок.",
                        "Збережено: змінено %(count)s рядки.",
                        changed,
                    )
                    % {"count": changed}
                    if changed
                    else _("Нічого не змінилося."),
                )
                query = urlencode({"year": year, "library": library.slug})
                return redirect(f"{reverse('strategy:report_entry')}?{query}")
        else:
            entered = dict(
                ManualValue.objects.filter(
                    branch=library, year=year, metric__in=[r.metric_id for r in rows if r.metric_id]
                ).values_list("metric", "value")
            )
            form = ReportFiguresForm(
                rows=rows,
                initial={
                    ReportFiguresForm.field_name(row): _shown_as_typed(
                        row, entered.get(row.metric_id)
                    )
                    for row in rows
                    if row.is_manual
                },
            )
    return render(
        request,
        "strategy/report_entry.html",
        {
            "choice": choice,
            "form": form,
            "year": year,
            "library": library,
            "scoped": scope is not None,
            "may_view_report": request.user.has_perm("strategy.view_plan"),
            "query": urlencode({"year": year, "library": library.slug}) if form else "",
        },
    )
