"""Keeping each record's search document current.

The document is a weighted `tsvector` over lexemes computed in Python (core.text):
A — title, subtitle and contributors' names; B — series and subjects; C — annotation;
D — Latin transliterations of the title and names («Shevchenko» finds «Шевченко»).
`search_names` holds the lower-cased title and names; its words feed the typo vocabulary
(`SearchWord`). Callers that already hold a batch in memory (the MARC import) compute
`document_parts()` themselves and hand them to `search_documents_write()`.
"""

import logging
from collections.abc import Iterable
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction

from catalog.models import Record
from core import text

BATCH = 2000
# Cached search results (catalog.search) carry this token in their keys; a new token after any
# document is written makes every cached result of the old catalogue unreachable at once.
SEARCH_CACHE_VERSION_KEY = "catalog:search:version"

log = logging.getLogger(__name__)

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

# The same words as migration 0008 that filled the vocabulary the first time. DO NOTHING takes
# no row lock on a word that exists, so import workers never queue behind each other's
# batches on common words.
_VOCABULARY_SQL = """
INSERT INTO catalog_searchword (word)
SELECT DISTINCT word
  FROM unnest(%s::text[]) AS n(names), unnest(string_to_array(n.names, ' ')) AS word
 WHERE word <> '' AND length(word) <= 100
 ORDER BY word
ON CONFLICT (word) DO NOTHING
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
        done += search_documents_write([(record.pk, document_parts(record)) for record in chunk])
    return done


def search_documents_write(rows: list[tuple[int, dict[str, str]]]) -> int:
    """Store `document_parts()` results [(record id, parts), …] and add their words to the
    typo vocabulary; two statements whatever the number of rows. Returns how many rows."""
    if not rows:
        return 0
    columns = [[pk for pk, _ in rows]] + [
        [parts[key] for _, parts in rows] for key in ("a", "b", "c", "d", "names")
    ]
    with connection.cursor() as cursor:
        cursor.execute(_UPDATE_SQL, columns)
        # Sorted, so that two imports adding the same new words wait for each other in one
        # order instead of deadlocking.
        cursor.execute(_VOCABULARY_SQL, [columns[-1]])
    # Now for this transaction's own later searches, and again at commit: a search by another
    # request in between would cache what it saw before the commit under the new token.
    search_cache_invalidate()
    transaction.on_commit(search_cache_invalidate)
    return len(rows)


def search_cache_version() -> str | None:
    """The current token of cached search results; None when the cache cannot be reached."""
    try:
        return cache.get_or_set(SEARCH_CACHE_VERSION_KEY, uuid4().hex, None)
    except Exception:  # the catalogue keeps answering, uncached, while Redis is down
        log.warning("search cache unavailable", exc_info=True)
        return None


def search_cache_invalidate() -> None:
    try:
        cache.set(SEARCH_CACHE_VERSION_KEY, uuid4().hex, None)
    except Exception:
        log.warning("search cache unavailable", exc_info=True)


def record_reindex(record: Record) -> None:
    records_reindex([record.pk])
