"""OAI-PMH 2.0 at /oai: harvesters (union catalogues, aggregators) copy the whole catalogue and
then keep it current with `from`.

- Verbs: all six. Formats: `oai_dc`, `marcxml` (MARC 21 slim), `unimarc` (MarcXchange 2.0).
- Identifiers `oai:<repository id>:<record id>`; sets in `catalog.protocols.sets`.
- Datestamp = the record's `updated_at`, which every change of its copies moves too (database
  triggers, migration 0015); second granularity.
- Deleted records are `DeletedRecord` tombstones, listed with status="deleted" for good
  (deletedRecord=persistent).
- Lists go in (datestamp, id) order; a resumption token is a signed note of the request's
  arguments and the last (datestamp, id) sent, never an offset, so the catalogue may change
  between pages. The first page also fixes the upper end of the harvest at the moment it was
  asked: a record changed later is not sent again in the same harvest, and the harvester's next
  incremental harvest (`from` = this harvest's first responseDate) brings it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import BooleanField, Min
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import DeletedRecord, Item, Record
from catalog.protocols import records as ser
from catalog.protocols import sets

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_XSD = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Records per page of ListRecords / ListIdentifiers (settings.OAI_PAGE_SIZE where tuned).
PAGE_SIZE = 200
TOKEN_SALT = "catalog.oai.resumption"


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    render: object


FORMATS = {
    "oai_dc": Format("oai_dc", ser.OAI_DC_XSD, ser.OAI_DC_NS, ser.oai_dc),
    "marcxml": Format("marcxml", ser.MARCXML_XSD, ser.MARCXML_NS, ser.marcxml),
    "unimarc": Format("unimarc", ser.MARCXCHANGE_XSD, ser.MARCXCHANGE_NS, ser.marcxchange),
}

# Per verb: required arguments, optional ones; `resumptionToken` is exclusive where allowed.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def page_size() -> int:
    return int(getattr(settings, "OAI_PAGE_SIZE", PAGE_SIZE))


def repository_id() -> str:
    return getattr(settings, "OAI_REPOSITORY_ID", "") or (
        urlsplit(settings.SITE_URL).hostname or "localhost"
    )


def identifier_for(pk: int) -> str:
    return f"oai:{repository_id()}:{pk}"


def pk_from_identifier(identifier: str) -> int | None:
    prefix = f"oai:{repository_id()}:"
    if not identifier.startswith(prefix):
        return None
    rest = identifier[len(prefix) :]
    if not rest.isascii() or not rest.isdigit() or len(rest) > 18:
        return None
    return int(rest)


def datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(value: str, *, until: bool) -> tuple[datetime, str]:
    """A `from`/`until` argument → (bound, granularity). `until` bounds are exclusive: the end
    of the given second or day."""
    if _SECOND.match(value):
        fmt, step, granularity = "%Y-%m-%dT%H:%M:%SZ", timedelta(seconds=1), "second"
    elif _DAY.match(value):
        fmt, step, granularity = "%Y-%m-%d", timedelta(days=1), "day"
    else:
        raise OaiError(
            "badArgument",
            _("Дата «%(value)s» не у форматі YYYY-MM-DD або YYYY-MM-DDThh:mm:ssZ.")
            % {"value": value[:40]},
        )
    try:
        moment = datetime.strptime(value, fmt).replace(tzinfo=UTC)
        if until:
            moment += step
    except (ValueError, OverflowError) as exc:
        raise OaiError(
            "badArgument", _("Дати «%(value)s» немає в календарі.") % {"value": value[:40]}
        ) from exc
    return moment, granularity


# --- Listing ------------------------------------------------------------------------------


@dataclass
class Listing:
    """What a list request asks for, carried from page to page in the resumption token."""

    prefix: str
    spec: str | None
    lower: datetime | None
    upper: datetime  # exclusive
    after: tuple[datetime, int] | None = None
    cursor: int = 0
    total: int | None = None

    def token(self) -> str:
        return signing.dumps(
            {
                "m": self.prefix,
                "s": self.spec,
                "f": self.lower.isoformat() if self.lower else None,
                "u": self.upper.isoformat(),
                "a": [self.after[0].isoformat(), self.after[1]] if self.after else None,
                "c": self.cursor,
                "n": self.total,
            },
            salt=TOKEN_SALT,
            compress=True,
        )

    @classmethod
    def from_token(cls, token: str) -> Listing:
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
            after = data["a"]
            listing = cls(
                prefix=data["m"],
                spec=data["s"],
                lower=datetime.fromisoformat(data["f"]) if data["f"] else None,
                upper=datetime.fromisoformat(data["u"]),
                after=(datetime.fromisoformat(after[0]), int(after[1])) if after else None,
                cursor=int(data["c"]),
                total=data["n"],
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError) as exc:
            raise OaiError(
                "badResumptionToken", _("Маркер продовження недійсний або пошкоджений.")
            ) from exc
        if listing.prefix not in FORMATS:
            raise OaiError("badResumptionToken", _("Маркер продовження недійсний."))
        return listing

    def _records(self):
        records = Record.objects.filter(updated_at__lt=self.upper)
        if self.lower:
            records = records.filter(updated_at__gte=self.lower)
        if self.spec:
            records = records.filter(sets.record_set_filter(self.spec))
        if self.after:
            records = records.filter(
                RawSQL(
                    f"({Record._meta.db_table}.updated_at, {Record._meta.db_table}.id) > (%s, %s)",
                    list(self.after),
                    output_field=BooleanField(),
                )
            )
        return records

    def _tombstones(self):
        dead = DeletedRecord.objects.filter(deleted_at__lt=self.upper)
        if self.lower:
            dead = dead.filter(deleted_at__gte=self.lower)
        if self.spec:
            dead = dead.filter(sets__contains=[self.spec])
        if self.after:
            table = DeletedRecord._meta.db_table
            dead = dead.filter(
                RawSQL(
                    f"({table}.deleted_at, {table}.record_id) > (%s, %s)",
                    list(self.after),
                    output_field=BooleanField(),
                )
            )
        return dead

    def count(self) -> int:
        return self._records().count() + self._tombstones().count()

    def page(self, size: int) -> tuple[list[tuple[datetime, int, bool]], bool]:
        """The next `size` entries as (datestamp, id, deleted), and whether more follow."""
        live = self._records().order_by("updated_at", "pk").values_list("updated_at", "pk")
        dead = (
            self._tombstones()
            .order_by("deleted_at", "record_id")
            .values_list("deleted_at", "record_id")
        )
        entries = sorted(
            [(stamp, pk, False) for stamp, pk in live[: size + 1]]
            + [(stamp, pk, True) for stamp, pk in dead[: size + 1]]
        )
        return entries[:size], len(entries) > size


# --- Responses ----------------------------------------------------------------------------


def _envelope(request_xml: str, body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_NS} {OAI_XSD}">'
        f"<responseDate>{datestamp(timezone.now())}</responseDate>"
        f"{request_xml}{body}</OAI-PMH>\n"
    ).encode()


def _request_xml(base_url: str, args: dict[str, str] | None) -> str:
    attrs = "".join(f" {name}={ser.attr(value)}" for name, value in sorted((args or {}).items()))
    return f"<request{attrs}>{ser.text(base_url)}</request>"


def _errors_xml(errors: list[OaiError]) -> str:
    return "".join(f"<error code={ser.attr(e.code)}>{ser.text(e.message)}</error>" for e in errors)


def _header(pk: int, stamp: datetime, specs: list[str], *, deleted: bool) -> str:
    status = ' status="deleted"' if deleted else ""
    spec_xml = "".join(f"<setSpec>{ser.text(spec)}</setSpec>" for spec in specs)
    return (
        f"<header{status}><identifier>{ser.text(identifier_for(pk))}</identifier>"
        f"<datestamp>{datestamp(stamp)}</datestamp>{spec_xml}</header>"
    )


def _branch_slugs(pks: list[int]) -> dict[int, list[str]]:
    slugs: dict[int, list[str]] = {pk: [] for pk in pks}
    held = (
        Item.objects.filter(record_id__in=pks)
        .exclude(status=Item.Status.WITHDRAWN)
        .values_list("record_id", "branch__slug")
        .distinct()
    )
    for pk, slug in held:
        slugs[pk].append(slug)
    return slugs


def _entries_xml(entries, fmt: Format, *, with_metadata: bool) -> str:
    live_pks = [pk for _stamp, pk, deleted in entries if not deleted]
    dead_pks = [pk for _stamp, pk, deleted in entries if deleted]
    tomb_sets = dict(
        DeletedRecord.objects.filter(record_id__in=dead_pks).values_list("record_id", "sets")
    )
    if with_metadata:
        live = {r.pk: r for r in ser.records_for_export(Record.objects.filter(pk__in=live_pks))}
        slugs = {pk: [c.branch.slug for c in r.copies] for pk, r in live.items()}
    else:
        live = {
            r.pk: r
            for r in Record.objects.filter(pk__in=live_pks).only(
                "pk", "is_local_lore", "material_type"
            )
        }
        slugs = _branch_slugs(live_pks)
    parts = []
    for stamp, pk, deleted in entries:
        if deleted:
            header = _header(pk, stamp, tomb_sets.get(pk, []), deleted=True)
            parts.append(f"<record>{header}</record>" if with_metadata else header)
            continue
        record = live.get(pk)
        if record is None:  # deleted between the two queries: its tombstone comes later
            continue
        header = _header(pk, stamp, sets.record_set_specs(record, slugs[pk]), deleted=False)
        if with_metadata:
            metadata = fmt.render(record).decode()
            parts.append(f"<record>{header}<metadata>{metadata}</metadata></record>")
        else:
            parts.append(header)
    return "".join(parts)


def verb_identify(base_url: str) -> str:
    earliest = [
        Record.objects.aggregate(m=Min("updated_at"))["m"],
        DeletedRecord.objects.aggregate(m=Min("deleted_at"))["m"],
    ]
    earliest = min([m for m in earliest if m], default=timezone.now())
    email = getattr(settings, "OAI_ADMIN_EMAIL", "") or f"library@{repository_id()}"
    if not re.fullmatch(r"\S+@(\S+\.)+\S+", email):
        email = "library@lutsk-cbs.org.ua"
    return (
        "<Identify>"
        f"<repositoryName>{ser.text(_('Електронний каталог ЦБС м. Луцька'))}</repositoryName>"
        f"<baseURL>{ser.text(base_url)}</baseURL>"
        "<protocolVersion>2.0</protocolVersion>"
        f"<adminEmail>{ser.text(email)}</adminEmail>"
        f"<earliestDatestamp>{datestamp(earliest)}</earliestDatestamp>"
        "<deletedRecord>persistent</deletedRecord>"
        "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
        "</Identify>"
    )


def verb_list_metadata_formats(args) -> str:
    if "identifier" in args:
        _record_or_tombstone(args["identifier"])
    formats = "".join(
        f"<metadataFormat><metadataPrefix>{f.prefix}</metadataPrefix>"
        f"<schema>{f.schema}</schema><metadataNamespace>{f.namespace}</metadataNamespace>"
        "</metadataFormat>"
        for f in FORMATS.values()
    )
    return f"<ListMetadataFormats>{formats}</ListMetadataFormats>"


def verb_list_sets(args) -> str:
    if "resumptionToken" in args:
        # Every set comes in one answer; there is never a token to resume.
        raise OaiError("badResumptionToken", _("Маркер продовження недійсний."))
    body = "".join(
        f"<set><setSpec>{ser.text(s.spec)}</setSpec><setName>{ser.text(s.name)}</setName></set>"
        for s in sets.all_sets()
    )
    return f"<ListSets>{body}</ListSets>"


def _format(prefix: str) -> Format:
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            _("Формат «%(prefix)s» не підтримується; є oai_dc, marcxml, unimarc.")
            % {"prefix": prefix[:40]},
        )
    return FORMATS[prefix]


def _record_or_tombstone(identifier: str):
    pk = pk_from_identifier(identifier)
    if pk is not None:
        record = Record.objects.filter(pk=pk).first()
        if record is not None:
            return record
        tombstone = DeletedRecord.objects.filter(record_id=pk).first()
        if tombstone is not None:
            return tombstone
    raise OaiError(
        "idDoesNotExist",
        _("Запису з ідентифікатором «%(identifier)s» немає.") % {"identifier": identifier[:100]},
    )


def verb_get_record(args) -> str:
    fmt = _format(args["metadataPrefix"])
    found = _record_or_tombstone(args["identifier"])
    if isinstance(found, DeletedRecord):
        entries = [(found.deleted_at, found.record_id, True)]
    else:
        entries = [(found.updated_at, found.pk, False)]
    return f"<GetRecord>{_entries_xml(entries, fmt, with_metadata=True)}</GetRecord>"


def _listing(args) -> Listing:
    if "resumptionToken" in args:
        return Listing.from_token(args["resumptionToken"])
    _format(args["metadataPrefix"])
    lower = upper = None
    granularities = set()
    if "from" in args:
        lower, granularity = parse_datestamp(args["from"], until=False)
        granularities.add(granularity)
    if "until" in args:
        upper, granularity = parse_datestamp(args["until"], until=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiError("badArgument", _("Аргументи from і until мають різну точність."))
    if lower and upper and lower >= upper:
        raise OaiError("badArgument", _("Дата from пізніша за until."))
    spec = args.get("set")
    if spec is not None and not sets.set_exists(spec):
        raise OaiError("badArgument", _("Набору «%(set)s» немає.") % {"set": spec[:80]})
    # The harvest ends where it starts: see the module docstring.
    now = timezone.now()
    upper = min(upper, now) if upper else now
    listing = Listing(prefix=args["metadataPrefix"], spec=spec, lower=lower, upper=upper)
    listing.total = listing.count()
    return listing


def verb_list(args, *, with_metadata: bool) -> str:
    listing = _listing(args)
    fmt = FORMATS[listing.prefix]
    entries, more = listing.page(page_size())
    if not entries:
        # Also when the rest of a list changed or went away since the last page.
        raise OaiError("noRecordsMatch", _("За цими умовами записів немає."))
    body = _entries_xml(entries, fmt, with_metadata=with_metadata)
    size = f' completeListSize="{listing.total}"' if listing.total is not None else ""
    token_xml = ""
    if more:
        following = Listing(
            **{
                **listing.__dict__,
                "after": (entries[-1][0], entries[-1][1]),
                "cursor": listing.cursor + len(entries),
            }
        )
        token_xml = (
            f'<resumptionToken{size} cursor="{listing.cursor}">{following.token()}'
            "</resumptionToken>"
        )
    elif listing.cursor:
        # The last page of a resumed list carries an empty token, as the protocol asks.
        token_xml = f'<resumptionToken{size} cursor="{listing.cursor}"/>'
    verb = "ListRecords" if with_metadata else "ListIdentifiers"
    return f"<{verb}>{body}{token_xml}</{verb}>"


def respond(params: dict[str, list[str]], base_url: str) -> bytes:
    """The whole OAI-PMH answer to a request's arguments (GET query or POST form)."""
    verbs = params.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        error = OaiError("badVerb", _("Дієслово відсутнє, повторене або невідоме."))
        return _envelope(_request_xml(base_url, None), _errors_xml([error]))
    verb = verbs[0]
    required, optional = VERBS[verb]
    errors = []
    args = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in required | optional:
            errors.append(
                OaiError("badArgument", _("Зайвий аргумент «%(name)s».") % {"name": name[:40]})
            )
        elif len(values) != 1:
            errors.append(
                OaiError("badArgument", _("Аргумент «%(name)s» повторено.") % {"name": name})
            )
        elif "\x00" in values[0] or len(values[0]) > 4000:
            errors.append(
                OaiError("badArgument", _("Недійсне значення «%(name)s».") % {"name": name})
            )
        else:
            args[name] = values[0]
    if not errors:
        if "resumptionToken" in args and len(args) > 1:
            errors.append(
                OaiError("badArgument", _("resumptionToken не поєднують з іншими аргументами."))
            )
        elif "resumptionToken" not in args:
            missing = sorted(required - args.keys())
            errors += [
                OaiError("badArgument", _("Бракує аргументу «%(name)s».") % {"name": name})
                for name in missing
            ]
    if errors:
        return _envelope(_request_xml(base_url, None), _errors_xml(errors))
    request_xml = _request_xml(base_url, {"verb": verb, **args})
    try:
        if verb == "Identify":
            body = verb_identify(base_url)
        elif verb == "ListMetadataFormats":
            body = verb_list_metadata_formats(args)
        elif verb == "ListSets":
            body = verb_list_sets(args)
        elif verb == "GetRecord":
            body = verb_get_record(args)
        else:
            body = verb_list(args, with_metadata=verb == "ListRecords")
    except OaiError as error:
        if error.code in ("badArgument", "badVerb"):
            # The protocol echoes the arguments only of a request it could read.
            request_xml = _request_xml(base_url, None)
        return _envelope(request_xml, _errors_xml([error]))
    return _envelope(request_xml, body)


def oai_response(request) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    params = {name: data.getlist(name) for name in data}
    base_url = request.build_absolute_uri(request.path)
    return HttpResponse(respond(params, base_url), content_type="text/xml; charset=utf-8")
