"""The key every public form's rate limit counts by."""

from django.conf import settings


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
