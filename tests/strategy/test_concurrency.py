"""Two people typing the same library's yearly figure at the same moment end up with one
figure, not two rows and not an error: the unique constraint backs the service."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from strategy.models import ManualValue, Metric
from strategy.services import manual_value_set
from tests.factories import BranchFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_entries_of_one_figure_leave_a_single_row():
    # Transactional tests may find the migrations' rows flushed by an earlier one.
    branch = BranchFactory()
    metric, _created = Metric.objects.get_or_create(
        code="manual.visits", defaults={"name": "Відвідування", "source": "manual"}
    )
    people = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(len(people))
    errors = []

    def enter(person, value):
        try:
            barrier.wait()
            manual_value_set(
                metric=metric, branch=branch, year=2021, value=value, acting_user=person
            )
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enter, args=(person, Decimal(1000 + i)))
        for i, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    row = ManualValue.objects.get(metric=metric, branch=branch, year=2021)
    assert row.value in (Decimal(1000), Decimal(1001))


@pytest.mark.django_db
def test_a_computed_metric_cannot_be_typed_in(branch_a, methodologist):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="обчислюється з даних порталу"):
        manual_value_set(
            metric=Metric.objects.get(code="catalog.holdings"),
            branch=branch_a,
            year=2021,
            value=5,
            acting_user=methodologist,
        )
