"""The site under faults of the services it leans on, each against a real service or a real
closed port: Redis gone (cache, broker and results at once), Redis that hangs, and
PostgreSQL cutting a worker's connection."""

import logging
import socket
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from catalog.models import PurchaseSuggestion
from core.mail import mail_outbox_flush
from core.models import OutgoingMail
from egov.models import Booking, HelpRequest
from events.models import Event, Registration
from events.services import registration_create
from lutsk_cbs.celery import app
from tests.broker import unreachable_broker
from tests.catalog.factories import RecordFactory
from tests.egov.factories import SlotFactory
from tests.egov.test_pages import booking_data, help_data
from tests.events.factories import ClubFactory, EventFactory
from tests.events.test_pages import registration_data
from tests.factories import BranchFactory
from tests.volunteers.test_pages import application_data
from volunteers.models import Application

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused


def redis_cache_at(location):
    """The production cache settings (its timeouts and fail-soft options), at `location`."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": django_settings.REDIS_CACHE_OPTIONS,
        }
    }


@contextmanager
def results_at(location):
    """Celery's result backend (also Redis in production) at `location`."""
    saved = app.conf.result_backend
    app.conf.result_backend = location
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    try:
        yield
    finally:
        app.conf.result_backend = saved
        app._backend_cache = None
        app._local.__dict__.pop("backend", None)


@pytest.fixture
def redis_down(settings):
    """Redis is down: the cache, the Celery broker and the result backend all refuse."""
    with (
        override_settings(CACHES=redis_cache_at(DEAD_REDIS)),
        unreachable_broker(settings),
        results_at(DEAD_REDIS),
    ):
        yield


@pytest.fixture
def redis_hangs(settings):
    """A Redis that takes connections and never answers (a frozen server, a full network
    buffer) as cache, broker and result store: only the clients' own timeouts end a call."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    host, port = listener.getsockname()
    frozen = f"redis://{host}:{port}/0"
    with (
        override_settings(CACHES=redis_cache_at(frozen)),
        unreachable_broker(settings, url=frozen),
        results_at(frozen),
    ):
        yield
    listener.close()


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


# --- Redis down ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_redis_down_every_public_page_still_answers(client, redis_down, network):
    record = RecordFactory(title="Кобзар")
    event = EventFactory(branch=network["a"])
    pages = [
        "/",
        "/en/",
        "/branches/",
        f"/branches/{network['a'].slug}/",
        "/catalog/?q=кобзар",
        f"/catalog/records/{record.pk}/",
        "/catalog/autocomplete/?q=коб",
        "/events/",
        f"/events/{event.pk}/",
        "/events/clubs/",
        "/volunteers/",
        "/e-services/",
        "/e-services/slots/",
        "/healthz/",
    ]

    statuses = {page: client.get(page).status_code for page in pages}

    assert statuses == dict.fromkeys(pages, 200)
    assert "Кобзар" in client.get(f"/catalog/records/{record.pk}/").content.decode()


@pytest.mark.django_db
def test_with_redis_down_the_api_answers_and_its_throttle_lets_requests_through(
    client, redis_down, network
):
    RecordFactory()
    EventFactory(branch=network["a"])

    statuses = [
        client.get(url).status_code
        for url in ["/api/v1/branches/", "/api/v1/events/", "/api/v1/records/"]
    ]

    assert statuses == [200, 200, 200]


@pytest.mark.django_db
def test_with_redis_down_every_public_form_is_accepted(client, redis_down, at_monday_noon):
    branch = at_monday_noon["a"]
    event = EventFactory(branch=branch)
    club = ClubFactory(capacity=5)
    slot = SlotFactory(branch=branch, starts_at=timezone.now() + timedelta(days=1))
    posts = [
        ("/catalog/suggest/", {"title": "Тигролови", "website": ""}),
        (reverse("events:register", args=[event.pk]), registration_data()),
        (reverse("events:club_join", args=[club.slug]), registration_data()),
        ("/volunteers/apply/", application_data(branch)),
        ("/e-services/help/", help_data(branch)),
        (f"/e-services/slots/{slot.pk}/", booking_data()),
    ]

    statuses = [client.post(url, data).status_code for url, data in posts]

    assert statuses == [302] * len(posts)
    assert PurchaseSuggestion.objects.count() == 1
    assert Registration.objects.filter(event=event).count() == 1
    assert club.memberships.count() == 1
    assert Application.objects.count() == 1
    assert HelpRequest.objects.count() == 1
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_with_redis_down_the_rate_limit_fails_open_and_says_so_in_the_log(
    client, redis_down, caplog
):
    # Five an hour is the limit while Redis counts; without it, nobody is turned away.
    with caplog.at_level(logging.WARNING, logger="core.ratelimit"):
        statuses = [
            client.post("/catalog/suggest/", {"title": f"Книга {n}", "website": ""}).status_code
            for n in range(7)
        ]

    assert statuses == [302] * 7
    assert PurchaseSuggestion.objects.count() == 7
    warnings = [r for r in caplog.records if r.name == "core.ratelimit"]
    assert len(warnings) == 7
    assert all(r.levelno == logging.WARNING for r in warnings)
    assert "letting a catalog.suggest form through" in warnings[0].getMessage()


@pytest.mark.django_db
def test_with_redis_down_a_sign_up_succeeds_and_its_mail_waits_in_the_outbox(
    client, redis_down, django_capture_on_commit_callbacks
):
    event = EventFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), registration_data())

    assert response.status_code == 302
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.QUEUED
    assert mail.outbox == []
    assert mail_outbox_flush(now=later(2)) == {"sent": 1}
    assert mail.outbox[0].to == ["olena@example.org"]


@pytest.mark.django_db
def test_with_redis_down_staff_sign_in_and_cancel_an_event_and_registrants_hear_later(
    client, branch_a, branch_head_a, redis_down, django_capture_on_commit_callbacks
):
    event = EventFactory(branch=branch_a)
    for number in (1, 2):
        client.post(
            reverse("events:register", args=[event.pk]),
            registration_data(email=f"reader{number}@example.org"),
        )
    OutgoingMail.objects.all().delete()

    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": branch_head_a.username, "password": "correct-horse-battery-staple"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(
            "/admin/events/event/",
            {"action": "cancel", "_selected_action": [event.pk]},
            follow=True,
        )

    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert cancelled.status_code == 200
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == 2
    mail_outbox_flush(now=later(2))
    assert sorted(m.to[0] for m in mail.outbox) == ["reader1@example.org", "reader2@example.org"]


@pytest.mark.django_db
def test_when_only_the_result_store_is_down_a_sign_up_succeeds_and_its_mail_is_not_lost(
    client, settings, django_capture_on_commit_callbacks
):
    # The broker is the real Redis and tasks are queued for a worker; the result store is not
    # reachable, so Celery cannot subscribe to the result before queueing the task.
    event = EventFactory()
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with results_at(DEAD_REDIS), django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("events:register", args=[event.pk]), registration_data())
    finally:
        app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER

    assert response.status_code == 302
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.QUEUED
    mail_outbox_flush(now=later(2))
    assert [m.to for m in mail.outbox] == [["olena@example.org"]]


# --- Redis hangs -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_redis_that_never_answers_slows_the_api_and_forms_but_they_still_answer(
    client, redis_hangs
):
    assert client.get("/api/v1/branches/").status_code == 200
    response = client.post("/catalog/suggest/", {"title": "Тигролови", "website": ""})
    assert response.status_code == 302
    assert PurchaseSuggestion.objects.count() == 1


@pytest.mark.django_db
def test_a_redis_that_never_answers_does_not_hold_staff_cancelling_an_event_for_good(
    client, branch_a, branch_head_a, redis_hangs, django_capture_on_commit_callbacks
):
    event = EventFactory(branch=branch_a)
    for number in (1, 2, 3):
        registration_create(event=event, name=f"Читач {number}", email=f"r{number}@example.org")
    OutgoingMail.objects.all().delete()
    client.force_login(branch_head_a)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(
            "/admin/events/event/",
            {"action": "cancel", "_selected_action": [event.pk]},
            follow=True,
        )

    assert cancelled.status_code == 200
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == 3
    assert mail_outbox_flush(now=later(2)) == {"sent": 3}


# --- PostgreSQL cuts a connection --------------------------------------------------------------


def wsgi_get(handler, path):
    """One request the way gunicorn's worker makes it: the request signals (which close or
    health-check old connections) fire, and the connection outlives the request."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    statuses = []
    response = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_after_postgresql_cuts_a_workers_connection_the_next_request_succeeds():
    # Made here: transactional tests may run after others have flushed the seeded libraries.
    BranchFactory()
    handler = WSGIHandler()
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # connections outlive a request
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    assert wsgi_get(handler, "/branches/") == 200
    backend = connection.connection.info.backend_pid

    # From another connection, as an administrator or a failover would.
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()

    assert wsgi_get(handler, "/branches/") == 200
    assert wsgi_get(handler, "/healthz/") == 200
    assert connection.connection.info.backend_pid != backend
