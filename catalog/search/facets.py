"""Facet counts of a search result: branch, availability, language, type, decade, subject and
age rating, all in one SQL statement over the (capped) matches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from catalog.models import Item, Record
from catalog.search.engine import _cached, result_cap
from catalog.search.query import HELD_OUT, SearchFilters

SUBJECT_FACET_SIZE = 15

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


# --- Facets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


def facet_counts(
    records: QuerySet,
    filters: SearchFilters | Mapping | None = None,
    *,
    ids: list[int] | None = None,
) -> dict:
    """Counts of every facet over a search result, in one SQL statement.

    `ids` (`SearchOutcome.ids`, the filtered matches) count those records instead of
    compiling `records`: the statement then carries the ids once, as one array parameter.

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
    if ids is not None:
        if not ids:
            return empty
        inner_sql = (
            "SELECT id, language, material_type, year, age_rating "
            f"FROM {Record._meta.db_table} WHERE id = ANY(%s::bigint[])"
        )
        inner_params = [ids[: result_cap()]]
    else:
        columns = ("id", "language", "material_type", "year", "age_rating")
        matched = records.order_by().values(*columns)
        try:
            compiler = matched[: result_cap()].query.get_compiler(records.db)
            inner_sql, inner_params = compiler.as_sql()
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
    # One pass over the copies of the matches serves both the availability count and the
    # libraries; libraries are counted by id and named afterwards (grouping by the name sorted
    # every (record, library) pair in the Ukrainian collation: a third of the statement).
    sql = f"""
        WITH m AS MATERIALIZED ({inner_sql}),
        copies AS MATERIALIZED (
            SELECT m.id, i.branch_id, i.status FROM m CROSS JOIN LATERAL (
                SELECT i.branch_id, i.status FROM {item} i WHERE i.record_id = m.id OFFSET 0) i)
        SELECT 'total', '', '', count(*), 0 FROM m
        UNION ALL
        SELECT 'available', '', '', count(DISTINCT c.id), 0 FROM copies c
         WHERE c.status = %s{on_shelf_at.replace("i.branch_id", "c.branch_id")}
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
        SELECT 'branch', b.slug, b.name, held.n, b.sort_order
          FROM (SELECT c.branch_id, count(DISTINCT c.id) AS n FROM copies c
                 WHERE c.status NOT IN (%s, %s) GROUP BY c.branch_id) held
          JOIN {branch} b ON b.id = held.branch_id
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
