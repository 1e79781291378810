"""Bulk writes of the MARC import and the demo seed: each new record written once, with its
search document, and the copies' change trigger still dating records other writes touch."""

from datetime import timedelta

import pytest
from django.db import connection, transaction

from catalog.indexing import DocumentSource, document_parts, records_insert
from catalog.marc.bulk import allocate_ids
from catalog.models import Item, Record
from catalog.search import search_records
from tests.catalog.factories import ItemFactory
from tests.factories import BranchFactory


def record_row_updates() -> int:
    """Rows of catalog_record this transaction has updated so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'catalog_record'"
        )
        return cursor.fetchone()[0]


def insert_record(title: str) -> int:
    (pk,) = allocate_ids(Record, 1)
    values = {"id": pk, "title": title, "year": 1840}
    people = [("Шевченко, Тарас Григорович", "author")]
    records_insert([values], [document_parts(DocumentSource(pk, values, people, ["Поезія"]))])
    return pk


@pytest.mark.django_db(transaction=True)
def test_a_new_record_and_its_copies_in_one_transaction_write_the_record_once():
    branch = BranchFactory()
    with transaction.atomic():
        pk = insert_record("Кобзар")
        ItemFactory(record_id=pk, branch=branch)
        ItemFactory(record_id=pk, branch=branch)
        assert record_row_updates() == 0
    record = Record.objects.get(pk=pk)
    # Found by its title and by its author's name in another case: the document came along.
    for query in ("кобзар", "Шевченка"):
        assert [r.pk for r in search_records(query=query).records] == [pk]

    # A copy changed later, in a transaction of its own, still dates its record.
    before = record.updated_at
    with transaction.atomic():
        Item.objects.filter(record_id=pk).update(status=Item.Status.LOST)
        assert record_row_updates() == 1
    assert Record.objects.get(pk=pk).updated_at > before


@pytest.mark.django_db(transaction=True)
def test_a_record_given_an_older_time_in_the_transaction_is_dated_by_its_new_copy():
    branch = BranchFactory()
    with transaction.atomic():
        pk = insert_record("Гайдамаки")
        old = Record.objects.get(pk=pk).updated_at - timedelta(days=3)
        Record.objects.filter(pk=pk).update(updated_at=old)
        ItemFactory(record_id=pk, branch=branch)
    assert Record.objects.get(pk=pk).updated_at > old + timedelta(days=2)
