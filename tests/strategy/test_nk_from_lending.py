"""Form 6-НК: users, visits and loans (документовидача) computed from what the portal records
(reader registration, lending, event attendance) for the years a library lent through it, and
the hand-entered figures for earlier years, each figure saying where it came from."""

from datetime import date, datetime, timedelta

import pytest

from accounts.models import ReaderProfile
from catalog.models import Item
from circulation.models import Loan
from core.tz import KYIV
from tests.catalog.factories import ItemFactory
from tests.circulation.factories import make_reader_profile
from tests.strategy.factories import manual_value

pytestmark = pytest.mark.django_db

REPORT = "/strategy/reports/"
USERS, CHILDREN, VISITS, LOANS = 22, 23, 25, 28
FROM_LENDING = "обчислено з видач порталу"
TYPED = "введено вручну"


def form_line(response, number):
    for section in response.context["sections"]:
        for line in section.lines:
            if line.number == number:
                return line
    raise AssertionError(f"no row {number}")


def lend(*, branch, reader, on, returned_at=None, returned_branch=None):
    item = ItemFactory(branch=branch, status=Item.Status.ON_LOAN)
    return Loan.objects.create(
        item=item,
        reader=reader,
        branch=branch,
        reader_category=reader.category if reader else "adult",
        home_branch=branch,
        material_type=item.record.material_type,
        loaned_at=on,
        due_on=on.date() + timedelta(days=30),
        returned_at=returned_at,
        returned_branch=returned_branch,
    )


@pytest.fixture
def lending_2025(branch_a, branch_b):
    """At A in 2025: Olena borrows two books on one day and returns one at B later; Taras
    borrows one the same day. B lent nothing that year but typed its figures in."""
    olena = make_reader_profile(branch=branch_a, username="olena")
    taras = make_reader_profile(branch=branch_a, username="taras")
    day = datetime(2025, 3, 4, 11, 0, tzinfo=KYIV)
    lend(
        branch=branch_a,
        reader=olena,
        on=day,
        returned_at=day + timedelta(days=20),
        returned_branch=branch_b,
    )
    lend(branch=branch_a, reader=olena, on=day + timedelta(hours=1))
    lend(branch=branch_a, reader=taras, on=day)
    # Typed for A as well before the portal lent: the lending figures win for 2025.
    manual_value("manual.loans", branch_a, 2025, 999)
    manual_value("manual.visits", branch_a, 2025, 999)
    manual_value("manual.loans", branch_b, 2025, 40)
    manual_value("manual.visits", branch_b, 2025, 60)


def test_a_year_with_loans_shows_the_loans_and_visits_computed_from_lending(
    client, methodologist, lending_2025
):
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": 2025, "library": "branch-5"})

    assert form_line(response, LOANS).value == 3
    # Olena's two loans of one day are one visit; Taras is another.
    assert form_line(response, VISITS).value == 2
    html = response.content.decode()
    assert f'<small class="nk-origin">{FROM_LENDING}</small>' in html
    assert "обчислено з видач порталу і відвідувань заходів" in html


def test_a_library_that_did_not_lend_that_year_keeps_its_typed_figures(
    client, methodologist, lending_2025
):
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": 2025, "library": "branch-7"})

    # A return at B does not make B a library that lends through the portal.
    assert form_line(response, LOANS).value == 40
    assert form_line(response, VISITS).value == 60
    assert form_line(response, LOANS).origin == TYPED


def test_an_earlier_year_shows_the_figures_typed_in(client, methodologist, branch_a):
    manual_value("manual.loans", branch_a, 2023, 500)
    manual_value("manual.visits", branch_a, 2023, 700)
    client.force_login(methodologist)

    response = client.get(REPORT, {"year": 2023, "library": "branch-5"})

    assert form_line(response, LOANS).value == 500
    assert form_line(response, VISITS).value == 700
    assert f'<small class="nk-origin">{TYPED}</small>' in response.content.decode()


def test_the_network_adds_each_library_from_its_own_source(client, methodologist, lending_2025):
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": 2025})

    loans = form_line(response, LOANS)
    assert loans.value == 3 + 40
    assert loans.origin == f"{FROM_LENDING} (бібліотек: 1), {TYPED} (бібліотек: 1)"


def test_a_branch_head_sees_only_their_own_librarys_lending(client, branch_head_a, lending_2025):
    client.force_login(branch_head_a)

    # Asking for another library still gives the head's own.
    own = client.get(REPORT, {"year": 2025, "library": "branch-7"})
    assert form_line(own, LOANS).value == 3
    assert form_line(own, VISITS).value == 2


def test_users_are_readers_registered_or_re_registered_in_the_year(client, methodologist, branch_a):
    def reader(name, *, registered, reregistered=None, category="adult"):
        profile = make_reader_profile(branch=branch_a, username=name, category=category)
        ReaderProfile.objects.filter(pk=profile.pk).update(
            created_at=datetime(*registered, 12, tzinfo=KYIV), reregistered_on=reregistered
        )

    reader("new", registered=(2025, 5, 1), category="child")
    reader("returning", registered=(2023, 2, 1), reregistered=date(2025, 1, 20))
    reader("lapsed", registered=(2023, 2, 1), reregistered=date(2024, 1, 20))
    client.force_login(methodologist)

    response = client.get(REPORT, {"year": 2025, "library": "branch-5"})

    assert form_line(response, USERS).value == 2
    assert form_line(response, CHILDREN).value == 1
    assert form_line(response, USERS).origin == "обчислено з реєстрації читачів порталу"
