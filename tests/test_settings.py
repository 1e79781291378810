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
}
# Whatever the developer's shell or CI exported must not leak into these runs.
CLEARED = [
    "REDIS_URL",
    "EMAIL_URL",
    "CSRF_TRUSTED_ORIGINS",
    "CONN_MAX_AGE",
    "API_ANON_RATE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "AXES_FAILURE_LIMIT",
]


def start_django(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(GOOD)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
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
