"""Rate limits of the public forms: counted per visitor address, and only for forms that were
accepted — a visitor who corrects mistakes, or a library class behind one shared address
filling in forms together, is not locked out by typos.

Why our own small counter rather than django-ratelimit: django-ratelimit counts every call it
sees and cannot give a count back, so "only accepted forms" had to be a check followed later by
a count — two steps that 60 simultaneous posts slip between (11–13 of them got through a limit
of 10). Here a post first takes a place in the window with one atomic `incr` (atomic in Redis
and in the local-memory cache alike); a post that turns out invalid, or is refused by the
service, gives its place back. Two cache calls per post and nothing else to configure.

When the cache cannot be reached the limit fails open: the post is let through and a warning
logged. Not a fallback counter in PostgreSQL: that would be a second mechanism that only runs
during an outage (so it is the one never exercised), and it would add a write to every post
exactly when the site is degraded. An outage of Redis is short and visible (these warnings,
django-redis's own log); the forms keep their honeypot, CSRF check and validation meanwhile,
and refusing every reader's registration for its duration is the worse failure.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def client_ip(request) -> str:
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


def rate_parse(rate: str) -> tuple[int, int]:
    """ "10/h" → (10, 3600); "5/15m" → (5, 900)."""
    count, _slash, period = rate.partition("/")
    multiplier = period[:-1] or "1"
    if not count.isdigit() or period[-1:] not in PERIODS or not multiplier.isdigit():
        raise ValueError(f"Rate must look like '10/h' or '5/15m', not {rate!r}")
    return int(count), int(multiplier) * PERIODS[period[-1]]


@dataclass
class Place:
    """One post's place in its address's window, until it is accepted or given back."""

    key: str | None

    def release(self) -> None:
        if self.key is None:
            return
        try:
            cache.decr(self.key)
        except ValueError:
            pass  # The window ended meanwhile: there is nothing left to give back.
        except Exception:
            logger.exception("Could not give back a rate-limit place")
        self.key = None


def rate_reserve(request, *, group: str, rate: str) -> Place | None:
    """Take a place for one more `group` form from this address, or None when the address has
    used up `rate`. Call `release()` on the place if the form is then not accepted."""
    limit, period = rate_parse(rate)
    window = int(time.time()) // period
    address = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    key = f"public-form:{group}:{period}:{window}:{address}"
    try:
        # `add` only creates the counter; `incr` is the one atomic step that decides.
        cache.add(key, 0, timeout=period)
        try:
            count = cache.incr(key)
        except ValueError:  # Expired between the two calls, at the very end of a window.
            cache.add(key, 0, timeout=period)
            count = cache.incr(key)
    except Exception as error:  # A cache backend that raises when it cannot be reached.
        count, reason = None, error
    else:
        reason = "no answer"  # django-redis with IGNORE_EXCEPTIONS answers None instead.
    if count is None:
        logger.warning(
            "Rate-limit cache unavailable (%s); letting a %s form through", reason, group
        )
        return Place(None)
    if count > limit:
        Place(key).release()
        return None
    return Place(key)
