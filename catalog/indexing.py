"""Keeping each record's search document current.

The document is a weighted `tsvector` over lexemes computed in Python (catalog.text):
A — title, subtitle and contributors' names; B — series and subjects; C — annotation;
D — Latin transliterations of the title and names («Shevchenko» finds «Шевченко»).
`search_names` holds the lower-cased title and names for trigram matching.
"""

from collections.abc import Iterable

from django.db import connection

from catalog import text
from catalog.models import Record

BATCH = 2000

_UPDATE_SQL = """
UPDATE catalog_record AS r SET
    search_document =
        setweight(to_tsvector('simple', v.a), 'A') ||
        setweight(to_tsvector('simple', v.b), 'B') ||
        setweight(to_tsvector('simple', v.c), 'C') ||
        setweight(to_tsvector('simple', v.d), 'D'),
    search_names = v.names
FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS a, unnest(%s::text[]) AS b,
             unnest(%s::text[]) AS c, unnest(%s::text[]) AS d, unnest(%s::text[]) AS names) AS v
WHERE r.id = v.id
"""


def document_parts(record: Record) -> dict[str, str]:
    """The four weighted texts and the trigram text of one record, all as lexemes."""
    names = [c.person.name for c in record.contributions.all()]
    subjects = [s.name for s in record.subjects.all()]
    title = " ".join(filter(None, [record.title, record.subtitle]))
    return {
        "a": " ".join(text.lemmas(" ".join([title, *names]))),
        "b": " ".join(text.lemmas(" ".join([record.series, *subjects]))),
        "c": " ".join(text.lemmas(record.annotation)),
        "d": " ".join(text.latin_lexemes(" ".join([title, *names]))),
        "names": text.names_text(title, *names),
    }


def records_reindex(record_ids: Iterable[int]) -> int:
    """Recompute the search documents of these records; returns how many were updated."""
    ids = list(record_ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = (
            Record.objects.filter(pk__in=ids[start : start + BATCH])
            .prefetch_related("contributions__person", "subjects")
            .only("pk", "title", "subtitle", "series", "annotation")
        )
        rows = [(record.pk, document_parts(record)) for record in chunk]
        if not rows:
            continue
        columns = [[pk for pk, _ in rows]] + [
            [parts[key] for _, parts in rows] for key in ("a", "b", "c", "d", "names")
        ]
        with connection.cursor() as cursor:
            cursor.execute(_UPDATE_SQL, columns)
        done += len(rows)
    return done


def record_reindex(record: Record) -> None:
    records_reindex([record.pk])
