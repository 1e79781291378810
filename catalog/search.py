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

`facet_counts` counts every facet of a result in one SQL statement; `autocomplete` serves the
search box; `search_log_write` and `zero_hit_report` keep and read the search log.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, F, FloatField, Min, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL, Window
from django.db.models.functions import Lower, RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import isbn as stdnum_isbn

from branches.models import Branch
from catalog.indexing import search_cache_version
from catalog.models import Item, Person, Record, SearchLog, SearchWord, TitlesVector
from core import text

Mode = Literal["exact", "fulltext", "trigram", "all"]
SORTS = ("relevance", "newest", "title")

# Fewer full-text hits than this and typo matching joins in.
HANDFUL = 5
# pg_trgm similarity a catalogue word must reach against a typed word to count as what the
# reader meant («шевчнко» ~ «шевченко» 0.55), and how many such words a typed word may bring.
TRIGRAM_THRESHOLD = 0.45
TYPO_ALTERNATIVES = 3
# Words shorter than this never go to trigram matching: too many false friends.
TRIGRAM_MIN_WORD = 4
# The last word is also a prefix («істор» → історія) once it has this many characters.
PREFIX_MIN = 2
MAX_QUERY_WORDS = 12
# Text searches rank and count at most this many matching records (see _matching_ids).
RESULT_CAP = 1_000
SUBJECT_FACET_SIZE = 15
# How long the matches of a query and their facet counts are reused (turning pages, the same
# query from another reader). New or changed records end it at once (see
# catalog.indexing.search_cache_invalidate); copies changing status only after this long.
SEARCH_CACHE_SECONDS = 60

log = logging.getLogger(__name__)

# Statuses under which a copy still belongs to a branch's holdings.
HELD_OUT = (Item.Status.WITHDRAWN, Item.Status.LOST)

# Lemmas that never have to match but raise the rank when they do: function words, and the
# generic words readers add to a name («книжки Шевченка», «вірші Лесі Українки»).
OPTIONAL_LEMMAS = frozenset(
    """
    і й та та й а але або чи ні що як це той цей
    в у на з із зі зо до від од для про по за під над між через при біля без
    книга книжка книжечка видання твір вірш збірка збірник автор письменник
    письменниця поет поетеса
    a an and the of in on for to by with
    """.split()  # noqa: SIM905
)

LANGUAGE_NAMES = {
    "ukr": _("українська"),
    "eng": _("англійська"),
    "rus": _("російська"),
    "pol": _("польська"),
    "deu": _("німецька"),
    "ger": _("німецька"),
    "fra": _("французька"),
    "fre": _("французька"),
    "spa": _("іспанська"),
    "ita": _("італійська"),
    "ces": _("чеська"),
    "cze": _("чеська"),
    "bel": _("білоруська"),
    "lat": _("латинська"),
    "heb": _("іврит"),
    "yid": _("їдиш"),
    "crh": _("кримськотатарська"),
    "mul": _("кількома мовами"),
}

_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
_TRUE = {"1", "true", "on", "yes", "так"}


# --- Filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """The facets a reader narrowed the search to. Unknown or malformed values are dropped."""

    branch: str | None = None  # Branch.slug: records with a copy held there
    available: bool = False  # a copy on the shelf now (at `branch` when one is chosen)
    language: str | None = None  # ISO 639-2 code
    material_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    subject: int | None = None  # Subject.pk
    age_rating: str | None = None

    @classmethod
    def coerce(cls, value: SearchFilters | Mapping | None) -> SearchFilters:
        if isinstance(value, cls):
            return value
        return cls.from_mapping(value or {})

    @classmethod
    def from_mapping(cls, data: Mapping) -> SearchFilters:
        """From a request's GET/QueryDict or any dict; strings are parsed, bad values dropped."""

        def get(name):
            value = data.get(name)
            if isinstance(value, list | tuple):
                value = value[-1] if value else None
            if isinstance(value, str):
                value = value.strip()
            return value if value not in (None, "") else None

        branch = get("branch")
        language = get("language")
        material_type = get("material_type")
        age_rating = get("age_rating")
        available = get("available")
        return cls(
            branch=str(branch) if branch and _SLUG_RE.match(str(branch)) else None,
            available=available is True or str(available).lower() in _TRUE,
            language=(
                str(language).lower()
                if language and _LANGUAGE_RE.match(str(language).lower())
                else None
            ),
            material_type=(material_type if material_type in Record.MaterialType.values else None),
            year_from=_year(get("year_from")),
            year_to=_year(get("year_to")),
            subject=_positive_int(get("subject")),
            age_rating=age_rating if age_rating in Record.AgeRating.values else None,
        )

    def as_dict(self) -> dict[str, Any]:
        """The chosen filters only, JSON-ready (for the search log and links)."""
        return {key: value for key, value in asdict(self).items() if value not in (None, False, "")}

    def __bool__(self) -> bool:
        return bool(self.as_dict())


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _year(value) -> int | None:
    number = _positive_int(value)
    return number if number is not None and number <= 9999 else None


def apply_filters(records: QuerySet, filters: SearchFilters) -> QuerySet:
    """Narrow a Record queryset by the facets; item conditions are EXISTS, never joins."""
    copies = Item.objects.filter(record=OuterRef("pk"))
    if filters.branch:
        held = copies.filter(branch__slug=filters.branch).exclude(status__in=HELD_OUT)
        records = records.filter(Exists(held))
    if filters.available:
        on_shelf = copies.filter(status=Item.Status.ON_SHELF)
        if filters.branch:
            on_shelf = on_shelf.filter(branch__slug=filters.branch)
        records = records.filter(Exists(on_shelf))
    if filters.language:
        records = records.filter(language=filters.language)
    if filters.material_type:
        records = records.filter(material_type=filters.material_type)
    if filters.year_from is not None:
        records = records.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        records = records.filter(year__lte=filters.year_to)
    if filters.subject:
        through = Record.subjects.through.objects.filter(
            record_id=OuterRef("pk"), subject_id=filters.subject
        )
        records = records.filter(Exists(through))
    if filters.age_rating:
        records = records.filter(age_rating=filters.age_rating)
    return records


# --- Parsing a query ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One way to read a chunk of the query: its words, in catalogue (lexeme) form."""

    words: tuple[str, ...]
    latin: bool  # read as Latin letters (not converted from the keyboard layout)


@dataclass(frozen=True)
class Chunk:
    """A whitespace-separated piece of the query with its readings."""

    readings: tuple[Reading, ...]
    prefix: bool  # the last word may be incomplete
    optional: bool  # only function or generic words: ranks, does not filter


@dataclass(frozen=True)
class ParsedQuery:
    normalized: str
    chunks: tuple[Chunk, ...]

    @property
    def required(self) -> tuple[Chunk, ...]:
        required = tuple(chunk for chunk in self.chunks if not chunk.optional)
        return required or self.chunks

    def tsquery(self, corrections: Corrections | None = None, transliterated: bool = True) -> str:
        """Raw tsquery text (config 'simple'): chunks ANDed, readings ORed; a word with
        `corrections` (typed word → catalogue words) also matches those words. Without
        `transliterated`, Cyrillic words do not also look for their Latin spellings."""
        return " & ".join(
            _chunk_tsquery(chunk, corrections=corrections, transliterated=transliterated)
            for chunk in self.required
        )

    def rank_tsquery(self, corrections: Corrections | None = None) -> str:
        """Every word of the query ORed: ts_rank rewards each one a record contains."""
        return " | ".join(_chunk_tsquery(chunk, corrections=corrections) for chunk in self.chunks)

    def typo_candidates(self) -> list[str]:
        """The words typo matching may correct: long, not numbers, not function words."""
        found = []
        for chunk in self.required:
            if chunk.optional:
                continue
            for reading in chunk.readings:
                for word in reading.words:
                    lexeme = text._lexeme(word)
                    if len(lexeme) >= TRIGRAM_MIN_WORD and not lexeme.isdigit():
                        found.append(lexeme)
        return list(dict.fromkeys(found))


# typed word (as a lexeme) → [(catalogue word, similarity)], closest first; a word the
# catalogue has verbatim maps to itself with similarity 1.
Corrections = dict[str, list[tuple[str, float]]]


def normalize_query(query: str) -> str:
    """Lower case, apostrophes folded, punctuation dropped: the form the search log groups by."""
    return " ".join(text.words(query or ""))[:300]


def parse_query(query: str) -> ParsedQuery:
    query = (query or "")[:300]
    pieces = query.split()
    still_typing = bool(query) and not query[-1].isspace()
    chunks = []
    for index, piece in enumerate(pieces):
        readings = []
        own = tuple(w for w in text.words(piece))
        if not own:
            continue
        if text.has_latin(piece) and not text.has_cyrillic(piece):
            readings.append(Reading(words=own, latin=True))
            converted = tuple(text.words(text.from_latin_layout(piece)))
            if converted and text.has_cyrillic(" ".join(converted)) and converted != own:
                readings.append(Reading(words=converted, latin=False))
        else:
            readings.append(Reading(words=own, latin=False))
        optional = all(_is_optional(word) for word in own) and len(readings) == 1
        chunks.append(
            Chunk(
                readings=tuple(readings),
                prefix=still_typing and index == len(pieces) - 1,
                optional=optional,
            )
        )
        if len(chunks) >= MAX_QUERY_WORDS:
            break
    return ParsedQuery(normalized=normalize_query(query), chunks=tuple(chunks))


def _is_optional(word: str) -> bool:
    return word in OPTIONAL_LEMMAS or any(
        lemma in OPTIONAL_LEMMAS for lemma in text.lemmas_of(word)
    )


def _word_alternatives(
    word: str, *, prefix: bool, min_prefix: int = PREFIX_MIN, transliterated: bool = True
) -> list[str]:
    """A word's lexemes: its lemmas and, for a Cyrillic word, their KMU 2010 transliterations
    (Latin-script records of Ukrainian authors: «шевченка» finds «Shevchenko, Taras»)."""
    lexemes = [lemma for lemma in text.lemmas_of(word) if lemma]
    surface = text._lexeme(word)
    prefixes = [surface]
    if transliterated and text.has_cyrillic(word):
        lexemes += [latin for lemma in list(lexemes) for latin in text.latin_lexemes(lemma)]
        prefixes += text.latin_lexemes(word)
    alternatives = [_quote(lexeme) for lexeme in dict.fromkeys(lexemes) if "-" not in lexeme]
    if prefix:
        alternatives += [
            _quote(start) + ":*"
            for start in dict.fromkeys(prefixes)
            if len(start) >= min_prefix and "-" not in start
        ]
    return alternatives


def _reading_tsquery(
    reading: Reading,
    *,
    prefix: bool,
    min_prefix: int = PREFIX_MIN,
    corrections: Corrections | None = None,
    transliterated: bool = True,
) -> str:
    terms = []
    for position, word in enumerate(reading.words):
        last = prefix and position == len(reading.words) - 1
        alternatives = _word_alternatives(
            word, prefix=last, min_prefix=min_prefix, transliterated=transliterated
        )
        for correction, _score in (corrections or {}).get(text._lexeme(word), []):
            alternatives += _word_alternatives(
                correction, prefix=False, transliterated=transliterated
            )
        alternatives = list(dict.fromkeys(alternatives))
        if alternatives:
            terms.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(terms)


def _chunk_tsquery(
    chunk: Chunk,
    min_prefix: int = PREFIX_MIN,
    corrections: Corrections | None = None,
    transliterated: bool = True,
) -> str:
    parts = [
        _reading_tsquery(
            reading,
            prefix=chunk.prefix,
            min_prefix=min_prefix,
            corrections=corrections,
            transliterated=transliterated,
        )
        for reading in chunk.readings
    ]
    parts = [part for part in parts if part]
    if len(parts) == 1:
        return parts[0]
    return "(" + " | ".join(f"({part})" for part in parts) + ")"


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "").replace("'", "''") + "'"


def _tsquery(raw: str) -> SearchQuery:
    return SearchQuery(raw, search_type="raw", config="simple")


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

    def outcome(records, mode, suggestion=None):
        return SearchOutcome(
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
        base, parsed.tsquery(), parsed.rank_tsquery(), parsed.tsquery(transliterated=False)
    )
    if len(ids) >= HANDFUL:
        return outcome(_ranked(ids), "fulltext")

    typed = parsed.typo_candidates()
    corrections = _similar_words(typed, using=base.db) if typed else {}
    unknown = {
        word: similar
        for word, similar in corrections.items()
        if similar and not any(score >= 1 for _word, score in similar)
    }
    if not unknown:
        return outcome(_ranked(ids), "fulltext")
    ids = _matching_ids(
        base,
        parsed.tsquery(unknown),
        parsed.rank_tsquery(unknown),
        parsed.tsquery(unknown, transliterated=False),
    )
    return outcome(_ranked(ids), "trigram", _suggestion(parsed, unknown))


def _matching_ids(
    base: QuerySet, raw_tsquery: str, rank_tsquery: str, titles_tsquery: str
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
    """
    cap = result_cap()
    in_titles = _tsquery(titles_tsquery)
    ranked = base.alias(titles=TitlesVector("search_document")).annotate(
        rank=SearchRank(F("search_document"), _tsquery(rank_tsquery))
    )
    titles = ranked.filter(titles=in_titles)
    rest = ranked.filter(search_document=_tsquery(raw_tsquery)).exclude(titles=in_titles)
    first_sql, first_params = _first_ids_sql(titles, cap)
    rest_sql, rest_params = _first_ids_sql(rest, cap)
    # UNION ALL runs its second branch only when the first has fewer than `cap` rows.
    sql = f"""
        SELECT pk FROM (SELECT * FROM (({first_sql}) UNION ALL ({rest_sql})) AS tiers LIMIT %s)
            AS capped
         ORDER BY rank DESC, year DESC NULLS LAST, created_at DESC, pk DESC
    """
    params = [*first_params, *rest_params, cap]

    def fetch():
        with connections[base.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [pk for (pk,) in cursor.fetchall()]

    return _cached("ids", base.db, sql, params, fetch)


def search_cache_seconds() -> int:
    """SEARCH_CACHE_SECONDS, or settings.CATALOG_SEARCH_CACHE_SECONDS (0 turns caching off)."""
    return int(getattr(settings, "CATALOG_SEARCH_CACHE_SECONDS", SEARCH_CACHE_SECONDS))


def _cached(kind: str, using: str, sql: str, params: list, compute):
    """compute(), reused for the same statement while the catalogue is unchanged."""
    seconds = search_cache_seconds()
    version = search_cache_version() if seconds > 0 else None
    if version is None:
        return compute()
    digest = hashlib.sha256(repr((using, sql, params)).encode()).hexdigest()
    key = f"catalog:search:{kind}:{version}:{digest}"
    try:
        found = cache.get(key)
    except Exception:  # the catalogue keeps answering, uncached, while Redis is down
        log.warning("search cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        cache.set(key, value, seconds)
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
    rows = matching.order_by().values("pk", "rank", "year", "created_at")
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


def _similar_words(words: list[str], *, using: str) -> Corrections:
    """For each typed word, the closest catalogue words by trigram similarity; one query over
    the vocabulary's trigram index (`%` there uses pg_trgm's own 0.3 threshold)."""
    sql = f"""
        SELECT t.typed, s.word, s.score
          FROM unnest(%s::text[]) AS t(typed)
         CROSS JOIN LATERAL (
               SELECT w.word, similarity(w.word, t.typed) AS score
                 FROM {SearchWord._meta.db_table} w
                WHERE w.word %% t.typed
                ORDER BY score DESC, abs(length(w.word) - length(t.typed)), w.word
                LIMIT %s) AS s
         WHERE s.score >= %s
    """
    found: Corrections = {word: [] for word in words}
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [words, TYPO_ALTERNATIVES, TRIGRAM_THRESHOLD])
        for typed, word, score in cursor.fetchall():
            found[typed].append((word, float(score)))
    return found


def _suggestion(parsed: ParsedQuery, unknown: Corrections) -> str | None:
    """The query with each word the catalogue does not know replaced by its closest word."""
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
                corrected.append(best)
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


# --- Facets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


def facet_counts(records: QuerySet, filters: SearchFilters | Mapping | None = None) -> dict:
    """Counts of every facet over a search result, in one SQL statement.

    Returns {"total": int, "capped": bool, "available": int, "branch": [FacetValue],
    "language": [...], "material_type": [...], "decade": [...], "subject": [...] (top 15),
    "age_rating": [...]}. "available" counts records with a copy on the shelf, at the chosen
    branch if one is. At most RESULT_CAP records are counted: when "capped" is true, "total"
    means «at least» and the facet counts describe those first RESULT_CAP records.
    """
    filters = SearchFilters.coerce(filters)
    empty = {
        "total": 0,
        "capped": False,
        "available": 0,
        "branch": [],
        "language": [],
        "material_type": [],
        "decade": [],
        "subject": [],
        "age_rating": [],
    }
    matched = records.order_by().values("id", "language", "material_type", "year", "age_rating")
    try:
        inner_sql, inner_params = matched[: result_cap()].query.get_compiler(records.db).as_sql()
    except EmptyResultSet:  # .none() or an impossible filter
        return empty
    item = Item._meta.db_table
    branch = Branch._meta.db_table
    through = Record.subjects.through._meta.db_table
    subject = Record.subjects.field.related_model._meta.db_table
    on_shelf_at = ""
    params: list[Any] = list(inner_params)
    tail_params: list[Any] = [Item.Status.ON_SHELF]
    if filters.branch:
        on_shelf_at = f" AND i.branch_id IN (SELECT id FROM {branch} WHERE slug = %s)"
        tail_params.append(filters.branch)
    tail_params += [*HELD_OUT, SUBJECT_FACET_SIZE]
    # The LATERAL joins (OFFSET 0 stops the planner from flattening them back into plain joins)
    # keep PostgreSQL on index look-ups for the at most RESULT_CAP records: with plain joins it
    # merge-joined the whole subject link table (10⁶ rows) against them.
    sql = f"""
        WITH m AS MATERIALIZED ({inner_sql})
        SELECT 'total', '', '', count(*), 0 FROM m
        UNION ALL
        SELECT 'available', '', '', count(*), 0 FROM m WHERE EXISTS (
            SELECT 1 FROM {item} i WHERE i.record_id = m.id AND i.status = %s{on_shelf_at})
        UNION ALL
        SELECT 'language', m.language, '', count(*), 0 FROM m GROUP BY m.language
        UNION ALL
        SELECT 'material_type', m.material_type, '', count(*), 0 FROM m GROUP BY m.material_type
        UNION ALL
        SELECT 'decade', (m.year / 10 * 10)::text, '', count(*), 0
          FROM m WHERE m.year IS NOT NULL GROUP BY m.year / 10
        UNION ALL
        SELECT 'age_rating', m.age_rating, '', count(*), 0
          FROM m WHERE m.age_rating <> '' GROUP BY m.age_rating
        UNION ALL
        SELECT 'branch', b.slug, b.name, count(*), min(b.sort_order)
          FROM (SELECT DISTINCT m.id, i.branch_id FROM m CROSS JOIN LATERAL (
                  SELECT i.branch_id FROM {item} i
                   WHERE i.record_id = m.id AND i.status NOT IN (%s, %s) OFFSET 0) i) held
          JOIN {branch} b ON b.id = held.branch_id
         GROUP BY b.slug, b.name
        UNION ALL
        (SELECT 'subject', s.id::text, s.name, per_subject.n, 0
           FROM (SELECT rs.subject_id, count(*) AS n
                   FROM m CROSS JOIN LATERAL (
                          SELECT rs.subject_id FROM {through} rs
                           WHERE rs.record_id = m.id OFFSET 0) rs
                  GROUP BY rs.subject_id) per_subject
           JOIN {subject} s ON s.id = per_subject.subject_id
          ORDER BY per_subject.n DESC, s.name LIMIT %s)
    """

    def fetch():
        with connections[records.db].cursor() as cursor:
            cursor.execute(sql, params + tail_params)
            return cursor.fetchall()

    # The raw rows, not the result: labels below are in the language of each request.
    rows = _cached("facets", records.db, sql, params + tail_params, fetch)

    result = {**empty, **{key: [] for key, value in empty.items() if isinstance(value, list)}}
    chosen = filters.as_dict()
    branch_order = {}
    material_labels = dict(Record.MaterialType.choices)
    for facet, value, label, count, order in rows:
        if facet in ("total", "available"):
            result[facet] = count
            continue
        if facet == "language":
            label = LANGUAGE_NAMES.get(value, value)
        elif facet == "material_type":
            label = material_labels.get(value, value)
        elif facet == "decade":
            label = f"{value}–{int(value) + 9}"
        elif facet == "age_rating":
            label = value
        elif facet == "branch":
            branch_order[value] = order
        selected = (
            str(chosen.get(facet)) == value
            if facet != "decade"
            else filters.year_from == int(value) and filters.year_to == int(value) + 9
        )
        result[facet].append(FacetValue(value, str(label), count, selected))

    result["capped"] = result["total"] >= result_cap()
    result["branch"].sort(key=lambda v: (branch_order.get(v.value, 0), v.label))
    for facet in ("language", "material_type", "subject"):
        result[facet].sort(key=lambda v: (-v.count, v.label))
    result["decade"].sort(key=lambda v: -int(v.value))
    ratings = list(Record.AgeRating.values)
    result["age_rating"].sort(key=lambda v: ratings.index(v.value) if v.value in ratings else 99)
    return result


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


# --- Search log ---------------------------------------------------------------------------


def search_log_write(
    *,
    query: str,
    normalized: str | None = None,
    filters: SearchFilters | Mapping | None = None,
    branch: Branch | None = None,
    hits: int,
) -> SearchLog | None:
    """Record one search: the text, filters and hit count, never who asked. Blank queries
    (browsing by facets) are not logged."""
    query = (query or "").strip()
    if not query:
        return None
    filters = SearchFilters.coerce(filters)
    if branch is None and filters.branch:
        branch = Branch.objects.filter(slug=filters.branch).first()
    return SearchLog.objects.create(
        query=query[:300],
        normalized=(normalized if normalized is not None else normalize_query(query))[:300],
        filters=filters.as_dict(),
        branch=branch,
        hits=max(0, int(hits)),
    )


def zero_hit_report(
    *, month: date | str | None = None, branch: Branch | None = None, limit: int = 50
) -> list[dict]:
    """«Незадоволені запити»: the most frequent zero-hit queries, per month (newest first).

    `month` (a date in it, or "YYYY-MM") limits the report to one month; `branch` to searches
    filtered to that library. At most `limit` queries per month. Each row: month (date of its
    first day), normalized, count, example (one original spelling).
    """
    logs = SearchLog.objects.filter(hits=0).exclude(normalized="")
    if month is not None:
        start = _month_start(month)
        end = (start + timedelta(days=32)).replace(day=1)
        tz = timezone.get_current_timezone()
        logs = logs.filter(
            created_at__gte=datetime.combine(start, time.min, tz),
            created_at__lt=datetime.combine(end, time.min, tz),
        )
    if branch is not None:
        logs = logs.filter(branch=branch)
    rows = (
        logs.annotate(month=TruncMonth("created_at"))
        .values("month", "normalized")
        .annotate(count=Count("pk"), example=Min("query"))
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("month")],
                order_by=[F("count").desc(), F("normalized").asc()],
            )
        )
        .filter(place__lte=limit)
        .order_by("-month", "-count", "normalized")
    )
    return [
        {
            "month": timezone.localtime(row["month"]).date()
            if isinstance(row["month"], datetime)
            else row["month"],
            "normalized": row["normalized"],
            "count": row["count"],
            "example": row["example"],
        }
        for row in rows
    ]


def _month_start(month: date | str) -> date:
    if isinstance(month, str):
        year, number = (int(part) for part in month.split("-")[:2])
        calendar.monthrange(year, number)  # ValueError for a month that does not exist
        return date(year, number, 1)
    if isinstance(month, datetime):
        month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
    return month.replace(day=1)


__all__ = [
    "HANDFUL",
    "FacetValue",
    "SearchFilters",
    "SearchOutcome",
    "apply_filters",
    "autocomplete",
    "facet_counts",
    "normalize_query",
    "parse_query",
    "search_log_write",
    "search_records",
    "zero_hit_report",
]
