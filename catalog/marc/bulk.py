"""Bulk writes for the MARC import: advisory locks on record keys, ids taken from sequences,
COPY for new rows, UPDATE … FROM UNNEST for changed ones, and the batch's search documents built
from memory. No model instances are made: at a million records they cost more than the SQL.
"""

from __future__ import annotations

import hashlib

from django.db import connection

from catalog.indexing import DocumentSource, document_parts, search_documents_write
from catalog.marc import mapping
from core.db import copy_insert  # noqa: F401  (the importer's writes)


def _lock_id(*parts) -> int:
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_keys(keys) -> None:
    """Serialise imports that touch the same records (two uploads, or parallel batches):
    transaction-level advisory locks taken in one order, so they cannot deadlock."""
    ids = sorted({_lock_id("marc-import", *key) for key in keys})
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [ids])


def allocate_ids(model, count: int) -> list[int]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _array_type(field) -> str:
    return field.db_type(connection).split("(")[0]


def update_rows(model, rows: list[dict], names: list[str]) -> None:
    """UPDATE … FROM UNNEST: one statement and one array per column, whatever the row count
    (Django's bulk_update builds a CASE per row and column, which is slow at this size).
    `rows` are dicts with "pk" and the attnames in `names`."""
    if not rows:
        return
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    arrays = [[row["pk"] for row in rows]] + [
        [f.get_db_prep_save(row[f.attname], connection) for row in rows] for f in fields
    ]
    quote = connection.ops.quote_name
    sql = (
        "UPDATE {table} AS t SET {sets} FROM UNNEST({arrays}) AS v({columns}) WHERE t.{pk} = v.{pk}"
    ).format(
        table=quote(model._meta.db_table),
        sets=", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields),
        arrays=", ".join(f"(%s)::{_array_type(f)}[]" for f in [pk, *fields]),
        columns=", ".join(quote(f.column) for f in [pk, *fields]),
        pk=quote(pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)


def document_source(
    pk: int, values: dict, data: mapping.RecordData, subject_rank: dict
) -> DocumentSource:
    """What `catalog.indexing.document_parts` reads of a record, from the batch in memory;
    subjects in the order `record.subjects.all()` gives them (Subject's default ordering)."""
    return DocumentSource(
        pk,
        values,
        [(c.name, c.role) for c in data.contributors],
        sorted(set(data.subjects), key=subject_rank.get),
    )


def reindex_batch(sources: list[DocumentSource]) -> None:
    """The search documents of records already written (updated by the import), computed by
    `catalog.indexing` from what is in memory: same lexemes and the same SQL as
    `records_reindex`, without reading back the records, their contributors and subjects."""
    search_documents_write([(source.pk, document_parts(source)) for source in sources])
