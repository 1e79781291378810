"""Settings come from the environment; a bad value stops start-up and names the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

GOOD = {
    "DJANGO_SETTINGS_MODULE": "lutsk_cbs.settings",
    "DEBUG": "false",
    "SECRET_KEY": "a-long-enough-secret-key-for-the-settings-test-0123456789",
    "ALLOWED_HOSTS": "library.example.org",
    # A PostgreSQL URL: settings parse it without connecting, so no embedded server starts.
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lutsk_cbs",
    # Settings only check its form; nothing connects while Django sets up.
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
# Whatever the developer's shell or CI exported must not leak into these runs.
CLEARED = [
    "REDIS_URL",
    "ALLOW_LOCAL_CACHE",
    "CACHE_KEY_PREFIX",
    "EMAIL_URL",
    "CSRF_TRUSTED_ORIGINS",
    "CONN_MAX_AGE",
    "API_ANON_RATE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "AXES_FAILURE_LIMIT",
]


def start_django(code="import django; django.setup()", **overrides):
    """Run `code` in a fresh Python with the good settings; an override of None unsets."""
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(GOOD)
    env.update(overrides)
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_project_starts_with_good_settings():
    result = start_django()

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "variable, value",
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x"),
        ("REDIS_URL", "http://x"),
        ("CSRF_TRUSTED_ORIGINS", "example.org"),
        ("EMAIL_URL", "bogus://"),
        ("CONN_MAX_AGE", "forever"),
        ("SECURE_SSL_REDIRECT", "perhaps"),
        ("ADMINS", "nobody"),
        ("TRUSTED_PROXY_COUNT", "two"),
    ],
)
def test_bad_value_stops_start_up_and_names_the_variable(variable, value):
    result = start_django(**{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]


def test_production_without_a_secret_key_does_not_start():
    result = start_django(SECRET_KEY="", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_development_without_a_secret_key_starts():
    result = start_django(SECRET_KEY="", DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_production_without_allowed_hosts_does_not_start():
    result = start_django(ALLOWED_HOSTS="")

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr.strip().splitlines()[-1]


def test_well_formed_service_urls_and_origins_are_accepted():
    result = start_django(
        DEBUG="yes",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp://user:pass@mail.example.org:587",
        CSRF_TRUSTED_ORIGINS="https://library.example.org, https://www.example.org",
    )

    assert result.returncode == 0, result.stderr


def test_production_without_redis_does_not_start_and_names_the_variable():
    # A per-process cache would count rate limits per worker and forget invalidations.
    result = start_django(REDIS_URL=None, DEBUG="false")

    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr.strip().splitlines()[-1]


def test_development_without_redis_starts_with_a_local_cache():
    result = start_django(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])",
        REDIS_URL=None,
        DEBUG="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def cache_script(action):
    """Python that writes a cached search result, or prints what it finds under its key."""
    step = (
        'cache.set("search:kobzar", "results of this site", 60)'
        if action == "write"
        else 'print(cache.get("search:kobzar", "nothing cached"))'
    )
    return f"import django; django.setup(); from django.core.cache import cache; {step}"


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real Redis)")
def test_two_sites_sharing_one_redis_do_not_read_each_others_cache():
    redis = settings.REDIS_URL
    site_a = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cbs_site_a", "REDIS_URL": redis}
    site_b = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cbs_site_b", "REDIS_URL": redis}
    written = start_django(cache_script("write"), **site_a)
    assert written.returncode == 0, written.stderr

    seen_by_b = start_django(cache_script("read"), **site_b)
    seen_by_a = start_django(cache_script("read"), **site_a)

    assert seen_by_b.stdout.strip() == "nothing cached", seen_by_b.stderr
    assert seen_by_a.stdout.strip() == "results of this site", seen_by_a.stderr
