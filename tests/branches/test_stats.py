from datetime import date

import pytest

from branches import stats
from branches.models import Closure, Zone

pytestmark = pytest.mark.django_db


def test_a_repair_counts_in_the_year_it_ends_and_other_closures_do_not(branch_a, branch_b):
    Closure.objects.create(
        branch=branch_a, kind="repairs", start_date=date(2018, 12, 1), end_date=date(2019, 2, 1)
    )
    Closure.objects.create(
        branch=branch_a, kind="repairs", start_date=date(2019, 7, 1), end_date=date(2019, 8, 1)
    )
    Closure.objects.create(
        branch=branch_b, kind="sanitary", start_date=date(2019, 3, 29), end_date=date(2019, 3, 29)
    )
    Closure.objects.create(
        branch=None, kind="repairs", start_date=date(2019, 5, 1), end_date=date(2019, 5, 2)
    )

    assert stats.repairs(years=[2018, 2019]) == {(branch_a.pk, 2019): 2}
    assert stats.repairs(years=[2019], branch_ids=[branch_b.pk]) == {}


def test_zones_are_counted_from_their_opening_and_zones_without_a_date_every_year(
    branch_a, branch_b
):
    Zone.objects.create(branch=branch_a, kind="quiet")  # there before the plan
    Zone.objects.create(branch=branch_a, kind="coworking", opened_on=date(2018, 9, 1))
    Zone.objects.create(branch=branch_b, kind="children", opened_on=date(2020, 12, 31))

    assert stats.zones(years=[2017, 2018, 2020]) == {
        (branch_a.pk, 2017): 1,
        (branch_a.pk, 2018): 2,
        (branch_a.pk, 2020): 2,
        (branch_b.pk, 2020): 1,
    }
    assert stats.zones_opened(years=[2017, 2018, 2020]) == {
        (branch_a.pk, 2018): 1,
        (branch_b.pk, 2020): 1,
    }
    assert stats.zones(years=[2020], branch_ids=[branch_b.pk]) == {(branch_b.pk, 2020): 1}
