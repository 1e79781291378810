import math
from datetime import timedelta

from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from branches.models import Branch, Closure, Service
from core.portal_search import PortalSearchForm, search_everywhere


def home(request):
    now = timezone.now()
    branches = list(Branch.objects.public().with_schedule(around=now))
    statuses = [(branch, branch.status_at(now)) for branch in branches]
    return render(
        request,
        "portal/home.html",
        {
            "open_now": [(b, s) for b, s in statuses if s.is_open],
            "closed_now": [(b, s) for b, s in statuses if not s.is_open],
            "services": Service.objects.all(),
            "closure_groups": closure_groups(
                Closure.objects.upcoming()
                .select_related("branch")
                .filter(start_date__lte=timezone.localdate(now) + timedelta(days=14))[:100]
            )[:6],
        },
    )


def portal_search(request):
    """/search/?q=: one query over books, events, clubs, e-services guides and libraries, a
    few hits of each kind with the count and a link to that section's own search. Each kind
    runs a fixed number of queries (core.portal_search)."""
    form = PortalSearchForm(request.GET)
    query = form.query()
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "portal_query": query,
            "results": search_everywhere(query) if query else [],
        },
    )


def closure_groups(closures):
    """One line per dated change: «27 листопада — санітарний день: філії № 5, № 7…»."""
    groups = {}
    for closure in closures:
        key = (closure.start_date, closure.end_date, closure.kind, closure.reason)
        group = groups.setdefault(key, {"closure": closure, "branches": [], "network": False})
        if closure.branch is None:
            group["network"] = True
        else:
            group["branches"].append(closure.branch)
    return list(groups.values())


@never_cache
def healthz(request):
    """For the load balancer and docker-compose: is the database reachable?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def robots_txt(request):
    """Search engines may index the public pages, not the admin, the API or anyone's secret
    links (registrations, bookings, a volunteer's page)."""
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


ROBOTS_DISALLOW = [
    "/admin/",
    "/api/",
    "/strategy/",
    "/en/strategy/",
    "/events/registration/",
    "/events/clubs/membership/",
    "/volunteers/me/",
    "/e-services/bookings/",
    # Printable copies of the event and guide pages, not pages of their own.
    "/news/poster/",
    "/en/news/poster/",
    "/en/events/registration/",
    "/en/events/clubs/membership/",
    "/en/volunteers/me/",
    "/en/e-services/bookings/",
]


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def signin_lockout(request, original_response=None, credentials=None):
    """django-axes's answer to a sign-in from an address that failed too often (429).

    The sign-in pages (the admin's) have no English address, so the language comes from the
    visitor's cookie or browser (Accept-Language), Ukrainian by default. The page neither names
    the account nor says whether it exists."""
    from axes.helpers import get_cool_off, get_failure_limit

    language = translation.get_language_from_request(request)
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    with translation.override(language):
        response = render(
            request,
            "lockout.html",
            {
                "failure_limit": get_failure_limit(request, credentials),
                "cooloff_minutes": minutes,
                # The admin's address has no English twin to switch to.
                "portal_languages": [],
            },
            status=429,
        )
    response["Content-Language"] = language
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
