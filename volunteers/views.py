"""Public pages of volunteering: the landing «Хочу стати волонтером!», the application form,
open opportunities, home delivery requests, and a volunteer's personal page (reached by the
secret link sent on activation) with sign-ups, hours and the printable certificate."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Min, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import public_form_handle
from volunteers import services
from volunteers.forms import ApplicationForm, DeliveryRequestForm, HoursForm
from volunteers.models import (
    Application,
    DeliveryRequest,
    HoursEntry,
    Interest,
    Opportunity,
    SignUp,
)

PAGE_SIZE = 20
LANDING_OPPORTUNITIES = 6
# Public forms: at most this many accepted submissions per address.
FORM_RATE = "5/h"
PERSONAL_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


def _open_opportunities():
    return Opportunity.objects.open().select_related("branch")


def index(request):
    return render(
        request,
        "volunteers/index.html",
        {
            "interests": Interest.choices,
            "opportunities": _open_opportunities()[:LANDING_OPPORTUNITIES],
        },
    )


def opportunity_list(request):
    page = Paginator(_open_opportunities(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "volunteers/opportunity_list.html", {"page": page})


def _public_form(request, form_class, *, template, create, thanks, group):
    form = form_class(request.POST if request.method == "POST" else None)
    sent = public_form_handle(request, form, limit_key=group, rate=FORM_RATE, on_valid=create)
    if sent.accepted:
        return redirect(thanks)
    return render(request, template, {"form": form, "limited": sent.limited}, status=sent.status)


def apply(request):
    def create(form):
        application = services.application_create(
            data={**form.service_data(), "language": get_language() or "uk"},
            branches=form.cleaned_data["other_branches"],
        )
        return application

    return _public_form(
        request,
        ApplicationForm,
        template="volunteers/application_form.html",
        create=create,
        thanks="volunteers:apply_thanks",
        group="volunteers.apply",
    )


def apply_thanks(request):
    return render(request, "volunteers/application_thanks.html")


def delivery(request):
    return _public_form(
        request,
        DeliveryRequestForm,
        template="volunteers/delivery_form.html",
        create=lambda form: services.delivery_create(data=form.service_data()),
        thanks="volunteers:delivery_thanks",
        group="volunteers.delivery",
    )


def delivery_thanks(request):
    return render(request, "volunteers/delivery_thanks.html")


def _volunteer(token):
    volunteer = (
        Application.objects.filter(access_token=token, anonymised_at__isnull=True)
        .exclude(status=Application.Status.DECLINED)
        .first()
    )
    if volunteer is None:
        raise Http404
    return volunteer


def _personal(response):
    for header, value in PERSONAL_HEADERS.items():
        response[header] = value
    return response


@never_cache
def me(request, token):
    volunteer = _volunteer(token)
    if request.method == "POST":
        hours_form = HoursForm(request.POST)
        if volunteer.status != Application.Status.ACTIVE:
            hours_form.add_error(None, _("Години вносять лише активні волонтери."))
        elif hours_form.is_valid():
            services.hours_log(volunteer=volunteer, **hours_form.cleaned_data)
            messages.success(
                request, _("Години внесено. Вони зарахуються після підтвердження бібліотекарем.")
            )
            return redirect(volunteer.get_personal_url())
    else:
        hours_form = HoursForm(
            initial={
                "branch": volunteer.branch_id,
                "date": timezone.localdate(),
                # Most volunteers keep to one activity: preselect their first interest.
                "activity": next(iter(volunteer.interests), ""),
            }
        )
    signups = SignUp.objects.filter(volunteer=volunteer).select_related("opportunity__branch")
    signed_up = {signup.opportunity_id for signup in signups}
    opportunities = [
        opportunity
        for opportunity in _open_opportunities()[:PAGE_SIZE]
        if opportunity.pk not in signed_up
    ]
    response = render(
        request,
        "volunteers/me.html",
        {
            "volunteer": volunteer,
            "signups": signups,
            "opportunities": opportunities,
            "hours": volunteer.hours.select_related("branch")[:PAGE_SIZE],
            # The reader's address and phone are shown only here, only while the delivery is
            # the volunteer's to make.
            "deliveries": volunteer.deliveries.filter(
                status=DeliveryRequest.Status.ASSIGNED,
                volunteer__status=Application.Status.ACTIVE,
            ).select_related("branch"),
            "totals": services.volunteer_totals(volunteer),
            "hours_form": hours_form,
            "can_sign_up": volunteer.status == Application.Status.ACTIVE,
        },
        status=400 if request.method == "POST" else 200,
    )
    return _personal(response)


@require_POST
def sign_up(request, token, pk):
    volunteer = _volunteer(token)
    opportunity = get_object_or_404(Opportunity, pk=pk)
    try:
        services.opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
    except services.SignUpError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ви записалися. Напередодні надішлемо нагадування."))
    return redirect(volunteer.get_personal_url())


@require_POST
def cancel(request, token, pk):
    volunteer = _volunteer(token)
    signup = get_object_or_404(
        SignUp.objects.select_related("opportunity"), pk=pk, volunteer=volunteer
    )
    if signup.opportunity.has_started:
        # The record of who came stays; hours are logged against it.
        messages.error(request, _("Ця подія вже почалася: запис не скасовується."))
    else:
        services.signup_cancel(signup=signup)
        messages.success(request, _("Запис скасовано."))
    return redirect(volunteer.get_personal_url())


@never_cache
def certificate(request, token):
    volunteer = _volunteer(token)
    approved = HoursEntry.objects.approved().filter(volunteer=volunteer)
    rows = list(approved.values("activity").annotate(total=Sum("hours")).order_by("activity"))
    labels = dict(Interest.choices)
    span = approved.aggregate(first=Min("date"), last=Max("date"))
    response = render(
        request,
        "volunteers/certificate.html",
        {
            "volunteer": volunteer,
            "rows": [{"activity": labels[row["activity"]], "total": row["total"]} for row in rows],
            "total": sum((row["total"] for row in rows), start=0),
            "first_date": span["first"],
            "last_date": span["last"],
            "issued_on": timezone.localdate(),
        },
    )
    return _personal(response)
