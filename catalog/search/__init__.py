"""Searching the catalogue: the one place the search page, the API and the autocomplete ask.

`query` parses filters and the typed text, `engine` finds and ranks records (its docstring
tells how), `facets` counts facets, `autocomplete` serves the search box, `log` keeps and
reads the search log. The names below are what the rest of the project uses.
"""

from catalog.search.autocomplete import autocomplete
from catalog.search.engine import HANDFUL, SearchOutcome, search_records
from catalog.search.facets import FacetValue, facet_counts
from catalog.search.log import (
    search_log_buffered,
    search_log_enqueue,
    search_log_flush,
    search_log_write,
    zero_hit_report,
)
from catalog.search.query import SearchFilters, apply_filters, normalize_query, parse_query

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
    "search_log_buffered",
    "search_log_enqueue",
    "search_log_flush",
    "search_log_write",
    "search_records",
    "zero_hit_report",
]
