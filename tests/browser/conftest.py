"""Chromium through Playwright against pytest-django's live server.

One browser for the whole session; each test gets a fresh context whose every request that
is not to this machine is aborted, so no test sends traffic off it (map tiles, fonts, …).
Without /usr/bin/chromium the tests are skipped, except in CI (CI=true), where a missing
browser is an error: CI must never pass by skipping.
"""

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls the tests and fixtures make next to it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _unavailable(reason):
    if _in_ci():
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _serialized_test_db(django_db_setup):
    """The test database's contents as Django serialized them after migrating.

    Taken before Playwright starts, on purpose: its sync API leaves an event loop running
    in this thread, and from then on Django's `connections` hands out other connection
    objects (asgiref keeps them per context once a loop runs), which lack the serialized
    contents that `serialized_rollback` restores from.
    """
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def browser(_serialized_test_db):
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        _unavailable(f"Chromium did not start: {exc}")
    from django.db import connections

    # The connections the tests use from now on get the migrations' rows to restore too.
    for alias, contents in _serialized_test_db.items():
        connections[alias]._test_serialized_contents = contents
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with settings a plain-http test server needs.

    The server's middleware reads the settings once, when it starts, so a function-scoped
    override would come too late: production settings would redirect every request to https
    and look for a collectstatic manifest nobody built.
    """
    from django.conf import settings
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1"
    )
    plain_http = override_settings(
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    plain_http.enable()
    server = LiveServer(addr)
    yield server
    server.stop()
    plain_http.disable()


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """The live server's URL with the demo data loaded.

    The live server needs a transactional database, which is flushed after every test;
    serialized rollback brings back the rows the data migrations made (the eight libraries,
    services, specializations), and the demo seed adds addresses, hours and closures.
    """
    from branches.models import Branch

    if not Branch.objects.exists():
        pytest.fail("The libraries from the data migrations were not restored.")
    # The libraries' demo data only: the catalogue's demo records would cost seconds per test,
    # and none of these pages needs them.
    call_command("seed_demo", records=0, stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def new_context(browser, site):
    """Make browser contexts bound to the live server; closes them after the test.

    `context.blocked_requests` lists the URLs its pages tried to fetch from anywhere but
    this machine; all of them were aborted.
    """
    contexts = []

    def make(**options):
        options.setdefault("base_url", site)
        options.setdefault("locale", "uk-UA")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        blocked = []

        def only_local(route):
            host = urlsplit(route.request.url).hostname or ""
            if host in LOCAL_HOSTS:
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        context.blocked_requests = blocked
        context.javascript_disabled = options.get("java_script_enabled") is False
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class _Axe(Axe):
    """axe-core that refuses pages without JavaScript instead of hanging on them.

    axe's run waits for timers in the page; with JavaScript off they never fire, and
    `page.evaluate` has no timeout, so the test would wait for ever (the first spaces browser
    test did). Check such a page's HTML in a context with JavaScript instead.
    """

    def run(self, page, *args, **kwargs):
        if getattr(page.context, "javascript_disabled", False):
            pytest.fail(
                "axe cannot check a page opened with java_script_enabled=False: it would hang. "
                "Open the page in a context with JavaScript to check it.",
                pytrace=False,
            )
        return super().run(page, *args, **kwargs)


@pytest.fixture(scope="session")
def axe():
    """The accessibility checker (axe-core); it keeps no state between pages."""
    return _Axe()
