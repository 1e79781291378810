"""Suggestions for the search box: titles and author names starting like what is typed."""

from __future__ import annotations

from collections import Counter

from django.db import connections

from catalog.models import Person, Record, TitlesVector
from catalog.search.query import PREFIX_MIN, _chunk_tsquery, _tsquery, parse_query
from core import text

# --- Autocomplete -------------------------------------------------------------------------


AUTOCOMPLETE_CANDIDATES = 300


def autocomplete(prefix: str, limit: int = 8) -> list[str]:
    """Titles and author names with words starting like `prefix`, best first.

    Case and apostrophe insensitive, and in any grammatical form of the finished words; a
    Latin-layout prefix («itdx») is also read as Ukrainian and a transliterated one («shev»)
    matches the Cyrillic name. Candidates come from the full-text index (the typed words as
    lemmas or prefixes, in titles and names only: the titles index), at most
    AUTOCOMPLETE_CANDIDATES records read; one query.
    """
    parsed = parse_query((prefix or "")[:100])
    if not parsed.chunks or len(parsed.normalized.replace(" ", "")) < 2:
        return []
    # A last word of one letter («лісова п») would expand to half the index: it only
    # filters the candidates below.
    indexed = [
        chunk
        for chunk in parsed.chunks
        if not (chunk.prefix and len("".join(chunk.readings[0].words)) < PREFIX_MIN)
    ]
    tsquery = " & ".join(_chunk_tsquery(chunk) for chunk in indexed)
    inner = (
        Record.objects.alias(titles=TitlesVector("search_document"))
        .filter(titles=_tsquery(tsquery))
        .order_by()
        .values("pk")
        .query
    )
    inner_sql, params = inner.get_compiler(Record.objects.db).as_sql()
    contribution = Record.contributors.through._meta.db_table
    sql = f"""
        WITH hits AS MATERIALIZED ({inner_sql})
        SELECT r.title, ARRAY(SELECT p.name FROM {contribution} c
                                JOIN {Person._meta.db_table} p ON p.id = c.person_id
                               WHERE c.record_id = r.id)
          FROM {Record._meta.db_table} r
         WHERE r.id IN (SELECT pk FROM hits LIMIT %s)
    """
    with connections[Record.objects.db].cursor() as cursor:
        cursor.execute(sql, [*params, AUTOCOMPLETE_CANDIDATES])
        rows = cursor.fetchall()

    typed = [
        [text._lexeme(word) for word in reading.words]
        for chunk in parsed.chunks
        for reading in chunk.readings[:1]
    ]
    starts = [word for words in typed for word in words]
    alternatives = [
        [text._lexeme(word) for word in reading.words]
        for chunk in parsed.chunks
        for reading in chunk.readings[1:]
    ]
    spellings = [starts] + ([[w for ws in alternatives for w in ws]] if alternatives else [])

    def place(display: str) -> int | None:
        folded = text.names_text(display)
        forms = [folded.split(), text._lexeme(" ".join(text.latin_lexemes(display))).split()]
        for words in spellings:
            for form in forms:
                if all(any(w.startswith(s) for w in form) for s in words):
                    return 0 if folded.startswith(" ".join(words)) else 1
        return None

    frequency: Counter = Counter()
    found: dict[str, tuple[int, str]] = {}
    for title, names in rows:
        for display in [title, *names]:
            key = text.names_text(display)
            frequency[key] += 1
            if key not in found:
                rank = place(display)
                if rank is not None:
                    found[key] = (rank, display)
    ordered = sorted(found.items(), key=lambda kv: (kv[1][0], -frequency[kv[0]], len(kv[0]), kv[0]))
    return [display for _key, (_rank, display) in ordered[:limit]]
