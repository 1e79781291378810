"""Thin views of the protocols: method check, rate limit, then the protocol module answers."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from catalog.protocols import oai, sru
from core.ratelimit import rate_reserve

# Harvesters and SRU clients are programs: one address may ask this often (per minute by
# default). A whole harvest of 10⁵ records is 500 pages.
RATE = "300/m"


def _over_limit(request, group: str) -> HttpResponse | None:
    rate = getattr(settings, "CATALOG_PROTOCOLS_RATE", RATE)
    if rate_reserve(request, group=group, rate=rate) is not None:
        return None
    # OAI-PMH's flow control: 503 with Retry-After; SRU clients understand it as well.
    response = HttpResponse(status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "60"
    return response


@csrf_exempt  # OAI-PMH harvesters may POST their arguments; nothing here changes state
@require_http_methods(["GET", "HEAD", "POST"])
def oai_view(request):
    return _over_limit(request, "oai") or oai.oai_response(request)


@csrf_exempt  # SRU clients (yaz-client among them) POST their parameters; nothing changes
@require_http_methods(["GET", "HEAD", "POST"])
def sru_view(request):
    return _over_limit(request, "sru") or sru.sru_response(request)
