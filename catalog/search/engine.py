"""Searching the catalogue: the one place the search page, the API and the autocomplete ask.

How a query is answered (`search_records`):

1. Exact look-ups: an ISBN (10 or 13, with or without hyphens), an inventory number or a
   barcode of a copy → that record ("exact").
2. Full text ("fulltext"): every word becomes the alternatives of its lemmas (core.text, the
   same functions that built the document), words are ANDed, the last one is also a prefix while
   the reader is still typing. A word typed in Latin letters is tried both as itself (Latin
   titles and the KMU 2010 transliterations indexed at weight D) and as the Ukrainian word the
   Latin keyboard layout turned it into («itdxtyrj» → «шевченко»). Function words and generic
   words («книжки», «вірші» …) only raise the rank, they are not required. Ranked by `ts_rank`
   over the weighted document: title and authors (A) > series and subjects (B) > annotation
   (C) > transliterations (D). The matches are collected once, titles and names first (their
   own GIN index), at most `result_cap()` of them; facets and pages then read only those.
3. Typos ("trigram"): when full text finds fewer than a handful, each long word the catalogue
   does not know is compared by trigram similarity (pg_trgm) with the vocabulary of words of
   titles and names (`SearchWord`, tens of thousands of words rather than every record); the
   closest words join the query as alternatives and give «Можливо, ви мали на увазі …».
   Surnames of the catalogue (`SearchName`) within one edit count even below the threshold,
   and a suggestion writes a surname as the catalogue does («Шевченко»).

Names: every word may also be a surname in another case or with swapped и/і/ї, е/є
(«Франкові», «Шевчєнко» → the name key of «Франко», «Шевченко»), and next to a word that may be
a first name or an initial it may be that person («Івана Франка», «І. Франко», «Франко Іван»
→ the key of an author «Франко» with the initial «І»); catalog.indexing puts these keys in the
documents for every author, so only names the catalogue has resolve, and a first name is never
required where the record has only the initial. Ranking puts first the works by the person
named in full, then a title typed exactly, then works by an author of the named surname, then
the rest by `ts_rank` (`_matching_ids`).

Facets, autocomplete and the search log are `catalog.search.facets`, `.autocomplete` and `.log`;
`catalog.search` exposes the public names of all of them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.db import connections
from django.db.models import (
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from stdnum import isbn as stdnum_isbn

from catalog.indexing import SEARCH_CACHE_VERSION_KEY, search_cache_version, surname_word
from catalog.models import Contribution, Item, Record, SearchName, SearchWord, TitlesVector
from catalog.search.query import (
    SHORT_NAME_TYPO,
    TRIGRAM_MIN_WORD,
    Chunk,
    Corrections,
    ParsedQuery,
    SearchFilters,
    _surnames,
    _tsquery,
    apply_filters,
    parse_query,
)
from core import text

Mode = Literal["exact", "fulltext", "trigram", "all"]
SORTS = ("relevance", "newest", "title")

# Fewer full-text hits than this and typo matching joins in.
HANDFUL = 5
# pg_trgm similarity a catalogue word must reach against a typed word to count as what the
# reader meant («шевчнко» ~ «шевченко» 0.55), and how many such words a typed word may bring.
TRIGRAM_THRESHOLD = 0.45
TYPO_ALTERNATIVES = 3
# Text searches rank and count at most this many matching records (see _matching_ids).
RESULT_CAP = 1_000
# How long the matches of a query and their facet counts are reused (turning pages, the same
# query from another reader). New or changed records end it at once (see
# catalog.indexing.search_cache_invalidate); copies changing status only after this long.
SEARCH_CACHE_SECONDS = 60

log = logging.getLogger(__name__)


# --- Searching ----------------------------------------------------------------------------


@dataclass
class SearchOutcome:
    records: QuerySet  # of Record, annotated with `rank`, ordered; lazy
    suggestion: str | None
    mode: Mode
    normalized: str
    filters: SearchFilters
    sort: str
    # The query as read from the Ukrainian keyboard layout («itdxtyrj» → «шевченко»), when
    # that is how it was understood; the page says so above the results.
    read_as: str | None = None
    # The matches best first (full text and typos, at most `result_cap()`): facets count them
    # and a page by relevance is a slice of them, without reading the other records again.
    ids: list[int] | None = None


def search_records(
    *, query: str, filters: SearchFilters | Mapping | None = None, sort: str = "relevance"
) -> SearchOutcome:
    """Find records for what a reader typed; see the module docstring for the steps.

    Runs at most three small queries itself (the exact look-up when the query has a digit,
    or the ids of at most `result_cap()` full-text matches; for typos the vocabulary and the
    matches of the corrected query), fewer when the matches are cached (see `_cached`);
    `records` stays lazy for the caller to paginate and prefetch, and reads only those ids.
    """
    filters = SearchFilters.coerce(filters)
    sort = sort if sort in SORTS else "relevance"
    query = query or ""
    base = apply_filters(Record.objects.all(), filters)
    parsed = parse_query(query)

    def outcome(records, mode, suggestion=None, ids=None):
        return SearchOutcome(
            ids=ids,
            records=_order(records, sort, mode),
            suggestion=suggestion,
            mode=mode,
            normalized=parsed.normalized,
            filters=filters,
            sort=sort,
            read_as=_layout_reading(parsed) if mode == "fulltext" and not suggestion else None,
        )

    if not query.strip():
        return outcome(base.annotate(rank=Value(0.0, output_field=FloatField())), "all")

    exact_ids = _exact_record_ids(query.strip())
    if exact_ids:
        records = base.filter(pk__in=exact_ids).annotate(rank=Value(1.0, output_field=FloatField()))
        return outcome(records, "exact")

    if not parsed.chunks:
        return outcome(base.none().annotate(rank=Value(0.0, output_field=FloatField())), "fulltext")

    ids = _matching_ids(
        base,
        parsed.tsquery(),
        parsed.rank_tsquery(),
        parsed.tsquery(transliterated=False),
        tiers=_tiers(parsed),
    )
    if len(ids) >= HANDFUL:
        return outcome(_ranked(ids), "fulltext", _name_suggestion(parsed, using=base.db), ids=ids)

    typed = parsed.typo_candidates()
    corrections, displays = _similar_words(typed, using=base.db) if typed else ({}, {})
    unknown = {
        word: similar
        for word, similar in corrections.items()
        if similar and not any(score >= 1 for _word, score in similar)
    }
    if not unknown:
        return outcome(_ranked(ids), "fulltext", ids=ids)
    suggestion = _suggestion(parsed, unknown, displays)
    ids = _matching_ids(
        base,
        parsed.tsquery(unknown),
        parsed.rank_tsquery(unknown),
        parsed.tsquery(unknown, transliterated=False),
        # ranked as if the reader had typed the suggestion: the author's works first
        tiers=_tiers(parse_query(suggestion) if suggestion else parsed),
    )
    return outcome(_ranked(ids), "trigram", suggestion, ids=ids)


def _tiers(parsed: ParsedQuery) -> list[str]:
    """What puts a match above the others, strongest first (see `_matching_ids`)."""
    tiers = [
        parsed.names_tsquery(pairs=True),
        parsed.title_key_tsquery(),
        parsed.names_tsquery(pairs=False),
    ]
    return [tier for tier in tiers if tier]


def _matching_ids(
    base: QuerySet,
    raw_tsquery: str,
    rank_tsquery: str,
    titles_tsquery: str,
    *,
    tiers: list[str] = (),
) -> list[int]:
    """At most `result_cap()` records matching the query, titles and names first, best ranked
    first; one query.

    Ranking, sorting, counting facets all read every matching row; a word like «україна»
    matches a third of a city catalogue, so without a cap one search would read 10⁵ rows.
    Like the «superpage» of library systems, the first `cap` matches are ranked and counted,
    and the total then means «at least» (`facet_counts(...)["capped"]`). Matches in titles
    and names come first, from their own index: with a common word the cap would otherwise
    keep whichever matches come first on disk, and «Кобзар» could lose to a record that only
    mentions it. The ids are fetched once here, so the facets and the page do not search again;
    and ranked here, while the rows are at hand, so the page does not read every match's
    search document again to sort them.

    The titles tier leaves out the Latin spellings of Cyrillic words (`titles_tsquery`): in
    the titles index every Cyrillic title also has its transliteration (weight D), so they
    doubled the posting lists read (70 → 14 ms for «історія україни» at 10⁶ records) to find
    the same records; the few Latin-script records they add come with the second tier.

    Before the rank come the `tiers` (raw tsqueries): a record matching an earlier one comes
    first whatever its rank. Works by the author named with first name or initial («Івана
    Франка»), then the title typed exactly («Кобзар»), then works by an author of the named
    surname: works BY an author before the works ABOUT them that only mention the name.
    Within a tier, the works of the author with most works in it come first: «Франко» means
    Іван Франко to a reader before it means a namesake with two books.
    """
    cap = result_cap()
    in_titles = _tsquery(titles_tsquery)
    # Raw SQL: the same as Case/When/Subquery expressions, which cost Django more to compile
    # (about 5 ms a search) than PostgreSQL to run.
    record = Record._meta.db_table
    tier_sql = " + ".join(
        f"(CASE WHEN {record}.search_document @@ to_tsquery('simple', %s) THEN {2**weight} "
        "ELSE 0 END)"
        for weight, _raw in enumerate(reversed(tiers))
    )
    tier_params = list(reversed(tiers))
    ranked = base.alias(titles=TitlesVector("search_document")).annotate(
        rank=SearchRank(F("search_document"), _tsquery(rank_tsquery)),
        tier=RawSQL(tier_sql, tier_params, output_field=IntegerField())
        if tiers
        else Value(0, output_field=IntegerField()),
    )
    titles = ranked.filter(titles=in_titles)
    rest = ranked.filter(search_document=_tsquery(raw_tsquery)).exclude(titles=in_titles)
    first_sql, first_params = _first_ids_sql(titles, cap)
    rest_sql, rest_params = _first_ids_sql(rest, cap)
    # UNION ALL runs its second branch only when the first has fewer than `cap` rows. The
    # first author is looked up only for the records in a tier (CASE is evaluated lazily).
    sql = f"""
        SELECT pk FROM (
            SELECT capped.*,
                   CASE WHEN capped.tier > 0 THEN (
                        SELECT c.person_id FROM {Contribution._meta.db_table} c
                         WHERE c.record_id = capped.pk AND c.role = %s
                         ORDER BY c.position LIMIT 1) END AS author
              FROM (SELECT * FROM (({first_sql}) UNION ALL ({rest_sql})) AS tiers LIMIT %s)
                   AS capped) AS ranked
         ORDER BY tier DESC, count(*) OVER (PARTITION BY tier, author) DESC, rank DESC,
                  year DESC NULLS LAST, created_at DESC, pk DESC
    """
    params = [Contribution.Role.AUTHOR.value, *first_params, *rest_params, cap]

    def fetch():
        with connections[base.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [pk for (pk,) in cursor.fetchall()]

    return _cached("ids", base.db, sql, params, fetch)


def search_cache_seconds() -> int:
    """SEARCH_CACHE_SECONDS, or settings.CATALOG_SEARCH_CACHE_SECONDS (0 turns caching off)."""
    return int(getattr(settings, "CATALOG_SEARCH_CACHE_SECONDS", SEARCH_CACHE_SECONDS))


def _cached(kind: str, using: str, sql: str, params: list, compute):
    """compute(), reused for the same statement while the catalogue is unchanged.

    The entry keeps the catalogue's token (`search_cache_version`) it was computed under, and
    is read together with the current token in one round trip to the cache: a warm search asks
    Redis twice (matches, facets) rather than four times.
    """
    seconds = search_cache_seconds()
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(repr((using, sql, params)).encode()).hexdigest()
    key = f"catalog:search:{kind}:{digest}"
    try:
        found = cache.get_many([SEARCH_CACHE_VERSION_KEY, key])
    except Exception:  # the catalogue keeps answering, uncached, while Redis is down
        log.warning("search cache unavailable", exc_info=True)
        return compute()
    version = found.get(SEARCH_CACHE_VERSION_KEY) or search_cache_version()
    if version is None:
        return compute()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    try:
        cache.set(key, (version, value), seconds)
    except Exception:
        log.warning("search cache unavailable", exc_info=True)
    return value


def _ranked(ids: list[int]) -> QuerySet:
    """These records, lazily, with `rank` higher the earlier they come in `ids`."""
    return Record.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids])).annotate(
        rank=RawSQL(
            f"-array_position(%s::bigint[], {Record._meta.db_table}.id)::float",
            [ids],
            output_field=FloatField(),
        )
    )


def result_cap() -> int:
    """RESULT_CAP, or settings.CATALOG_SEARCH_CAP where a deployment tunes it."""
    return int(getattr(settings, "CATALOG_SEARCH_CAP", RESULT_CAP))


def _first_ids_sql(matching: QuerySet, cap: int) -> tuple[str, list]:
    """The first `cap` rows (pk, rank, year, created_at) of a ranked queryset, unsorted."""
    # A MATERIALIZED CTE is planned without the LIMIT. With `... LIMIT n` alone the planner
    # bets on a sequential scan stopping early whenever it expects many matches; for a word it
    # cannot estimate (a typo, a rare name) that bet reads the whole table to find nothing.
    # The CTE is still read lazily: the scan stops after `cap` rows.
    rows = matching.order_by().values("pk", "tier", "rank", "year", "created_at")
    inner, params = rows.query.get_compiler(matching.db).as_sql()
    return f"WITH matching AS MATERIALIZED ({inner}) SELECT * FROM matching LIMIT %s", [
        *params,
        cap,
    ]


def _order(records: QuerySet, sort: str, mode: Mode) -> QuerySet:
    newest = [F("year").desc(nulls_last=True), F("created_at").desc(), F("pk").desc()]
    if mode == "all" and sort == "relevance":
        # Browsing without a query: latest additions first, along the created_at index.
        return records.order_by(F("created_at").desc(), F("pk").desc())
    if sort == "title":
        return records.order_by(Lower("title"), "pk")
    if sort == "newest":
        return records.order_by(*newest)
    return records.order_by(F("rank").desc(), *newest)


def _exact_record_ids(query: str) -> list[int]:
    """Records an ISBN, inventory number or barcode names exactly; one query, or none."""
    if " " in query or len(query) > 40 or not any(ch.isdigit() for ch in query):
        return []
    ids = (
        Item.objects.filter(Q(inventory_number=query) | Q(barcode=query))
        .order_by()
        .values_list("record_id", flat=True)
    )
    compact = stdnum_isbn.compact(query) if re.fullmatch(r"[0-9Xx-]{10,17}", query) else ""
    if compact and stdnum_isbn.is_valid(compact):
        isbn13 = stdnum_isbn.to_isbn13(compact)
        by_isbn = Record.objects.filter(isbn=isbn13).order_by().values_list("pk", flat=True)
        ids = by_isbn.union(ids)
    return list(ids[:50])


def _similar_words(words: list[str], *, using: str) -> tuple[Corrections, dict[str, str]]:
    """For each typed word, the closest catalogue words by trigram similarity, and how the
    catalogue writes those that are surnames («шевченко» → «Шевченко»); one query over the
    trigram indexes of the vocabulary and of the names (`%` there uses pg_trgm's own 0.3
    threshold).

    A short surname one letter away from what was typed scores low on trigrams («фрако» ~
    «франко» 0.44): a surname of the catalogue within one edit of the typed word (letters
    readers swap folded) is what the reader meant even below TRIGRAM_THRESHOLD. Three typed
    letters are tried only against four-letter surnames that have one letter more («дрч» →
    «драч»): against the whole vocabulary they would "correct" to any short word.
    """
    sql = f"""
        SELECT t.typed, s.word, s.score, s.display
          FROM unnest(%s::text[]) AS t(typed)
         CROSS JOIN LATERAL (
               (SELECT w.word, similarity(w.word, t.typed) AS score,
                       (SELECT n.display FROM {SearchName._meta.db_table} n
                         WHERE n.word = w.word) AS display
                  FROM {SearchWord._meta.db_table} w
                 WHERE w.word %% t.typed
                 ORDER BY score DESC, abs(length(w.word) - length(t.typed)), w.word
                 LIMIT %s)
               UNION ALL
               (SELECT n.word, similarity(n.word, t.typed) AS score, n.display
                  FROM {SearchName._meta.db_table} n
                 WHERE n.word %% t.typed
                 ORDER BY score DESC, n.word
                 LIMIT %s)
               UNION ALL
               (SELECT n.word, 0.0 AS score, n.display
                  FROM {SearchName._meta.db_table} n
                 WHERE length(t.typed) = %s AND length(n.word) = length(t.typed) + 1
                   AND n.word LIKE ANY (ARRAY[
                       '_' || t.typed,
                       left(t.typed, 1) || '_' || right(t.typed, -1),
                       left(t.typed, 2) || '_' || right(t.typed, -2),
                       t.typed || '_'])
                 ORDER BY n.word
                 LIMIT %s)) AS s
         WHERE length(t.typed) >= %s OR s.display IS NOT NULL OR s.score >= 1
    """
    found: Corrections = {word: [] for word in words}
    displays = {}
    with connections[using].cursor() as cursor:
        cursor.execute(
            sql,
            [
                words,
                TYPO_ALTERNATIVES,
                TYPO_ALTERNATIVES,
                SHORT_NAME_TYPO,
                TYPO_ALTERNATIVES,
                TRIGRAM_MIN_WORD,
            ],
        )
        for typed, word, score, display in cursor.fetchall():
            score = float(score)
            if score < TRIGRAM_THRESHOLD or (score < 1 and len(typed) < TRIGRAM_MIN_WORD):
                near = display and text.within_one_edit(text.fold_name(typed), text.fold_name(word))
                if not near:
                    continue
                score = TRIGRAM_THRESHOLD
            if all(word != known for known, _score in found[typed]):
                found[typed].append((word, score))
            if display:
                displays[word] = display
    for typed in found:
        found[typed].sort(key=lambda option: -option[1])
    return found, displays


def _name_suggestion(parsed: ParsedQuery, *, using: str) -> str | None:
    """The query with each misspelt surname («Шевчінко», «Коцюбінського») written as the
    catalogue writes it («Шевченко»); None when there is none. Full text already found the
    works (the names' keys fold the letters readers swap); this only tells the reader.

    Asks the names vocabulary only for Cyrillic words the dictionary does not know, so a
    query of ordinary words costs no query here.
    """
    strange = {
        word: surnames
        for chunk in parsed.required
        if not chunk.optional
        for word in chunk.readings[0].words
        if len(word) >= TRIGRAM_MIN_WORD
        and text.has_cyrillic(word)
        and not text.is_known_word(word)
        and (surnames := _surnames(text._lexeme(word)))
    }
    if not strange:
        return None
    keys = list({key for surnames in strange.values() for key in surnames})
    names = SearchName.objects.using(using).filter(key__in=keys).values_list("key", "display")
    display_of_key = dict(names)
    corrected, changed = [], False
    for chunk in parsed.chunks:
        for word in chunk.readings[0].words:
            surnames = strange.get(word, [])
            display = next((display_of_key[k] for k in surnames if k in display_of_key), None)
            # Spelt as a case form of the catalogue's name already: nothing to suggest.
            if display and surname_word(display) not in text.surname_nominatives(
                text._lexeme(word)
            ):
                corrected.append(display)
                changed = True
            else:
                corrected.append(word)
    return " ".join(corrected) if changed else None


def _suggestion(
    parsed: ParsedQuery, unknown: Corrections, displays: dict[str, str] | None = None
) -> str | None:
    """The query with each word the catalogue does not know replaced by its closest word,
    a surname written as the catalogue writes it."""
    corrected = []
    changed = False
    for chunk in parsed.chunks:
        for spellings in _aligned_words(chunk):
            best = None
            if not chunk.optional and not _is_known(spellings, unknown):
                options = [
                    option
                    for spelling in spellings
                    for option in unknown.get(text._lexeme(spelling), [])[:1]
                ]
                best = max(options, key=lambda option: option[1], default=(None, 0))[0]
            if best and best != text._lexeme(spellings[0]):
                corrected.append((displays or {}).get(best, best))
                changed = True
            else:
                corrected.append(spellings[0])
    return " ".join(corrected) if changed else None


def _layout_reading(parsed: ParsedQuery) -> str | None:
    """The query with each Latin-typed piece that reads as Ukrainian words on the Ukrainian
    keyboard layout replaced by those words; None when no piece does."""
    read = []
    changed = False
    for chunk in parsed.chunks:
        first = chunk.readings[0]
        converted = [r for r in chunk.readings[1:] if not r.latin]
        if first.latin and converted and all(text.is_known_word(w) for w in converted[0].words):
            read.extend(converted[0].words)
            changed = True
        else:
            read.extend(first.words)
    return " ".join(read) if changed else None


def _aligned_words(chunk: Chunk) -> list[tuple[str, ...]]:
    """Per word of a chunk, its spellings in each reading (Latin and layout-converted)."""
    first = chunk.readings[0].words
    others = [r.words for r in chunk.readings[1:] if len(r.words) == len(first)]
    return [(word, *(other[i] for other in others)) for i, word in enumerate(first)]


def _is_known(spellings: tuple[str, ...], unknown: Corrections) -> bool:
    """A spelling the catalogue has, or a Ukrainian dictionary word, is never corrected."""
    for word in spellings:
        if text._lexeme(word) not in unknown:
            return True
        if not text.has_latin(word) and text.is_known_word(word):
            return True
    return False
