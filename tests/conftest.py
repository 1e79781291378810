"""Shared personas: a reader, librarians of branches A and B, a branch head of A,
a methodologist, and the anonymous visitor (pytest-django's `client`)."""

from datetime import UTC, time

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import StaffProfile
from branches.models import Branch, Service, Specialization
from tests.broker import unreachable_broker
from tests.factories import ZoneFactory, make_reader, make_staff, set_hours


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
def freeze_now(monkeypatch):
    """`freeze_now(aware_datetime)` makes django.utils.timezone.now() return that instant."""

    def freeze(moment):
        moment = moment.astimezone(UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


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
