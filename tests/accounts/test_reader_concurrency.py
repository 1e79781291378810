"""Card numbers under simultaneous registrations: the database sequence gives each its own."""

import threading

import pytest
from django.db import connection

from accounts.models import ReaderProfile
from accounts.services import reader_register
from tests.accounts.test_cards import luhn_ok
from tests.factories import BranchFactory


# Real connections (threads), so the database is flushed after the test: no shared personas.
@pytest.mark.django_db(transaction=True)
def test_readers_registering_at_the_same_moment_get_different_valid_card_numbers():
    branch = BranchFactory()
    people = 8
    barrier = threading.Barrier(people)
    numbers, errors = [], []

    def worker(number):
        try:
            barrier.wait(timeout=10)
            profile = reader_register(
                home_branch=branch,
                birth_year=1990,
                first_name="Читач",
                last_name=f"Паралельний{number}",
                email=f"parallel{number}@example.org",
            )
            numbers.append(profile.card_number)
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(numbers)) == people
    assert all(luhn_ok(number) for number in numbers)
    assert ReaderProfile.objects.filter(home_branch=branch).count() == people
