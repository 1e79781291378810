"""Search in the guides: Ukrainian word forms through the catalogue's lemmatiser.

Documents (egov.services.guide_reindex) and queries go through the same `catalog.text`
functions and PostgreSQL's `simple` configuration, so «кадастру» finds «Земельний кадастр».
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from catalog import text
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
