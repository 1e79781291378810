"""Shared personas: a reader, librarians of branches A and B, a branch head of A,
a methodologist, and the anonymous visitor (pytest-django's `client`)."""

from datetime import UTC, time

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import StaffProfile
from branches.models import Branch, Service, Specialization
from lutsk_cbs.celery import app
from tests.broker import unreachable_broker
from tests.factories import MONDAY_NOON, ZoneFactory, make_reader, make_staff, set_hours


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests first among the tests that really commit. They restore the migrated data
    (staff groups, plan directions, loan rules) with serialized_rollback; a transactional test
    before them flushes and lets post_migrate create the groups again, and the restore then
    collides with them (auth_group_name_key). pytest-django has already put the database tests
    that roll back first; this keeps its order otherwise."""
    browser = [item for item in items if "tests/browser/" in item.nodeid]
    rest = [item for item in items if "tests/browser/" not in item.nodeid]
    first = next((k for k, item in enumerate(rest) if _transactional(item)), len(rest))
    items[:] = rest[:first] + browser + rest[first:]


# Property-based tests (tests/test_hostile_input.py) each name how many examples they try, so
# the whole suite stays quick. Requests take what they take on a busy machine: no deadline.
# The fixtures (a database transaction, a client) are shared by a test's examples on purpose.
hypothesis_settings.register_profile(
    "lutsk",
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile("lutsk")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every persona gets a password; production-strength hashing would cost ~0.5 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles and rate limits live in the cache (Redis in CI); no test inherits another's.
    _clear_cache()
    yield
    _clear_cache()


def _clear_cache():
    # django-redis's clear() is FLUSHDB, which would also empty Celery's queues in the same
    # Redis database; delete only the cache's own keys.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture
def branch_a(db):
    return Branch.objects.get(slug="branch-5")


@pytest.fixture
def branch_b(db):
    return Branch.objects.get(slug="branch-7")


@pytest.fixture
def reader(branch_a):
    return make_reader(username="reader", branch=branch_a)


@pytest.fixture
def librarian_a(branch_a):
    return make_staff(
        username="librarian_a",
        role=StaffProfile.Role.LIBRARIAN,
        branch=branch_a,
        group_name="Бібліотекар",
    )


@pytest.fixture
def librarian_b(branch_b):
    return make_staff(
        username="librarian_b",
        role=StaffProfile.Role.LIBRARIAN,
        branch=branch_b,
        group_name="Бібліотекар",
    )


@pytest.fixture
def branch_head_a(branch_a):
    return make_staff(
        username="head_a",
        role=StaffProfile.Role.BRANCH_HEAD,
        branch=branch_a,
        group_name="Завідувач філії",
    )


@pytest.fixture
def methodologist(db):
    return make_staff(
        username="methodologist",
        role=StaffProfile.Role.METHODOLOGIST,
        branch=None,
        group_name="Методист",
    )


@pytest.fixture
def freeze_now():
    """`freeze_now(aware_datetime)` stops the clock at that instant for the rest of the test:
    timezone.now(), datetime.now(), date.today() and time.time() all say it (time-machine).
    Called again, it moves the stopped clock."""
    travels = []

    def freeze(moment):
        travel = time_machine.travel(moment, tick=False)
        travel.start()
        travels.append(travel)
        return moment.astimezone(UTC)

    yield freeze
    for travel in reversed(travels):
        travel.stop()


@pytest.fixture
def at_monday_noon(freeze_now, network):
    """The `network` of libraries at noon on a working Monday (MONDAY_NOON)."""
    freeze_now(MONDAY_NOON)
    return network


@pytest.fixture(autouse=True)
def _ukrainian():
    # A request to an /en/ page leaves English active in the thread: reverse() would build /en/
    # addresses and mail would go out in English in the next test. Each test starts Ukrainian.
    with translation.override("uk"):
        yield


@pytest.fixture
def eager_celery(settings):
    """Tasks run in place, so the mail they send lands in mail.outbox (with REDIS_URL set they
    would wait in Redis for a worker the tests do not start)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def network(branch_a, branch_b):
    """Branch A: Mon–Fri 10–18 with lunch 13–14, e-services point, for young people.
    Branch B: Mon–Sat 09–20, home delivery, for people with special needs.
    Children's library No. 2: Mon–Fri 09–17, for children. The other five have no hours yet."""
    service = Service.objects.get
    audience = Specialization.objects.get
    branch_a.address = "вул. Ковельська, 50"
    branch_a.address_en = "50 Kovelska St"
    branch_a.postal_code = "43010"
    branch_a.phone = "+380332000005"
    branch_a.latitude, branch_a.longitude = "50.757400", "25.312100"
    branch_a.save()
    branch_a.services.add(service(slug="egov-point"), service(slug="internet"))
    branch_a.specializations.add(audience(slug="youth"), audience(slug="computer-library"))
    set_hours(branch_a, weekdays=range(5), breaks=(time(13), time(14)))
    ZoneFactory(branch=branch_a, kind="coworking", name="Коворкінг", seats=6)

    branch_b.address = "вул. Львівська, 70"
    branch_b.phone = "+380332000007"
    branch_b.save()
    branch_b.services.add(service(slug="internet"), service(slug="home-delivery"))
    branch_b.specializations.add(audience(slug="special-needs"))
    set_hours(branch_b, weekdays=range(6), opens=time(9), closes=time(20))

    children = Branch.objects.get(slug="children-2")
    children.address = "вул. Шопена, 2"
    children.save()
    children.specializations.add(audience(slug="children"))
    set_hours(children, weekdays=range(5), opens=time(9), closes=time(17))
    return {"a": branch_a, "b": branch_b, "children": children}


@pytest.fixture
def broker_down(settings):
    """The Celery broker cannot be reached (a closed port): publishing a task fails."""
    with unreachable_broker(settings):
        yield
