"""Reading what a reader asked: the facet filters from request parameters (`SearchFilters`,
`apply_filters`) and the typed text as chunks of words with their readings and lemmas
(`parse_query`), turned into PostgreSQL tsquery text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef, QuerySet

from catalog.indexing import pair_key, surname_key, title_key
from catalog.models import Item, Record
from core import text

# Words shorter than this never go to trigram matching: too many false friends.
TRIGRAM_MIN_WORD = 4
# Shorter than TRIGRAM_MIN_WORD: tried only as a surname of the catalogue less one letter.
SHORT_NAME_TYPO = 3
# The last word is also a prefix («істор» → історія) once it has this many characters.
PREFIX_MIN = 2
MAX_QUERY_WORDS = 12
# A word pairs as first name and surname with the words this many places either side of it.
NAME_PARTNER_DISTANCE = 2
# Longer queries are not a person's name (and would multiply the name keys asked for).
NAME_MAX_WORDS = 5

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
    # Words of the chunks around it that may be a first name (or initial) to its surname or
    # a surname to its first name: «Іван Франко», «Франко Іван», «І. Франко» (see _name_keys).
    partners: tuple[str, ...] = ()


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

    def title_key_tsquery(self) -> str | None:
        """The key of a title typed exactly as it is («лісова пісня» → «ttлісоваqпісня»)."""
        lexemes = [text._lexeme(word) for chunk in self.chunks for word in chunk.readings[0].words]
        if not lexemes:
            return None
        return _quote(title_key(lexemes))

    def names_tsquery(self, *, pairs: bool) -> str | None:
        """The name keys the query's words may mean: with `pairs`, only surname-and-initial
        keys («nmфранкоinи»), which say the record is BY the person the reader named in full;
        otherwise surname keys («nmфранко»), which say it is by someone of that surname."""
        keys = []
        for chunk in self.chunks:
            for reading in chunk.readings:
                for word in reading.words:
                    surnames, paired = _name_keys(word, chunk.partners)
                    keys += paired if pairs else surnames
        keys = list(dict.fromkeys(keys))
        return " | ".join(_quote(key) for key in keys) if keys else None

    def rank_tsquery(self, corrections: Corrections | None = None) -> str:
        """Every word of the query ORed: ts_rank rewards each one a record contains. Without
        name keys: the tiers rank names (catalog.search.engine), and every lexeme more here
        costs every matching record's ts_rank."""
        return " | ".join(
            _chunk_tsquery(chunk, corrections=corrections, names=False) for chunk in self.chunks
        )

    def typo_candidates(self) -> list[str]:
        """The words typo matching may correct: long, not numbers, not function words; and
        three Cyrillic letters the dictionary does not know, which may be a four-letter surname
        less a letter («Дрч»: only names are tried for them, see engine._similar_words)."""
        found = []
        for chunk in self.required:
            if chunk.optional:
                continue
            for reading in chunk.readings:
                for word in reading.words:
                    lexeme = text._lexeme(word)
                    if lexeme.isdigit():
                        continue
                    if len(lexeme) >= TRIGRAM_MIN_WORD or (
                        len(lexeme) == SHORT_NAME_TYPO
                        and text.has_cyrillic(lexeme)
                        and not text.is_known_word(lexeme)
                    ):
                        found.append(lexeme)
        return list(dict.fromkeys(found))


# typed word (as a lexeme) → [(catalogue word, similarity)], closest first; a word the
# catalogue has verbatim maps to itself with similarity 1.
Corrections = dict[str, list[tuple[str, float]]]


def normalize_query(query: str) -> str:
    """Lower case, apostrophes folded, punctuation dropped: the form the search log groups by."""
    return " ".join(text.words(query or ""))[:300]


def parse_query(query: str) -> ParsedQuery:
    parsed = _parse_chunks(query)
    chunks = parsed.chunks
    if len(chunks) > NAME_MAX_WORDS:
        return parsed
    with_partners = []
    for index, chunk in enumerate(chunks):
        near = (
            chunks[max(0, index - NAME_PARTNER_DISTANCE) : index]
            + chunks[index + 1 : index + 1 + NAME_PARTNER_DISTANCE]
        )
        partners = tuple(
            dict.fromkeys(word for other in near for r in other.readings for word in r.words)
        )
        with_partners.append(replace(chunk, partners=partners))
    return replace(parsed, chunks=tuple(with_partners))


def _parse_chunks(query: str) -> ParsedQuery:
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
        # «Тарас Григорович Шевченко»: catalogues write the patronymic as an initial at most.
        optional = optional or (len(pieces) >= 3 and len(own) == 1 and text.is_patronymic(own[0]))
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


def _name_keys(word: str, partners: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """The search-document name keys (catalog.indexing.name_keys) a typed word may stand for.

    As a surname: each catalogue form it may be a case form of («франкові» → «франко»), with
    the letters readers swap folded («шевчєнко» → «шевченко»). Paired with each partner that
    may be a first name or an initial: the word as a surname with the partner's initial
    («франко» with «и» for «Франка» next to «Івана»); and, when the word itself may be one,
    the partner as a surname with its initial (for «Іван» next to «Франко»). Keys of names
    the catalogue does not have match nothing, so candidates may be generous.
    """
    word = text._lexeme(word)
    if not word or word.isdigit():
        return [], []
    surnames = _surnames(word)
    paired = []
    for partner in partners:
        partner = text._lexeme(partner)
        if not partner or partner == word or partner.isdigit():
            continue
        if _may_be_first_name(partner):
            paired += [pair_key(key, i) for key in surnames for i in _initials(partner)]
        if _may_be_first_name(word):
            paired += [pair_key(key, i) for key in _surnames(partner) for i in _initials(word)]
    return [surname_key(key) for key in surnames], list(dict.fromkeys(paired))


def _may_be_first_name(word: str) -> bool:
    """An initial, a word the dictionary may read as a first name, or a Latin word (unknown)."""
    return len(word) == 1 or not text.has_cyrillic(word) or text.may_be_first_name(word)


def _surnames(word: str) -> list[str]:
    """The folded surnames a word may be a form of (see `text.surname_nominatives`)."""
    if len(word) < 2:
        return []
    if not text.has_cyrillic(word):
        return [word]
    forms = [*text.surname_nominatives(word), *text.lemmas_of(word)]
    return list(dict.fromkeys(text.fold_name(form) for form in forms if form))


def _initials(word: str) -> list[str]:
    return [text.fold_name(word[0])] if word and word[0].isalpha() else []


def _word_alternatives(
    word: str,
    *,
    prefix: bool,
    min_prefix: int = PREFIX_MIN,
    transliterated: bool = True,
    partners: tuple[str, ...] = (),
    names: bool = True,
) -> list[str]:
    """A word's lexemes: its lemmas and, for a Cyrillic word, their KMU 2010 transliterations
    (Latin-script records of Ukrainian authors: «шевченка» finds «Shevchenko, Taras»); and the
    name keys it may stand for (`_name_keys`)."""
    lexemes = [lemma for lemma in text.lemmas_of(word) if lemma]
    surface = text._lexeme(word)
    prefixes = [surface]
    if transliterated and text.has_cyrillic(word):
        lexemes += [latin for lemma in list(lexemes) for latin in text.latin_lexemes(lemma)]
        prefixes += text.latin_lexemes(word)
    alternatives = [_quote(lexeme) for lexeme in dict.fromkeys(lexemes) if "-" not in lexeme]
    if names:
        surnames, paired = _name_keys(word, partners)
        alternatives += [_quote(key) for key in [*surnames, *paired]]
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
    partners: tuple[str, ...] = (),
    names: bool = True,
) -> str:
    terms = []
    for position, word in enumerate(reading.words):
        last = prefix and position == len(reading.words) - 1
        alternatives = _word_alternatives(
            word,
            prefix=last,
            min_prefix=min_prefix,
            transliterated=transliterated,
            partners=partners,
            names=names,
        )
        for correction, _score in (corrections or {}).get(text._lexeme(word), []):
            alternatives += _word_alternatives(
                correction, prefix=False, transliterated=transliterated, names=names
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
    names: bool = True,
) -> str:
    parts = [
        _reading_tsquery(
            reading,
            prefix=chunk.prefix,
            min_prefix=min_prefix,
            corrections=corrections,
            transliterated=transliterated,
            partners=chunk.partners,
            names=names,
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
