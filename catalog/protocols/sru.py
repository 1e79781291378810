"""SRU 1.2 and 2.0 at /sru: explain, searchRetrieve and scan, with CQL queries.

A query is parsed by the `cql-parser` library; each search clause becomes a set of record ids:
`cql.serverChoice` (and a bare term) is the catalogue's own Ukrainian search
(`catalog.search.search_records`, lemmas, transliteration, typos); `dc.title`, `dc.creator`
and `dc.subject` are that search narrowed to the field (each word's stem must occur there, so
«Кобзаря» finds «Кобзар»); `dc.date` compares the year; `bath.isbn`, `rec.identifier` and
`lcbs.udc` (the UDC class and everything under it) look up the field itself. Booleans combine
the sets. Diagnostics are SRU's standard ones (info:srw/diagnostic/1/N).

The version answered is the one asked (`version=1.1|1.2|2.0`); with no version, 2.0 when no
`operation` is given (an SRU 2.0 request), 1.2 otherwise.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Person, Record, Subject, normalize_isbn
from catalog.protocols import records as ser
from catalog.search import search_records

# cql-parser logs every syntax error it raises at ERROR level; a bad query is the client's.
logging.getLogger("cql").setLevel(logging.CRITICAL)

MAX_RECORDS = 100
DEFAULT_RECORDS = 10
MAX_TERMS = 100

NS_12 = "http://www.loc.gov/zing/srw/"
NS_20 = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
DIAG_12 = "http://www.loc.gov/zing/srw/diagnostic/"
DIAG_20 = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
# SRU 2.0 answers a scan in the namespace of its own schema (scan.xsd), as the reference
# server (CLARIN's SRU server) does; SRU 1.2 keeps every answer in the zing namespace.
SCAN_20 = "http://docs.oasis-open.org/ns/search-ws/scan"
EXPLAIN_NS = "http://explain.z3950.org/dtd/2.0/"


@dataclass(frozen=True)
class Schema:
    name: str
    identifier: str
    title: str
    render: object


SCHEMAS = [
    Schema("marcxml", "info:srw/schema/1/marcxml-v1.1", "MARCXML (MARC 21)", ser.marcxml),
    Schema("dc", "info:srw/schema/1/dc-v1.1", "Dublin Core", ser.srw_dc),
    Schema("unimarc", ser.MARCXCHANGE_NS, "UNIMARC (MarcXchange)", ser.marcxchange),
]
SCHEMA_BY_KEY = {key: s for s in SCHEMAS for key in (s.name, s.identifier)}
SCHEMA_BY_KEY["marc21"] = SCHEMA_BY_KEY["marcxml"]

# Index name → (context set, name) as the explain record lists them.
TEXT_INDEXES = {"cql.serverchoice", "cql.anywhere", "dc.title", "dc.creator", "dc.subject"}
INDEXES = [
    ("cql", "serverChoice", gettext_lazy("Будь-де в записі")),
    ("dc", "title", gettext_lazy("Назва")),
    ("dc", "creator", gettext_lazy("Автор")),
    ("dc", "subject", gettext_lazy("Рубрика, УДК")),
    ("dc", "date", gettext_lazy("Рік видання")),
    ("bath", "isbn", "ISBN"),
    ("rec", "identifier", gettext_lazy("Номер запису")),
    ("lcbs", "udc", gettext_lazy("УДК (з підрозділами)")),
]
CONTEXT_SETS = {
    "cql": "info:srw/cql-context-set/1/cql-v1.2",
    "dc": "info:srw/cql-context-set/1/dc-v1.1",
    "bath": "http://zing.z3950.org/cql/bath/2.0/",
    "rec": "info:srw/cql-context-set/2/rec-1.1",
    "lcbs": "info:srw/cql-context-set/lutsk-cbs/1",
}
TEXT_RELATIONS = {"=", "==", "all", "any", "adj"}
ORDER_RELATIONS = {"=": "exact", "==": "exact", "<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}

_local = threading.local()


class Diagnostic(Exception):
    def __init__(self, number: int, message: str, details: str = ""):
        super().__init__(message)
        self.number = number
        self.message = message
        self.details = details


def _parse_cql(query: str):
    import cql  # the library's lexer and parser are built once per thread

    parser = getattr(_local, "parser", None)
    if parser is None:
        lexer = cql.CQLLexer()
        lexer.build()
        parser = cql.CQLParser12()
        parser.build(lexer)
        _local.parser = parser
    try:
        parsed = parser.parse(query, tracking=True)
    except Exception as exc:  # CQLParserError, CQLLexerError, ply's own
        raise Diagnostic(10, _("Синтаксична помилка в запиті CQL."), query[:100]) from exc
    if parsed is None:
        raise Diagnostic(10, _("Синтаксична помилка в запиті CQL."), query[:100])
    return parsed.root


def _stems(term: str) -> list[str]:
    # A crude Ukrainian stem: the word less its ending, never shorter than four letters, so
    # that «Кобзаря» matches «Кобзар» and «Шевченка» matches «Шевченко».
    words = [w for w in term.lower().split() if w]
    return [w if len(w) <= 4 else w[: max(4, len(w) - 2)] for w in words]


def _clause(clause) -> Q:
    index = str(clause.index).lower() if clause.index is not None else "cql.serverchoice"
    if "." not in index:
        index = f"dc.{index}" if index in ("title", "creator", "subject", "date") else index
    relation = str(clause.relation.comparitor).lower() if clause.relation is not None else "="
    if clause.relation is not None and clause.relation.modifiers:
        raise Diagnostic(20, _("Модифікатори відношень не підтримуються."), relation)
    term = clause.term
    if index in ("cql.serverchoice", "cql.anywhere", "srw.serverchoice"):
        index = "cql.serverchoice"
    if index in TEXT_INDEXES:
        if relation not in TEXT_RELATIONS:
            raise Diagnostic(19, _("Відношення не підтримується."), relation)
        if not term.strip():
            return Q(pk__in=[])
        found = search_records(query=term[:300]).records.order_by().values("pk")
        q = Q(pk__in=found)
        stems = _stems(term)[:12]
        field = {
            "dc.title": "title__icontains",
            "dc.creator": "contributions__person__name__icontains",
            "dc.subject": "subjects__name__icontains",
        }.get(index)
        if field:
            narrowed = Record.objects.all()
            for stem in stems:
                narrowed = narrowed.filter(**{field: stem})
            q &= Q(pk__in=narrowed.values("pk"))
        return q
    if index == "dc.date":
        if relation not in ORDER_RELATIONS:
            raise Diagnostic(19, _("Відношення не підтримується."), relation)
        if not term.isascii() or not term.isdigit() or len(term) > 4:
            raise Diagnostic(36, _("Рік має бути числом."), term[:40])
        return Q(**{f"year__{ORDER_RELATIONS[relation]}": int(term)})
    if relation not in ("=", "=="):
        raise Diagnostic(19, _("Відношення не підтримується."), relation)
    if index == "bath.isbn":
        try:
            isbn = normalize_isbn(term[:40])
        except ValidationError:
            return Q(pk__in=[])
        return Q(isbn=isbn) if isbn else Q(pk__in=[])
    if index == "rec.identifier":
        if not term.isascii() or not term.isdigit() or len(term) > 18:
            return Q(pk__in=[])
        return Q(pk=int(term))
    if index in ("lcbs.udc", "udc"):
        if not term.strip():
            return Q(pk__in=[])
        return Q(udc__istartswith=term.strip()[:120]) | Q(udc__icontains=f"; {term.strip()}")
    raise Diagnostic(16, _("Такого індексу немає."), str(clause.index)[:60])


def _node(node) -> Q:
    if hasattr(node, "operator"):
        op = node.operator.value.lower()
        left, right = _node(node.left), _node(node.right)
        if op == "and":
            return left & right
        if op == "or":
            return left | right
        if op == "not":
            return left & ~right
        raise Diagnostic(37, _("Булевий оператор не підтримується."), op)
    return _clause(node)


def records_for_query(query: str):
    """The records a CQL query finds, in a stable order."""
    root = _parse_cql(query)
    if not hasattr(root, "operator"):
        index = str(root.index).lower() if root.index is not None else "cql.serverchoice"
        relation = str(root.relation.comparitor) if root.relation is not None else "="
        plain = index in ("cql.serverchoice", "cql.anywhere") and relation in TEXT_RELATIONS
        if plain and root.term.strip():
            # One search of the catalogue: its own ranking.
            return search_records(query=root.term[:300]).records
    return Record.objects.filter(_node(root)).order_by("title", "pk")


# --- Responses ----------------------------------------------------------------------------


@dataclass
class Version:
    number: str
    ns: str
    diag_ns: str

    @property
    def is_2(self) -> bool:
        return self.number == "2.0"


def _version(params) -> Version:
    asked = params.get("version")
    if asked is None:
        asked = "1.2" if "operation" in params else "2.0"
    if asked == "2.0":
        return Version("2.0", NS_20, DIAG_20)
    return Version("1.2", NS_12, DIAG_12)


def _diagnostics_xml(v: Version, diagnostics: list[Diagnostic], *, prefix: str = "srw") -> str:
    items = "".join(
        f'<diag:diagnostic xmlns:diag="{v.diag_ns}">'
        f"<diag:uri>info:srw/diagnostic/1/{d.number}</diag:uri>"
        + (f"<diag:details>{ser.text(d.details)}</diag:details>" if d.details else "")
        + f"<diag:message>{ser.text(d.message)}</diag:message></diag:diagnostic>"
        for d in diagnostics
    )
    return f"<{prefix}:diagnostics>{items}</{prefix}:diagnostics>"


def _document(v: Version, element: str, body: str, *, prefix="srw", ns=None) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{prefix}:{element} xmlns:{prefix}="{ns or v.ns}">'
        f"<{prefix}:version>{v.number}</{prefix}:version>"
        f"{body}</{prefix}:{element}>\n"
    ).encode()


def _int_param(params, name: str, default: int, *, low: int, high: int | None = None) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise Diagnostic(6, _("Недопустиме значення параметра."), name)
    number = int(value)
    if number < low:
        raise Diagnostic(6, _("Недопустиме значення параметра."), name)
    return min(number, high) if high is not None else number


def _packing(v: Version, params) -> str:
    name = "recordXMLEscaping" if v.is_2 else "recordPacking"
    packing = params.get(name, "xml")
    if packing not in ("xml", "string"):
        raise Diagnostic(71, _("Такого пакування записів немає."), packing[:20])
    return packing


def _record_xml(v: Version, schema: Schema, packing: str, record, position: int) -> str:
    data = schema.render(record).decode()
    if packing == "string":
        data = ser.text(data)
    packing_tag = "recordXMLEscaping" if v.is_2 else "recordPacking"
    return (
        f"<srw:record><srw:recordSchema>{schema.identifier}</srw:recordSchema>"
        f"<srw:{packing_tag}>{packing}</srw:{packing_tag}>"
        f"<srw:recordData>{data}</srw:recordData>"
        f"<srw:recordPosition>{position}</srw:recordPosition></srw:record>"
    )


def search_retrieve(v: Version, params) -> bytes:
    try:
        query = params.get("query")
        if query is None:
            raise Diagnostic(7, _("Бракує обовʼязкового параметра."), "query")
        start = _int_param(params, "startRecord", 1, low=1)
        maximum = _int_param(params, "maximumRecords", DEFAULT_RECORDS, low=0, high=MAX_RECORDS)
        schema_key = params.get("recordSchema", "marcxml")
        schema = SCHEMA_BY_KEY.get(schema_key)
        if schema is None:
            raise Diagnostic(66, _("Такої схеми записів немає."), schema_key[:80])
        packing = _packing(v, params)
        records = records_for_query(query)
        total = records.count()
        if total and start > total:
            raise Diagnostic(61, _("Початкова позиція за межами результатів."), str(start))
        page = list(ser.records_for_export(records[start - 1 : start - 1 + maximum]))
    except Diagnostic as diagnostic:
        return _document(
            v,
            "searchRetrieveResponse",
            "<srw:numberOfRecords>0</srw:numberOfRecords>" + _diagnostics_xml(v, [diagnostic]),
        )
    body = f"<srw:numberOfRecords>{total}</srw:numberOfRecords>"
    if page:
        body += "<srw:records>"
        body += "".join(
            _record_xml(v, schema, packing, record, start + i) for i, record in enumerate(page)
        )
        body += "</srw:records>"
    following = start + len(page)
    if page and following <= total:
        body += f"<srw:nextRecordPosition>{following}</srw:nextRecordPosition>"
    return _document(v, "searchRetrieveResponse", body)


def scan(v: Version, params) -> bytes:
    p, ns = ("scan", SCAN_20) if v.is_2 else ("srw", v.ns)
    try:
        clause = params.get("scanClause")
        if clause is None:
            raise Diagnostic(7, _("Бракує обовʼязкового параметра."), "scanClause")
        maximum = _int_param(params, "maximumTerms", 20, low=1, high=MAX_TERMS)
        root = _parse_cql(clause)
        if hasattr(root, "operator"):
            raise Diagnostic(10, _("Синтаксична помилка в запиті CQL."), clause[:100])
        index = str(root.index).lower() if root.index is not None else "dc.title"
        start = root.term.strip()[:120]
        if index in ("dc.title", "cql.serverchoice"):
            rows = (
                Record.objects.filter(title__gte=start)
                .values_list("title")
                .annotate(n=Count("pk"))
                .order_by("title")
            )
        elif index == "dc.creator":
            rows = (
                Person.objects.filter(name__gte=start)
                .annotate(n=Count("contributions__record", distinct=True))
                .filter(n__gt=0)
                .order_by("name")
                .values_list("name", "n")
            )
        elif index == "dc.subject":
            rows = (
                Subject.objects.filter(name__gte=start)
                .annotate(n=Count("records", distinct=True))
                .filter(n__gt=0)
                .order_by("name")
                .values_list("name", "n")
            )
        else:
            raise Diagnostic(16, _("Цей індекс не переглядають."), index[:60])
        terms = list(rows[:maximum])
    except Diagnostic as diagnostic:
        diagnostics = _diagnostics_xml(v, [diagnostic], prefix=p)
        return _document(v, "scanResponse", diagnostics, prefix=p, ns=ns)
    body = "".join(
        f"<{p}:term><{p}:value>{ser.text(value)}</{p}:value>"
        f"<{p}:numberOfRecords>{n}</{p}:numberOfRecords></{p}:term>"
        for value, n in terms
    )
    terms_xml = f"<{p}:terms>{body}</{p}:terms>" if terms else ""
    return _document(v, "scanResponse", terms_xml, prefix=p, ns=ns)


def explain(v: Version, base_url: str) -> bytes:
    url = urlsplit(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    sets = "".join(
        f'<set name="{name}" identifier="{identifier}"/>'
        for name, identifier in CONTEXT_SETS.items()
    )
    indexes = "".join(
        f"<index><title>{ser.text(title)}</title>"
        f'<map><name set="{cset}">{name}</name></map></index>'
        for cset, name, title in INDEXES
    )
    schemas = "".join(
        f'<schema identifier="{s.identifier}" name="{s.name}"><title>{ser.text(s.title)}</title>'
        "</schema>"
        for s in SCHEMAS
    )
    record = (
        f'<explain xmlns="{EXPLAIN_NS}">'
        f'<serverInfo protocol="SRU" version="{v.number}"><host>{ser.text(url.hostname)}</host>'
        f"<port>{port}</port><database>{ser.text(url.path.lstrip('/'))}</database></serverInfo>"
        f"<databaseInfo><title>{ser.text(_('Електронний каталог ЦБС м. Луцька'))}</title>"
        "</databaseInfo>"
        f"<indexInfo>{sets}{indexes}</indexInfo><schemaInfo>{schemas}</schemaInfo>"
        f'<configInfo><default type="numberOfRecords">{DEFAULT_RECORDS}</default>'
        f'<setting type="maximumRecords">{MAX_RECORDS}</setting></configInfo></explain>'
    )
    packing_tag = "recordXMLEscaping" if v.is_2 else "recordPacking"
    body = (
        f"<srw:record><srw:recordSchema>{EXPLAIN_NS}</srw:recordSchema>"
        f"<srw:{packing_tag}>xml</srw:{packing_tag}>"
        f"<srw:recordData>{record}</srw:recordData></srw:record>"
    )
    return _document(v, "explainResponse", body)


def sru_response(request) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    params = {}
    for name in data:
        value = data.getlist(name)[-1]
        params[name] = value.replace("\x00", "")
    v = _version(params)
    operation = params.get("operation") or ("searchRetrieve" if "query" in params else None)
    if operation is None and "scanClause" in params:
        operation = "scan"
    if operation == "searchRetrieve":
        content = search_retrieve(v, params)
    elif operation == "scan":
        content = scan(v, params)
    elif operation in (None, "explain"):
        content = explain(v, request.build_absolute_uri(request.path))
    else:
        diagnostic = Diagnostic(4, _("Операція не підтримується."), operation[:40])
        # explainResponse must carry a record; a search answer may be diagnostics alone.
        content = _document(
            v,
            "searchRetrieveResponse",
            "<srw:numberOfRecords>0</srw:numberOfRecords>" + _diagnostics_xml(v, [diagnostic]),
        )
    return HttpResponse(content, content_type="text/xml; charset=utf-8")
