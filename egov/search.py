"""Search in the guides: Ukrainian word forms through the catalogue's lemmatiser.

Documents (egov.services.guide_reindex) and queries go through the same `core.text`
functions and PostgreSQL's `simple` configuration, so «кадастру» finds «Земельний кадастр».
When that finds nothing, the guide list tries `corrected_query`: Latin look-alikes typed inside
a Cyrillic word («пенсiя» with a Latin i) are put right, and each word is replaced by the
closest lexeme of the guides themselves by trigram similarity (pg_trgm), so «субсидии» and
«квиткі» still find.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from core import text
from egov.models import Guide


def guide_query(query: str) -> str | None:
    """A raw tsquery for what a person typed, lemmatised like the documents.

    Each word matches any of its lemmas or, typed half-way, a lexeme it begins; all words
    must match. None when nothing searchable is left.
    """
    groups = []
    for word in text.words(query):
        options = {f"'{lemma}'" for lemma in text.lemmas_of(word)}
        stem = word.replace("’", "").replace("'", "")
        if len(stem) >= 3:
            options.add(f"'{stem}':*")
        if options:
            groups.append("(" + " | ".join(sorted(options)) + ")")
    return " & ".join(groups) or None


# Latin letters that look like Cyrillic ones; people mix them when switching layouts mid-word.
_LOOKALIKES = str.maketrans("aceiopxykmtbhACEIOPXYKMTBH", "асеіорхукмтвнАСЕІОРХУКМТВН")
# Below this pg_trgm similarity a guide's word is not taken for what was typed.
TYPO_SIMILARITY = 0.35
# Shorter words are not corrected: «дія» and «дні» are one letter apart.
TYPO_MIN_LENGTH = 4

_VOCABULARY_SQL = """
SELECT typed.word, best.word
FROM unnest(%s::text[]) AS typed(word)
CROSS JOIN LATERAL (
    SELECT stat.word FROM ts_stat(
        'SELECT search_document FROM egov_guide WHERE is_published'
    ) AS stat
    WHERE similarity(stat.word, typed.word) >= %s
    ORDER BY similarity(stat.word, typed.word) DESC, stat.word
    LIMIT 2
) AS best
"""


def _fix_lookalikes(query: str) -> str:
    return " ".join(
        word.translate(_LOOKALIKES) if text.has_cyrillic(word) and text.has_latin(word) else word
        for word in query.split()
    )


def corrected_query(query: str) -> str | None:
    """The query with typos put right by the guides' own words, or None when nothing changes."""
    fixed = _fix_lookalikes(query)
    typed = [word for word in text.words(fixed) if len(word) >= TYPO_MIN_LENGTH]
    closest = {}
    if typed:
        with connection.cursor() as cursor:
            cursor.execute(_VOCABULARY_SQL, [typed, TYPO_SIMILARITY])
            for word, lexeme in cursor.fetchall():
                closest.setdefault(word, []).append(lexeme)
    words = [" ".join(closest.get(word, [word])[:1]) for word in text.words(fixed)]
    corrected = " ".join(words)
    return corrected if corrected != " ".join(text.words(query)) else None


def search_guides(query, topic=None):
    """Published guides matching `query` (Ukrainian word forms) and `topic`, best first."""
    guides = Guide.objects.published().select_related("topic")
    if topic is not None:
        guides = guides.filter(topic=topic)
    if not query:
        return guides
    raw = guide_query(query)
    if raw is None:
        return guides.none()
    if text.has_latin(query) and not text.has_cyrillic(query):
        # «lsz» typed with the Latin layout on means «дія»: look for both.
        alternative = guide_query(text.from_latin_layout(query))
        if alternative:
            raw = f"({raw}) | ({alternative})"
    tsquery = SearchQuery(raw, search_type="raw", config="simple")
    return (
        guides.filter(search_document=tsquery)
        .annotate(rank=SearchRank(F("search_document"), tsquery))
        .order_by("-rank", "title")
    )
