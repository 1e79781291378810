"""How records are shown to people and machines: lists with availability, the copies table,
language names, new arrivals, similar records and schema.org JSON-LD.

Every helper here runs a fixed number of queries whatever the number of records or copies,
so the pages that use them stay constant in their query count.
"""

import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Contribution, Item, Person, Record, Subject
from core.structured_data import FREE_OFFER, IN_STOCK, OUT_OF_STOCK, json_ld_script

NEW_ARRIVAL_DAYS = 90
SIMILAR_LIMIT = 6

# ISO 639-2 (what records carry) → the language's name and its ISO 639-1 / BCP 47 tag.
LANGUAGES = {
    "ukr": (_("українська"), "uk"),
    "eng": (_("англійська"), "en"),
    "rus": (_("російська"), "ru"),
    "pol": (_("польська"), "pl"),
    "deu": (_("німецька"), "de"),
    "ger": (_("німецька"), "de"),
    "fra": (_("французька"), "fr"),
    "fre": (_("французька"), "fr"),
    "bel": (_("білоруська"), "be"),
    "spa": (_("іспанська"), "es"),
    "ita": (_("італійська"), "it"),
    "ces": (_("чеська"), "cs"),
    "cze": (_("чеська"), "cs"),
    "slk": (_("словацька"), "sk"),
    "bul": (_("болгарська"), "bg"),
    "hun": (_("угорська"), "hu"),
    "ron": (_("румунська"), "ro"),
    "lit": (_("литовська"), "lt"),
    "lav": (_("латиська"), "lv"),
    "est": (_("естонська"), "et"),
    "heb": (_("іврит"), "he"),
    "yid": (_("їдиш"), "yi"),
    "crh": (_("кримськотатарська"), "crh"),
    "lat": (_("латинська"), "la"),
    "mul": (_("кількома мовами"), "mul"),
}


def language_name(code: str) -> str:
    entry = LANGUAGES.get((code or "").lower())
    return str(entry[0]) if entry else code


def language_tag(code: str) -> str:
    entry = LANGUAGES.get((code or "").lower())
    return entry[1] if entry else code


def with_contributors(queryset):
    """Authors and other contributors in one extra query (persons joined in); the search
    columns, which only the database needs, are not fetched."""
    return queryset.defer("search_document", "search_names").prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.select_related("person"))
    )


# The record page's contributors and subjects come with the record itself, as JSON built by
# correlated subqueries: one round trip instead of three (each costs more than its work on a
# busy server).
_CONTRIBUTORS_SQL = f"""
SELECT coalesce(json_agg(json_build_array(c.id, c.role, p.id, p.name, p.dates)
                         ORDER BY c.position, c.id), '[]')::text
  FROM {Contribution._meta.db_table} c JOIN {Person._meta.db_table} p ON p.id = c.person_id
 WHERE c.record_id = {Record._meta.db_table}.id
"""
_SUBJECTS_SQL = f"""
SELECT coalesce(json_agg(json_build_array(s.id, s.name) ORDER BY s.name, s.id), '[]')::text
  FROM {Subject._meta.db_table} s
  JOIN {Record.subjects.through._meta.db_table} rs ON rs.subject_id = s.id
 WHERE rs.record_id = {Record._meta.db_table}.id
"""
# The articles of a host (an issue or a collection), in the order of the host: by issue, then
# by first page. At most COMPONENTS_SHOWN, and how many there are, on the host's page.
COMPONENTS_SHOWN = 200
_COMPONENTS_SQL = f"""
SELECT json_build_object(
         'count', (SELECT count(*) FROM {Record._meta.db_table} a
                    WHERE a.host_id = {Record._meta.db_table}.id),
         'rows', coalesce((
  SELECT json_agg(json_build_array(a.id, a.title, a.host_part, a.host_pages, a.author)
                  ORDER BY a.host_part, a.first_page NULLS LAST, a.title, a.id)
    FROM (SELECT r.id, r.title, r.host_part, r.host_pages,
                 (substring(r.host_pages from '^[0-9]{{1,6}}'))::int AS first_page,
                 (SELECT p.name FROM {Contribution._meta.db_table} c
                    JOIN {Person._meta.db_table} p ON p.id = c.person_id
                   WHERE c.record_id = r.id AND c.role = 'author'
                   ORDER BY c.position, c.id LIMIT 1) AS author
            FROM {Record._meta.db_table} r
           WHERE r.host_id = {Record._meta.db_table}.id
           ORDER BY r.host_part, 5 NULLS LAST, r.title, r.id
           LIMIT {COMPONENTS_SHOWN}) a), '[]'))::text
"""
# Authors of a record, in order, for the «Знайти схожі» cards.
_AUTHOR_COLUMNS_SQL = f"""
SELECT ARRAY(SELECT {{column}} FROM {Contribution._meta.db_table} c
               JOIN {Person._meta.db_table} p ON p.id = c.person_id
              WHERE c.record_id = {Record._meta.db_table}.id AND c.role = %s
              ORDER BY c.position, c.id)
"""


# In how many libraries a copy of the record is on the shelf right now.
_ON_SHELF_SQL = f"""
SELECT count(DISTINCT i.branch_id) FROM {Item._meta.db_table} i
 WHERE i.record_id = {Record._meta.db_table}.id AND i.status = %s
"""


def for_listing(queryset):
    """Records for the cards of a list (`catalog/_record_item.html`) with `author_names` and
    `on_shelf_in` computed in the same query: PostgreSQL evaluates them for the rows of the
    page only, after sorting and LIMIT, and a page is one round trip instead of three."""
    return queryset.defer("search_document", "search_names").annotate(
        author_names=RawSQL(
            _AUTHOR_COLUMNS_SQL.format(column="p.name"),
            (Contribution.Role.AUTHOR,),
            output_field=ArrayField(CharField()),
        ),
        on_shelf_in=RawSQL(_ON_SHELF_SQL, (Item.Status.ON_SHELF,), output_field=IntegerField()),
    )


def with_details(queryset):
    """Records with `contributor_json`, `subject_json` and `component_json` for
    `record_details()` and `record_components()`, and the host of an analytical record; the
    search columns, which only the database needs, are not fetched."""
    return (
        queryset.select_related("host")
        .defer("search_document", "search_names", "host__search_document", "host__search_names")
        .annotate(
            contributor_json=RawSQL(_CONTRIBUTORS_SQL, (), output_field=CharField()),
            subject_json=RawSQL(_SUBJECTS_SQL, (), output_field=CharField()),
            component_json=RawSQL(_COMPONENTS_SQL, (), output_field=CharField()),
        )
    )


@dataclass
class Component:
    """An article of a host record, as its page lists it («Статті в цьому виданні»)."""

    pk: int
    title: str
    host_part: str
    host_pages: str
    author: str

    @property
    def location(self) -> str:
        return Record(host_part=self.host_part, host_pages=self.host_pages).host_location


def record_components(record) -> tuple[list[Component], int]:
    """The articles in a host record (at most COMPONENTS_SHOWN) and how many there are."""
    data = json.loads(record.component_json)
    rows = [
        Component(pk=pk, title=title, host_part=part, host_pages=pages, author=author or "")
        for pk, title, part, pages, author in data["rows"]
    ]
    return rows, data["count"]


def latest_local_lore_analytics(limit: int):
    """The newest local-lore analytical records (articles flagged «краєзнавство» or in a
    local-lore host) with their hosts, for the local-lore landing: one query."""
    return list(
        Record.objects.analytics()
        .filter(Q(is_local_lore=True) | Q(host__is_local_lore=True))
        .select_related("host")
        .defer("search_document", "search_names", "host__search_document", "host__search_names")
        .annotate(
            author_names=RawSQL(
                _AUTHOR_COLUMNS_SQL.format(column="p.name"),
                (Contribution.Role.AUTHOR,),
                output_field=ArrayField(CharField()),
            )
        )
        .order_by("-created_at", "-id")[:limit]
    )


def record_details(record) -> tuple[list[Contribution], list[Subject]]:
    """A record's contributions (with their persons) and subjects, from `with_details()`."""
    contributions = [
        Contribution(
            pk=pk,
            record=record,
            role=role,
            person=Person(pk=person_pk, name=name, dates=dates or ""),
        )
        for pk, role, person_pk, name, dates in json.loads(record.contributor_json)
    ]
    subjects = [Subject(pk=pk, name=name) for pk, name in json.loads(record.subject_json)]
    return contributions, subjects


def shelf_branch_counts(record_ids) -> dict[int, int]:
    """record id → in how many libraries a copy is on the shelf right now (one query)."""
    rows = (
        Item.objects.filter(record_id__in=list(record_ids), status=Item.Status.ON_SHELF)
        .values("record_id")
        .annotate(branches=Count("branch_id", distinct=True))
    )
    return {row["record_id"]: row["branches"] for row in rows}


def listing(records) -> list[Record]:
    """Records of one page with `on_shelf_in` (libraries with a copy on the shelf) set."""
    records = list(records)
    counts = shelf_branch_counts(record.pk for record in records) if records else {}
    for record in records:
        record.on_shelf_in = counts.get(record.pk, 0)
    return records


def new_arrivals(*, branch=None, days=NEW_ARRIVAL_DAYS, now=None):
    """Records whose first copy (in `branch`, when given) arrived in the last `days` days,
    newest first, annotated with `arrived_at`."""
    since = (now or timezone.now()) - timedelta(days=days)
    copies = Item.objects.exclude(status=Item.Status.WITHDRAWN)
    if branch is not None:
        copies = copies.filter(branch=branch)
    first_copy = copies.filter(record=OuterRef("pk")).order_by("added_at").values("added_at")[:1]
    recent = copies.filter(added_at__gte=since).values("record_id")
    return (
        Record.objects.filter(pk__in=recent)
        .annotate(arrived_at=Subquery(first_copy))
        .filter(arrived_at__gte=since)
        .order_by("-arrived_at", "-pk")
    )


@dataclass
class Holding:
    """One library's copies of a record, for the table on the record page."""

    branch: object
    items: list = field(default_factory=list)

    @property
    def on_shelf(self):
        return sum(1 for item in self.items if item.is_on_shelf)

    @property
    def statuses(self):
        counts = {}
        for item in self.items:
            counts[item.status_label] = counts.get(item.status_label, 0) + 1
        return list(counts.items())

    @property
    def lendable(self):
        """Copies that go home now or later (not reading-room-only, lost or in processing)."""
        kept = {Item.Status.REFERENCE, Item.Status.LOST, Item.Status.IN_PROCESSING}
        return sum(1 for item in self.items if item.status not in kept)

    @property
    def due_back(self):
        """The earliest date a copy of this library that is out is due back, or None."""
        return min((item.due_on for item in self.items if item.due_on), default=None)

    @property
    def shelf_marks(self):
        return sorted({item.shelf_mark for item in self.items if item.shelf_mark})


@functools.cache
def _holdings_sql():
    """The copies of a record with their libraries and the due date of an open loan, for
    `holdings()`. Raw SQL, built once: the same statement through the ORM (select_related,
    an aggregate over the loans and its GROUP BY) cost the worker more to compile than
    PostgreSQL to run. The loans are circulation's, read through the reverse relation of its
    Loan (the seam the README names), so catalog does not import circulation."""
    loans = Item._meta.get_field("loans").related_model._meta.db_table
    branch = Item._meta.get_field("branch").related_model
    item_columns = ", ".join(f'i."{f.column}"' for f in Item._meta.concrete_fields)
    branch_columns = ", ".join(f'b."{f.column}"' for f in branch._meta.concrete_fields)
    sql = f"""
SELECT {item_columns},
       (SELECT min(l.due_on) FROM {loans} l
         WHERE l.item_id = i.id AND l.returned_at IS NULL),
       {branch_columns}
  FROM {Item._meta.db_table} i JOIN {branch._meta.db_table} b ON b.id = i.branch_id
 WHERE i.record_id = %s AND i.status <> %s
 ORDER BY b.sort_order, b.name, i.inventory_number
"""
    return sql, branch


def holdings(record) -> list[Holding]:
    """Copies per library (withdrawn ones left out), libraries with copies on the shelf first;
    each copy with `due_on`, the due date of its open loan (or None). One query."""
    sql, branch_model = _holdings_sql()
    item_fields = [f.attname for f in Item._meta.concrete_fields]
    branch_fields = [f.attname for f in branch_model._meta.concrete_fields]
    split = len(item_fields)
    db = Item.objects.db
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [record.pk, Item.Status.WITHDRAWN.value])
        rows = cursor.fetchall()
    by_branch: dict[int, Holding] = {}
    for row in rows:
        item = Item.from_db(db, item_fields, row[:split])
        item.due_on = row[split]
        holding = by_branch.get(item.branch_id)
        if holding is None:
            branch = branch_model.from_db(db, branch_fields, row[split + 1 :])
            holding = by_branch[item.branch_id] = Holding(branch=branch)
        item.branch = holding.branch
        holding.items.append(item)
    rows = list(by_branch.values())
    rows.sort(key=lambda holding: holding.on_shelf == 0)
    return rows


def osm_url(branch) -> str:
    if branch.latitude is None or branch.longitude is None:
        return ""
    lat, lon = f"{branch.latitude:.5f}", f"{branch.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


# «Знайти схожі»: each side is a LIMITed subquery, so a subject with 50,000 records costs no
# more than a rare one. No ORDER BY inside: sorting every record of a popular subject before
# the LIMIT cost seconds at 10⁶ records; any few of them will do, and they are ordered in
# Python. Raw SQL: the same statement through the ORM (a union of subqueries, two annotations)
# cost the worker more to compile than PostgreSQL to run.
_SIMILAR_SQL = f"""
SELECT r.id, r.title, r.year, r.material_type,
       ARRAY(SELECT p.name FROM {Contribution._meta.db_table} c
               JOIN {Person._meta.db_table} p ON p.id = c.person_id
              WHERE c.record_id = r.id AND c.role = %(author)s
              ORDER BY c.position, c.id),
       ARRAY(SELECT c.person_id FROM {Contribution._meta.db_table} c
              WHERE c.record_id = r.id AND c.role = %(author)s
              ORDER BY c.position, c.id)
  FROM {Record._meta.db_table} r
 WHERE r.id IN ((SELECT c.record_id FROM {Contribution._meta.db_table} c
                  WHERE c.person_id = ANY(%(authors)s) AND c.role = %(author)s
                    AND c.record_id <> %(record)s
                  LIMIT %(limit)s)
                UNION ALL
                (SELECT rs.record_id FROM {Record.subjects.through._meta.db_table} rs
                  WHERE rs.subject_id = ANY(%(subjects)s) AND rs.record_id <> %(record)s
                  LIMIT %(limit)s))
"""


def similar_records(record, *, authors, subjects, limit=SIMILAR_LIMIT):
    """Up to `limit` other records by the same authors or on the same subjects, records
    sharing an author first, then the newest, each with `author_names`. One query."""
    author_ids = [person.pk for person in authors]
    subject_ids = [subject.pk for subject in subjects]
    if not author_ids and not subject_ids:
        return []
    params = {
        "author": Contribution.Role.AUTHOR.value,
        "authors": author_ids,
        "subjects": subject_ids,
        "record": record.pk,
        "limit": limit,
    }
    with connections[Record.objects.db].cursor() as cursor:
        cursor.execute(_SIMILAR_SQL, params)
        rows = cursor.fetchall()
    shared = set(author_ids)
    found = []
    for pk, title, year, material_type, author_names, other_author_ids in rows:
        other = Record(pk=pk, title=title, year=year, material_type=material_type)
        other.author_names = author_names
        other.shares_author = not shared.isdisjoint(other_author_ids)
        found.append(other)
    found.sort(key=lambda other: (not other.shares_author, -(other.year or 0), -other.pk))
    return found[:limit]


# schema.org/bookFormat for what a library lends; other material types have none.
BOOK_FORMATS = {
    Record.MaterialType.BOOK: "https://schema.org/Hardcover",
    Record.MaterialType.LOCAL_LORE: "https://schema.org/Hardcover",
    Record.MaterialType.AUDIO: "https://schema.org/AudiobookFormat",
    Record.MaterialType.E_RESOURCE: "https://schema.org/EBook",
}


def record_json_ld(record, request, *, authors, subjects, holdings=()):
    """schema.org Book for search engines, escaped for a <script> element.

    The record is the work; its edition (`workExample`) carries the ISBN and, per library
    holding copies, an Offer (free, InStock while a copy is on the shelf, else OutOfStock) and a
    BorrowAction, as search engines' book results read them.
    """
    url = request.build_absolute_uri(record.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Book",
        "@id": url,
        "url": url,
        "name": record.title,
        "inLanguage": language_tag(record.language),
    }
    if record.subtitle:
        data["alternativeHeadline"] = record.subtitle
    if authors:
        data["author"] = [{"@type": "Person", "name": person.name} for person in authors]
    if record.isbn:
        data["isbn"] = record.isbn
    if record.publisher:
        data["publisher"] = {"@type": "Organization", "name": record.publisher}
    if record.year:
        data["datePublished"] = str(record.year)
    if record.edition:
        data["bookEdition"] = record.edition
    if record.series:
        data["isPartOf"] = {"@type": "BookSeries", "name": record.series}
    if subjects:
        data["about"] = [{"@type": "Thing", "name": subject.name} for subject in subjects]
    if record.age_rating:
        data["typicalAgeRange"] = record.age_rating.replace("+", "-")
    if record.annotation:
        data["description"] = record.annotation
    if record.cover:
        data["image"] = request.build_absolute_uri(record.cover.url)
    data["workExample"] = [_edition_json_ld(record, request, url=url, holdings=holdings)]
    return json_ld_script(data)


def _edition_json_ld(record, request, *, url, holdings):
    edition = {
        "@type": "Book",
        "@id": f"{url}#edition",
        "url": url,
        "name": record.title,
        "inLanguage": language_tag(record.language),
    }
    if record.isbn:
        edition["isbn"] = record.isbn
    if record.edition:
        edition["bookEdition"] = record.edition
    if record.year:
        edition["datePublished"] = str(record.year)
    if record.material_type in BOOK_FORMATS:
        edition["bookFormat"] = BOOK_FORMATS[record.material_type]
    offers, actions = [], []
    for holding in holdings:
        branch = holding.branch
        library = {
            "@type": "Library",
            "@id": request.build_absolute_uri(branch.get_absolute_url()),
            "name": branch.name,
        }
        offer = {
            **FREE_OFFER,
            "url": url,
            "availability": IN_STOCK if holding.on_shelf else OUT_OF_STOCK,
            "offeredBy": library,
            "availableAtOrFrom": library,
            "inventoryLevel": {"@type": "QuantitativeValue", "value": holding.on_shelf},
        }
        offers.append(offer)
        actions.append(
            {
                "@type": "BorrowAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": url,
                    "actionPlatform": [
                        "https://schema.org/DesktopWebPlatform",
                        "https://schema.org/MobileWebPlatform",
                    ],
                },
                "lender": library,
                "expectsAcceptanceOf": offer,
            }
        )
    if offers:
        edition["offers"] = offers
        edition["potentialAction"] = actions
    return edition


# --- Facets on the search pages -------------------------------------------------------------

FACET_GROUPS = (
    ("branch", _("Бібліотека"), _("Будь-яка")),
    ("material_type", _("Вид документа"), _("Будь-який")),
    ("language", _("Мова"), _("Будь-яка")),
    ("subject", _("Рубрика"), _("Будь-яка")),
    ("age_rating", _("Вікове обмеження"), _("Будь-яке")),
)


def _without(params, *keys):
    query = params.copy()
    for key in (*keys, "page"):
        query.pop(key, None)
    return query.urlencode()


def facet_context(counts, filters, params, *, branch_names=None):
    """What the facet form and the «selected filters» list show, from facet_counts().

    A chosen value is always offered (checked), even when the result has none of it, so the
    reader can see and undo every filter. `branch_names` (slug → name) localises libraries.
    """
    branch_names = branch_names or {}
    groups = []
    labels = {}
    for key, legend, any_label in FACET_GROUPS:
        chosen = filters.get(key)
        options = []
        for value in counts.get(key, []):
            label = value.label
            if key == "branch":
                label = branch_names.get(value.value) or label
            elif key == "language":
                label = language_name(value.value)
            options.append(
                {
                    "value": value.value,
                    "label": label,
                    "count": value.count,
                    "checked": chosen is not None and str(chosen) == value.value,
                }
            )
        if chosen is not None and not any(option["checked"] for option in options):
            options.insert(
                0,
                {
                    "value": str(chosen),
                    "label": _choice_label(key, chosen, branch_names),
                    "count": 0,
                    "checked": True,
                },
            )
        for option in options:
            if option["checked"]:
                labels[key] = option["label"]
        groups.append(
            {
                "key": key,
                "legend": legend,
                "any_label": any_label,
                "options": options,
                "selected": chosen is not None,
            }
        )
    years = [
        {
            "label": value.label,
            "count": value.count,
            "start": int(value.value),
            "end": int(value.value) + 9,
            "checked": value.selected,
        }
        for value in counts.get("decade", [])
    ]
    return {
        "groups": groups,
        # What the facet groups show, as a key for their cached fragment (`_facets.html`).
        "fingerprint": hashlib.sha1(
            json.dumps([groups, years], default=str, ensure_ascii=False).encode(),
            usedforsecurity=False,
        ).hexdigest(),
        "available": {
            "count": counts.get("available") if counts else None,
            "checked": bool(filters.get("available")),
        },
        "years": years,
        "selected": _selected_chips(filters, labels, params),
    }


def _choice_label(key, value, branch_names):
    if key == "branch":
        return branch_names.get(value, value)
    if key == "language":
        return language_name(value)
    if key == "material_type":
        return str(dict(Record.MaterialType.choices).get(value, value))
    if key == "subject":
        return _("рубрика № %(number)s") % {"number": value}
    return str(value)


def _selected_chips(filters, labels, params):
    chips = []
    names = {key: legend for key, legend, _any in FACET_GROUPS}
    for key in ("branch", "available", "material_type", "language", "subject", "age_rating"):
        if not filters.get(key):
            continue
        if key == "available":
            label = _("Лише на полиці")
        else:
            label = f"{names[key]}: {labels.get(key, filters[key])}"
        chips.append({"label": label, "remove_query": _without(params, key)})
    if filters.get("year_from") or filters.get("year_to"):
        year_from, year_to = filters.get("year_from"), filters.get("year_to")
        if year_from and year_to:
            label = _("Роки: %(start)s–%(end)s") % {"start": year_from, "end": year_to}
        elif year_from:
            label = _("Роки: від %(start)s") % {"start": year_from}
        else:
            label = _("Роки: до %(end)s") % {"end": year_to}
        chips.append({"label": label, "remove_query": _without(params, "year_from", "year_to")})
    return chips
