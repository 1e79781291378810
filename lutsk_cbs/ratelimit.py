"""Rate limits of the public forms: counted per visitor address, and only for forms that were
accepted — a visitor who corrects mistakes, or a library class behind one shared address
filling in forms together, is not locked out by typos."""

from django.conf import settings
from django_ratelimit.core import get_usage, is_ratelimited


def client_ip(group, request):
    """The visitor's address. Behind TRUSTED_PROXY_COUNT reverse proxies the connection comes
    from the proxy, so the address is read from X-Forwarded-For the way DRF's throttles and
    django-axes read it; otherwise every visitor would share one limit."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def too_many_sent(request, *, group: str, rate: str) -> bool:
    """Has this address already had `rate` forms of `group` accepted? Checking counts nothing."""
    usage = get_usage(
        request, group=group, key=client_ip, rate=rate, method=get_usage.ALL, increment=False
    )
    # An unreachable cache reports a limit of 0: refuse rather than let a flood through.
    return usage["count"] >= usage["limit"]


def count_sent(request, *, group: str, rate: str) -> None:
    """Count one accepted form of `group` for this address."""
    is_ratelimited(
        request, group=group, key=client_ip, rate=rate, method=is_ratelimited.ALL, increment=True
    )
