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
from types import SimpleNamespace
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Contribution, Record
from core import text

BATCH = 2000
# Titles up to this many words get a key of their own (see `title_keys`).
TITLE_KEY_WORDS = 12
# Cached search results (catalog.search) carry this token in their keys; a new token after any
# document is written makes every cached result of the old catalogue unreachable at once.
SEARCH_CACHE_VERSION_KEY = "catalog:search:version"

log = logging.getLogger(__name__)

# The weighted document from a row `v` holding the texts of `document_parts()`.
_DOCUMENT_SQL = """
        setweight(to_tsvector('simple', v.a), 'A') ||
        setweight(to_tsvector('simple', v.b), 'B') ||
        setweight(to_tsvector('simple', v.c), 'C') ||
        setweight(to_tsvector('simple', v.d), 'D') ||
        setweight(to_tsvector('simple', v.keys), 'A')"""

_UPDATE_SQL = (
    """
UPDATE catalog_record AS r SET
    search_document = """
    + _DOCUMENT_SQL
    + """,
    search_names = v.names
FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS a, unnest(%s::text[]) AS b,
             unnest(%s::text[]) AS c, unnest(%s::text[]) AS d, unnest(%s::text[]) AS names,
             unnest(%s::text[]) AS keys) AS v
WHERE r.id = v.id
"""
)

# New records go through a temporary table: COPY is the fastest way in, and the INSERT …
# SELECT from it computes every document of the batch in one statement, so each row is
# written once, with its document, instead of inserted and then updated (a second version of
# the row and of all its index entries, two GIN indexes among them).
STAGE_TABLE = "catalog_record_stage"
_STAGE_COLUMNS = ("a", "b", "c", "d", "keys")

# The same words as migration 0008 that filled the vocabulary the first time. DO NOTHING takes
# no row lock on a word that exists, so import workers never queue behind each other's
# batches on common words.
_VOCABULARY_SQL = """
INSERT INTO catalog_searchword (word)
SELECT word FROM unnest(%s::text[]) AS word
 WHERE word <> '' AND length(word) <= 100
 ORDER BY word
ON CONFLICT (word) DO NOTHING
"""

# The catalogue's own names (surnames as written), for resolving what a reader typed against
# them and for suggesting a name as the catalogue writes it.
_NAMES_SQL = """
INSERT INTO catalog_searchname (word, key, display)
SELECT DISTINCT ON (word) word, key, display
  FROM unnest(%s::text[], %s::text[], %s::text[]) AS n(word, key, display)
 WHERE length(word) <= 100 AND length(display) <= 100
 ORDER BY word, display
ON CONFLICT (word) DO NOTHING
"""


def document_parts(record: Record) -> dict[str, str]:
    """The four weighted texts, the name and title keys and the trigram text of one record.

    The statement of responsibility joins the names: it carries the names as the title page
    writes them, pseudonyms and real names («Леся Українка», «Лариса Косач») included.
    """
    contributions = list(record.contributions.all())
    names = [c.person.name for c in contributions]
    subjects = [s.name for s in record.subjects.all()]
    title = " ".join(filter(None, [record.title, record.subtitle]))
    responsibility = getattr(record, "responsibility", "")
    keys, surnames = name_keys(
        [(c.person.name, c.role == Contribution.Role.AUTHOR) for c in contributions]
    )
    return {
        "a": " ".join(text.lemmas(" ".join([title, *names, responsibility]))),
        "b": " ".join(text.lemmas(" ".join([record.series, *subjects]))),
        "c": " ".join(text.lemmas(record.annotation)),
        "d": " ".join(text.latin_lexemes(" ".join([title, *names]))),
        "names": text.names_text(title, *names),
        "keys": " ".join(dict.fromkeys([*keys, *title_keys(record.title)])),
        "surnames": surnames,
    }


class _Related(list):
    def all(self):
        return self


class DocumentSource:
    """What `document_parts` reads of a record, from values held in memory (a batch being
    written), so that the documents need no reading back. `people` are (name, role) in
    their order; `subjects` names in the order `record.subjects.all()` gives them."""

    def __init__(self, pk: int, values: dict, people, subjects):
        self.pk = pk
        for name in ("title", "subtitle", "series", "annotation"):
            setattr(self, name, values.get(name) or "")
        self.responsibility = values.get("responsibility") or ""
        self.contributions = _Related(
            SimpleNamespace(person=SimpleNamespace(name=name), role=role, position=i)
            for i, (name, role) in enumerate(people)
        )
        self.subjects = _Related(SimpleNamespace(name=name) for name in subjects)


def name_keys(names: list[tuple[str, bool]]) -> tuple[list[str], list[str]]:
    """Search-document keys of the contributors' names [(name, is an author)], and their
    surnames as written.

    `surname_key` says the record has an author with that surname (letters readers swap
    folded: `text.fold_name`), `pair_key` one with that surname and first initial; both also
    in Latin. Editors, compilers and the like get none: their names' lemmas find them.
    Queries ask for them by what the reader typed («Івана Франка», «І. Франко», «Ivan
    Franko») without ever requiring a first name the record only has as an initial; only
    surnames the catalogue has exist as keys, which is what resolves a case form to the
    catalogue's name.
    """
    keys, surnames = [], []
    for name, author in names:
        parts, initial = text.person_name_parts(name)
        display = name.split(",")[0].split(" ")[0].strip()
        if len(parts) == 1 and display and surname_word(display) == parts[0]:
            surnames.append(display)
        if not author:
            continue  # found by the names' own lemmas; the keys say who wrote the work
        hyphenated = [piece for part in parts for piece in part.split("-") if "-" in part]
        for surname in dict.fromkeys([*parts, *hyphenated]):
            latin = "".join(text.latin_lexemes(surname))
            for folded in dict.fromkeys([text.fold_name(surname), latin]):
                if not folded:
                    continue
                keys.append(surname_key(folded))
                if initial:
                    for letter in {text.fold_name(initial), text.transliterate(initial)[:1]}:
                        keys.append(pair_key(folded, letter))
    return list(dict.fromkeys(keys)), surnames


def surname_word(display: str) -> str:
    """«Квітка-Основʼяненко» → «квітка-основяненко»: a surname as the names vocabulary keys it."""
    return text._lexeme(text.fold_apostrophes(display.lower()))


def title_keys(title: str) -> list[str]:
    """The whole title as one key, so that typing it exactly ranks it first."""
    lexemes = [text._lexeme(word) for word in text.words(title)]
    if not lexemes or len(lexemes) > TITLE_KEY_WORDS:
        return []
    return [title_key(lexemes)]


# Keys are single tokens of PostgreSQL's parser (letters and digits only), so that to_tsvector
# and to_tsquery keep them whole; Latin letters mark them, which no Cyrillic word has, and a
# Latin word starting like this is too unlikely to matter.
def surname_key(folded: str) -> str:
    """«франко» → «auфранко»: an author of this (folded) surname."""
    return "au" + folded.replace("-", "q")


def pair_key(folded: str, initial: str) -> str:
    """(«франко», «и») → «auфранкоinи»: an author of this surname and first initial."""
    return f"{surname_key(folded)}in{initial}"


def title_key(lexemes: list[str]) -> str:
    """[«лісова», «пісня»] → «ttлісоваqпісня»."""
    return "tt" + "q".join(lexeme.replace("-", "q") for lexeme in lexemes)


def records_reindex(record_ids: Iterable[int]) -> int:
    """Recompute the search documents of these records; returns how many were updated."""
    ids = list(record_ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = (
            Record.objects.filter(pk__in=ids[start : start + BATCH])
            .prefetch_related("contributions__person", "subjects")
            .only("pk", "title", "subtitle", "series", "annotation", "responsibility")
        )
        done += search_documents_write([(record.pk, document_parts(record)) for record in chunk])
    return done


def search_documents_write(rows: list[tuple[int, dict[str, str]]]) -> int:
    """Store `document_parts()` results [(record id, parts), …] and add their words to the
    typo vocabulary; two statements whatever the number of rows. Returns how many rows."""
    if not rows:
        return 0
    columns = [[pk for pk, _ in rows]] + [
        [parts[key] for _, parts in rows] for key in ("a", "b", "c", "d", "names", "keys")
    ]
    with connection.cursor() as cursor:
        cursor.execute(_UPDATE_SQL, columns)
    _vocabulary_write([parts for _, parts in rows])
    return len(rows)


def records_insert(rows: list[dict], parts: list[dict[str, str]]) -> int:
    """Insert new records (dicts keyed by field attname, "id" included; a field left out gets
    its model default) with their search documents (`document_parts()`, same order), each row
    written once: COPY into a temporary table, then one INSERT … SELECT that computes the
    documents set-wise. Adds the words to the typo vocabulary. Returns how many rows."""
    if not rows:
        return 0
    fields = [
        f
        for f in Record._meta.concrete_fields
        if f.attname not in ("search_document", "search_names")
    ]
    now = timezone.now()
    # auto_now fields have no default of their own: Django fills them in save(), not here.
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    quote = connection.ops.quote_name
    names = [f.attname for f in fields]
    record_columns = ", ".join(quote(f.column) for f in fields)
    stage_columns = ", ".join(_STAGE_COLUMNS)
    with connection.cursor() as cursor:
        # Dropped at commit; dropped here too, for a caller's transaction that goes on.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE_TABLE} ON COMMIT DROP AS "
            f"SELECT {record_columns}, search_names, "
            + ", ".join(f"''::text AS {c}" for c in _STAGE_COLUMNS)
            + " FROM catalog_record WITH NO DATA"
        )
        copy_sql = (
            f"COPY {STAGE_TABLE} ({record_columns}, search_names, {stage_columns}) FROM STDIN"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for row, part in zip(rows, parts, strict=True):
                copy.write_row(
                    [row[name] if name in row else defaults[name] for name in names]
                    + [part["names"]]
                    + [part[c] for c in _STAGE_COLUMNS]
                )
        # Changed at the database's time of this statement, which also tells the copies'
        # trigger (migration 0017) that this transaction wrote the record: their COPY in the
        # same transaction does not write it a second time.
        selected = ", ".join(
            "statement_timestamp()" if f.attname == "updated_at" else quote(f.column)
            for f in fields
        )
        cursor.execute(
            f"INSERT INTO catalog_record ({record_columns}, search_names, search_document) "
            f"SELECT {selected}, search_names, {_DOCUMENT_SQL.strip()} "
            f"FROM {STAGE_TABLE} AS v"
        )
        cursor.execute(f"DROP TABLE {STAGE_TABLE}")
    _vocabulary_write(parts)
    return len(rows)


def _vocabulary_write(parts: list[dict[str, str]]) -> None:
    words = {word for part in parts for word in part["names"].split(" ") if word}
    # Every batch sends all its words (ON CONFLICT DO NOTHING): a per-process memory of words
    # already stored went stale whenever the tables lost rows it remembered (a rolled-back
    # outer transaction, a test database flushed, `reindex_search` in another process).
    surnames = {name for part in parts for name in part.get("surnames", [])}
    with connection.cursor() as cursor:
        # Sorted, so that two imports adding the same new words wait for each other in one
        # order instead of deadlocking.
        if words:
            cursor.execute(_VOCABULARY_SQL, [sorted(words)])
        if surnames:
            ordered = sorted(surnames)
            keys = [surname_word(name) for name in ordered]
            cursor.execute(_NAMES_SQL, [keys, [text.fold_name(w) for w in keys], ordered])
    # Now for this transaction's own later searches, and again at commit: a search by another
    # request in between would cache what it saw before the commit under the new token.
    search_cache_invalidate()
    transaction.on_commit(search_cache_invalidate)


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
