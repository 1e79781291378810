"""Mapping between MARC records (pymarc) and the catalogue, both ways.

UNIMARC comes first: it is what Ukrainian library systems (ІРБІС and others) export, mostly in
its Russian profile RUSMARC. MARC21 is read and written as well. The functions here only
translate; `catalog.marc.reader` and `catalog.marc.importer` stream files through them and write
the database, `catalog.marc.writer` writes records back out.

Reading (`record_data(marc, fmt)` → `RecordData`):

UNIMARC / RUSMARC
    001 → source_id; 010$a ISBN; 101$a language; 200 $a title (repeated $a joined « ; »,
    $h/$i number and name of a part), $e other title information, $d parallel title,
    $f/$g responsibility, $b «Електронний ресурс» → e-resource; 461/462 $1 embedded 200$a is the
    common title of a multi-volume set («Задачи и этюды. Вып. 13»); 205 edition; 210 (or 214)
    $a place, $c publisher, $d year; 225 series with $v number; 330 annotation; 333 age rating
    (0+ … 18+); 600/601/606/607/608/610 subjects; 675 UDC; 686 with $2 rubbk… and 689 BBK;
    700/701 (authors unless $4 says otherwise), 702 (other roles) with $a surname, $b initials,
    $g forenames, $f dates, $4 relator code; holdings 899 ($a/$b location, $j or $h+$i shelf
    mark, $p inventory number, $x «Key:value» notes such as «Цена:26.30», «Barcode:…»,
    «Status:…») and ІРБІС 910 (^a status, ^b inventory number, ^d location, ^e price,
    ^h barcode, ^r shelf mark).
MARC21
    001; 020; 041 or 008/35-37; 245 $a $n $p $b $c $h; 250; 260/264; 490/830; 520; 521;
    600/610/611/630/650/651/653/655; 080 UDC; 084 $2 rubbk BBK; 100/700 with $e or $4 (a 700
    without either is a co-author beside a 100, else «other role»: never a main entry);
    holdings 852 (as 899 above) and Koha's 952 ($a/$b branch, $o call number, $p barcode,
    $i inventory number, $g price, $0/$1/$7 status flags).

Writing (`record_to_marc(record, items, fmt)`) produces the same fields, holdings in 899 (UNIMARC)
or 852 (MARC21) with barcode, status and price as «Key:value» notes in $x, so that an export
read back gives the same records. Not carried: cover image and the local-lore flag, and
material type «local-lore document» comes back as «book». Contributors come back authors first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import pymarc
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pymarc import Field

from catalog.models import Contribution, Item, Person, Record, Subject, normalize_isbn

UNIMARC = "unimarc"
MARC21 = "marc21"
FORMATS = (UNIMARC, MARC21)

# Record fields an import sets; the round trip (export → import) keeps all of them.
RECORD_FIELDS = (
    "source_id",
    "title",
    "subtitle",
    "responsibility",
    "publisher",
    "place",
    "year",
    "edition",
    "isbn",
    "language",
    "material_type",
    "udc",
    "bbk",
    "series",
    "age_rating",
    "annotation",
    "host_part",
    "host_pages",
)
_MAX_LENGTH = {name: Record._meta.get_field(name).max_length for name in RECORD_FIELDS}
_PERSON_MAX = Person._meta.get_field("name").max_length
_DATES_MAX = Person._meta.get_field("dates").max_length
_SUBJECT_MAX = Subject._meta.get_field("name").max_length
_INVENTORY_MAX = Item._meta.get_field("inventory_number").max_length
_BARCODE_MAX = Item._meta.get_field("barcode").max_length
_SHELF_MAX = Item._meta.get_field("shelf_mark").max_length

Role = Contribution.Role
Status = Item.Status
MaterialType = Record.MaterialType

# Relator codes: UNIMARC numeric (Appendix C) and MARC21 three-letter codes.
UNIMARC_RELATORS = {
    "070": Role.AUTHOR,
    "340": Role.EDITOR,
    "651": Role.EDITOR,
    "730": Role.TRANSLATOR,
    "440": Role.ILLUSTRATOR,
    "220": Role.COMPILER,
}
MARC21_RELATORS = {
    "aut": Role.AUTHOR,
    "edt": Role.EDITOR,
    "trl": Role.TRANSLATOR,
    "ill": Role.ILLUSTRATOR,
    "com": Role.COMPILER,
}
ROLE_TO_UNIMARC = {
    Role.AUTHOR: "070",
    Role.EDITOR: "340",
    Role.TRANSLATOR: "730",
    Role.ILLUSTRATOR: "440",
    Role.COMPILER: "220",
    Role.OTHER: "570",
}
ROLE_TO_MARC21 = {
    Role.AUTHOR: "aut",
    Role.EDITOR: "edt",
    Role.TRANSLATOR: "trl",
    Role.ILLUSTRATOR: "ill",
    Role.COMPILER: "com",
    Role.OTHER: "oth",
}
# Relator terms in MARC21 $e, in English, Ukrainian and Russian abbreviations.
_RELATOR_TERMS = (
    (("aut", "автор"), Role.AUTHOR),
    (("ed", "ред"), Role.EDITOR),
    (("trans", "пер"), Role.TRANSLATOR),
    (("ill", "худож", "іл", "ил"), Role.ILLUSTRATOR),
    (("comp", "упор", "укл", "сост"), Role.COMPILER),
)

# ІРБІС exemplar status codes (field 910^a).
IRBIS_STATUS = {
    "0": Status.ON_SHELF,
    "1": Status.ON_LOAN,
    "2": Status.IN_PROCESSING,
    "3": Status.IN_PROCESSING,
    "4": Status.LOST,
    "5": Status.REFERENCE,
    "6": Status.WITHDRAWN,
    "9": Status.IN_PROCESSING,
}

# Leader/06 (type of record) → material type, and back.
_UNIMARC_TYPES = {
    "c": MaterialType.SCORE,
    "d": MaterialType.SCORE,
    "e": MaterialType.MAP,
    "f": MaterialType.MAP,
    "g": MaterialType.VIDEO,
    "i": MaterialType.AUDIO,
    "j": MaterialType.AUDIO,
    "l": MaterialType.E_RESOURCE,
}
_MARC21_TYPES = {
    "c": MaterialType.SCORE,
    "d": MaterialType.SCORE,
    "e": MaterialType.MAP,
    "f": MaterialType.MAP,
    "g": MaterialType.VIDEO,
    "i": MaterialType.AUDIO,
    "j": MaterialType.AUDIO,
    "m": MaterialType.E_RESOURCE,
}
_TYPE_TO_UNIMARC = {v: k for k, v in _UNIMARC_TYPES.items() if k in "cegil"}
_TYPE_TO_MARC21 = {v: k for k, v in _MARC21_TYPES.items() if k in "cegim"}

AGE_RATINGS = {choice.value for choice in Record.AgeRating}
_AGE_RE = re.compile(r"^\s*(0|6|12|16|18)\s*\+\s*$")
_YEAR_RE = re.compile(r"(?<!\d)(1[4-9]\d\d|20\d\d)(?!\d)")
_LANG_RE = re.compile(r"^[a-z]{3}$")
_NOTE_RE = re.compile(r"^\s*([^:=]+?)\s*[:=]\s*(.*?)\s*$")
_PRICE_KEYS = {"price", "цена", "ціна", "вартість"}
_BARCODE_KEYS = {"barcode", "штрихкод", "штрих-код", "штрих код"}
_STATUS_KEYS = {"status", "статус", "стан"}
# Non-sorting markers (NSB/NSE) and ISO 2709 separators have no place in the catalogue.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x88\x89\x98\x9c]")
_SPACES_RE = re.compile(r"[ \t\r\n]+")
_ISBN_RE = re.compile(r"[0-9][0-9Xx\- ]{8,16}[0-9Xx]")
ELECTRONIC_GMD = ("електрон", "электрон", "electronic")


class LightField:
    """A MARC field as the import reads it: what the mapping uses of pymarc's Field, cheaper
    to build (the fast ISO 2709 reader in catalog.marc.reader makes a hundred per record)."""

    __slots__ = ("tag", "indicator1", "indicator2", "subfields", "data")

    def __init__(self, tag, indicator1=" ", indicator2=" ", subfields=None, data=None):
        self.tag = tag
        self.indicator1 = indicator1
        self.indicator2 = indicator2
        self.subfields = subfields
        self.data = data

    def is_control_field(self) -> bool:
        return self.subfields is None

    def __str__(self):
        if self.subfields is None:
            return f"={self.tag}  {self.data}"
        subfields = "".join(f"${s.code}{s.value}" for s in self.subfields)
        return f"={self.tag}  {self.indicator1}{self.indicator2}{subfields}"


class LightRecord:
    """A leader and fields; `record_data` accepts it as well as a pymarc.Record."""

    __slots__ = ("leader", "fields")

    def __init__(self, leader: str, fields: list[LightField]):
        self.leader = leader
        self.fields = fields


class MappingError(ValueError):
    """The record cannot become a catalogue record; the message says why."""


@dataclass
class ContributorData:
    name: str
    role: str
    dates: str = ""


@dataclass
class ItemData:
    inventory_number: str
    barcode: str = ""
    shelf_mark: str = ""
    locations: tuple[str, ...] = ()
    status: str | None = None  # None: the file does not say
    price: Decimal | None = None
    tag: str = ""


@dataclass
class HostLink:
    """The host of an analytical record as the file names it (UNIMARC 463, MARC21 773)."""

    source_id: str = ""
    title: str = ""
    year: int | None = None


@dataclass
class RecordData:
    """What one MARC record says, in the catalogue's terms, before it touches the database."""

    source_id: str = ""
    title: str = ""
    subtitle: str = ""
    responsibility: str = ""
    publisher: str = ""
    place: str = ""
    year: int | None = None
    edition: str = ""
    isbn: str = ""
    language: str = "und"
    material_type: str = MaterialType.BOOK
    udc: str = ""
    bbk: str = ""
    series: str = ""
    age_rating: str = ""
    annotation: str = ""
    contributors: list[ContributorData] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    items: list[ItemData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # An analytical record: where it is (host_part, host_pages, in RECORD_FIELDS) and which
    # record it is in — the host's control number or, failing that, its title and year.
    host_part: str = ""
    host_pages: str = ""
    host: HostLink | None = None

    def record_values(self) -> dict:
        return {name: getattr(self, name) for name in RECORD_FIELDS}


# --- small helpers ------------------------------------------------------------------------------


def clean(value: str | None) -> str:
    if not value:
        return ""
    if value.isprintable() and "  " not in value:
        return value.strip()
    return _SPACES_RE.sub(" ", _CONTROL_RE.sub("", value)).strip()


def _values(field_: Field | None, *codes: str) -> list[str]:
    if field_ is None:
        return []
    return [v for v in (clean(s.value) for s in field_.subfields if s.code in codes) if v]


def _first(field_: Field | None, code: str) -> str:
    values = _values(field_, code)
    return values[0] if values else ""


def _fields(marc: pymarc.Record, *tags: str) -> list[Field]:
    return [f for f in marc.fields if f.tag in tags and not f.is_control_field()]


def _control(marc: pymarc.Record, tag: str, *, positional: bool = False) -> str:
    """A control field's data; `positional` keeps inner spaces (008 is read by position)."""
    for f in marc.fields:
        if f.tag == tag and f.is_control_field():
            return _CONTROL_RE.sub("", f.data) if positional else clean(f.data)
    return ""


_ISBD_END_RE = re.compile(r"\s*[/:;,=]$")
_ABBREVIATION_END_RE = re.compile(r"(\b\w{1,3}|\.\.)\.$")


def _strip_isbd(value: str) -> str:
    """MARC21 subfields carry ISBD punctuation at their ends: «Title /», «New York :»."""
    value = _ISBD_END_RE.sub("", value.strip()).strip()
    # A closing full stop goes, unless it ends an initial or an abbreviation like «Jr.».
    if value.endswith(".") and not _ABBREVIATION_END_RE.search(value):
        value = value[:-1].rstrip()
    return value


def _trailing_period_after_digit(value: str) -> str:
    return value[:-1] if re.search(r"\d\.$", value) else value


def first_year(*texts: str) -> int | None:
    for text in texts:
        match = _YEAR_RE.search(text or "")
        if match:
            year = int(match.group(1))
            if year <= date.today().year + 1:
                return year
    return None


def clean_isbn(raw: str, warnings: list[str]) -> str:
    """The first valid ISBN in the text, as ISBN-13; an invalid one is reported and dropped."""
    # Cataloguers type a Cyrillic «Х» for the check digit X (real NLR records do).
    text = raw.replace("Х", "X").replace("х", "X")
    match = _ISBN_RE.search(text)
    candidate = match.group(0) if match else text
    try:
        return normalize_isbn(candidate)
    except ValidationError:
        warnings.append(
            _("ISBN «%(isbn)s» недійсний — запис завантажено без ISBN.") % {"isbn": raw}
        )
        return ""


def _fit(data: RecordData, name: str, value: str) -> str:
    limit = _MAX_LENGTH.get(name)
    if limit and len(value) > limit:
        data.warnings.append(
            _("Поле «%(field)s» довше за %(limit)s символів — обрізано.")
            % {"field": name, "limit": limit}
        )
        return value[: limit - 1].rstrip() + "…"
    return value


def _language(value: str) -> str:
    value = clean(value).lower()[:3]
    return value if _LANG_RE.match(value) else ""


def parse_price(value: str) -> Decimal | None:
    match = re.search(r"\d+(?:[.,]\d{1,2})?", value or "")
    if not match:
        return None
    try:
        price = Decimal(match.group(0).replace(",", "."))
    except InvalidOperation:
        return None
    return price if price < Decimal("100000000") else None


def _status_from_note(value: str) -> str | None:
    value = value.strip().lower()
    if value in Status.values:
        return value
    if value in IRBIS_STATUS:
        return IRBIS_STATUS[value]
    return None


def _unique(values):
    seen = set()
    out = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


# --- embedded fields (UNIMARC 4XX links) -------------------------------------------------------


def embedded_fields(link: Field) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The fields embedded in a UNIMARC 4XX link: [(tag, indicators or data, subfields)].

    `$1` starts an embedded field: three characters of tag, then either the data of a control
    field or two indicators; the subfields after it, up to the next `$1`, are its own.
    """
    embedded: list[tuple[str, str, list[tuple[str, str]]]] = []
    for sub in link.subfields:
        if sub.code == "1":
            tag, rest = sub.value[:3], sub.value[3:]
            embedded.append((tag, rest, []))
        elif embedded:
            embedded[-1][2].append((sub.code, sub.value))
    return embedded


def _set_title(marc: pymarc.Record) -> tuple[str, str]:
    """(common title of the set, volume designation) from a 461/462 link, if there is one."""
    for link in _fields(marc, "461", "462"):
        volume = ""
        title = ""
        for tag, _rest, subfields in embedded_fields(link):
            if tag == "200" and not title:
                title = clean(next((v for c, v in subfields if c == "a"), ""))
            volume = volume or clean(next((v for c, v in subfields if c == "v"), ""))
        volume = volume or _first(link, "v")
        if not title:
            title = _first(link, "a") if not any(s.code == "1" for s in link.subfields) else ""
        if title:
            return title, volume
    return "", ""


_PAGES_PREFIX_RE = re.compile(r"^\s*(?:стор|стр|pp|с|c|s|p)(?:\.\s*|\s+(?=\d))", re.IGNORECASE)


def host_pages(value: str) -> str:
    """«С. 12-15.» → «12–15»: the pages in the host, without the «с.» that display adds."""
    value = _PAGES_PREFIX_RE.sub("", clean(value)).rstrip(". ")
    return re.sub(r"(?<=\d)\s*[-‐‑‒–—]\s*(?=\d)", "–", value)


def _looks_like_pages(value: str) -> bool:
    return bool(_PAGES_PREFIX_RE.match(value)) and any(ch.isdigit() for ch in value)


def _set_host(data: RecordData, link: HostLink, part: str, pages: str) -> None:
    if not (link.source_id or link.title):
        return
    data.host = HostLink(
        source_id=link.source_id[: _MAX_LENGTH["source_id"]],
        title=link.title[: _MAX_LENGTH["title"]],
        year=link.year,
    )
    data.host_part = _fit(data, "host_part", part)
    data.host_pages = _fit(data, "host_pages", host_pages(pages))


def _unimarc_host(marc: pymarc.Record, data: RecordData) -> None:
    """463 (piece, the analytic's host): embedded 001, 200 $a title and $v issue, 210 $d year;
    the pages in a $v of the link itself (before the embedded fields) or one reading «С. …»."""
    for f in _fields(marc, "463"):
        link = HostLink()
        part = pages = ""
        for sub in f.subfields:
            if sub.code == "1":
                break
            if sub.code == "v":
                pages = pages or sub.value
            elif sub.code in ("t", "c", "a"):
                link.title = link.title or clean(sub.value)
        for tag, rest, subfields in embedded_fields(f):
            if tag == "001":
                link.source_id = clean(rest)
                continue
            if tag == "200":
                link.title = clean(next((v for c, v in subfields if c == "a"), "")) or link.title
            elif tag in ("210", "214"):
                link.year = first_year(*(v for c, v in subfields if c == "d")) or link.year
            for code, value in subfields:
                if code == "v" and _looks_like_pages(value):
                    pages = pages or value
                elif code in ("v", "h") and tag == "200":
                    part = part or clean(value)
        _set_host(data, link, part, pages)
        if data.host:
            return


# --- UNIMARC → RecordData ------------------------------------------------------------------------


def _unimarc_title(marc: pymarc.Record, data: RecordData) -> None:
    f200 = next(iter(_fields(marc, "200")), None)
    parts: list[str] = []
    previous = ""
    subtitle: list[str] = []
    parallel: list[str] = []
    responsibility: list[str] = []
    if f200 is not None:
        for sub in f200.subfields:
            value = clean(sub.value)
            if not value:
                continue
            if sub.code == "a":
                parts.append((" ; " if parts else "") + value)
            elif sub.code == "h":
                parts.append((". " if parts else "") + value)
            elif sub.code == "i":
                parts.append((", " if previous == "h" else ". " if parts else "") + value)
            elif sub.code == "e":
                subtitle.append(value)
            elif sub.code == "d":
                parallel.append(value)
            elif sub.code in "fg":
                responsibility.append(value)
            elif sub.code == "b" and value.lower().startswith(ELECTRONIC_GMD):
                data.material_type = MaterialType.E_RESOURCE
            previous = sub.code
    title = _trailing_period_after_digit("".join(parts).strip())
    set_title, volume = _set_title(marc)
    if set_title:
        volume = _trailing_period_after_digit(volume)
        pieces = [set_title]
        if volume and not title.startswith(volume):
            pieces.append(volume)
        if title:
            pieces.append(title)
        title = pieces[0]
        for piece in pieces[1:]:
            title += (" " if title.endswith((".", "…")) else ". ") + piece
    if not title:
        raise MappingError(_("Немає назви: поле 200$a порожнє або відсутнє."))
    data.title = _fit(data, "title", title)
    sub_text = " : ".join(subtitle)
    if parallel:
        sub_text = " = ".join(filter(None, [sub_text, *parallel]))
    data.subtitle = _fit(data, "subtitle", sub_text)
    data.responsibility = _fit(data, "responsibility", " ; ".join(responsibility))


def _name_part(value: str) -> str:
    return value.strip(" ,;:")


def _unimarc_person(f: Field) -> ContributorData | None:
    surname = _name_part(_first(f, "a"))
    if not surname:
        return None
    forenames = _name_part(_first(f, "g"))
    initials = _name_part(_first(f, "b"))
    if f.indicator2 == "0":
        name = " ".join(filter(None, [surname, initials]))
    else:
        name = ", ".join(filter(None, [surname, forenames or initials]))
    role = None
    for code in _values(f, "4"):
        role = UNIMARC_RELATORS.get(code.zfill(3)[:3]) or MARC21_RELATORS.get(code.lower())
        if role:
            break
    if role is None:
        role = Role.OTHER if f.tag == "702" or _values(f, "4") else Role.AUTHOR
    return ContributorData(name=name[:_PERSON_MAX], role=role, dates=_first(f, "f")[:_DATES_MAX])


def _subject_heading(f: Field, main: str) -> str:
    subdivisions = _values(f, "j", "x", "y", "z")
    return " -- ".join(filter(None, [main, *subdivisions]))


def _unimarc_subjects(marc: pymarc.Record) -> list[str]:
    subjects: list[str] = []
    for f in marc.fields:
        if f.is_control_field():
            continue
        if f.tag == "600":
            person = _unimarc_person(f)
            if person:
                subjects.append(_subject_heading(f, person.name))
        elif f.tag in ("601", "606", "607", "608"):
            main = " ".join(_values(f, "a", "b")) if f.tag == "601" else _first(f, "a")
            if main:
                subjects.append(_subject_heading(f, main))
        elif f.tag == "610":
            subjects.extend(_values(f, "a"))
    return _unique(s[:_SUBJECT_MAX] for s in subjects)


def _notes(f: Field) -> dict[str, str]:
    notes = {}
    for value in _values(f, "x", "z"):
        match = _NOTE_RE.match(value)
        if match:
            notes.setdefault(match.group(1).strip().lower(), match.group(2))
    return notes


def _note(notes: dict[str, str], keys: set[str]) -> str:
    return next((v for k, v in notes.items() if k in keys), "")


def _location_item(f: Field, data: RecordData) -> ItemData | None:
    """UNIMARC 899 and MARC21 852: location, shelf mark, inventory number, $x notes."""
    notes = _notes(f)
    inventory = _first(f, "p")
    barcode = _note(notes, _BARCODE_KEYS)
    shelf = _first(f, "j") or " ".join(_values(f, "h", "i"))
    if not inventory:
        if shelf or _values(f, "a", "b"):
            data.warnings.append(
                _(
                    "Поле %(tag)s без інвентарного номера ($p) — примірник не створено "
                    "(місце: %(where)s)."
                )
                % {"tag": f.tag, "where": " / ".join(_values(f, "a", "b", "j")) or "—"}
            )
        return None
    status_note = _note(notes, _STATUS_KEYS)
    return ItemData(
        inventory_number=inventory,
        barcode=barcode,
        shelf_mark=shelf,
        locations=tuple(_values(f, "a", "b")),
        status=_status_from_note(status_note) if status_note else None,
        price=parse_price(_note(notes, _PRICE_KEYS)) if _note(notes, _PRICE_KEYS) else None,
        tag=f.tag,
    )


def _irbis_item(f: Field, data: RecordData) -> ItemData | None:
    """ІРБІС exemplar field 910."""
    inventory = _first(f, "b")
    barcode = _first(f, "h")
    if not inventory and not barcode:
        data.warnings.append(_("Поле 910 без інвентарного номера (^b) — примірник не створено."))
        return None
    price = _first(f, "e")
    return ItemData(
        inventory_number=inventory or barcode,
        barcode=barcode,
        shelf_mark=_first(f, "r"),
        locations=tuple(_values(f, "d")),
        status=IRBIS_STATUS.get(_first(f, "a")),
        price=parse_price(price) if price else None,
        tag=f.tag,
    )


def _koha_item(f: Field, data: RecordData) -> ItemData | None:
    """Koha's MARC21 item field 952."""
    barcode = _first(f, "p")
    inventory = _first(f, "i") or barcode
    if not inventory:
        data.warnings.append(_("Поле 952 без інвентарного номера і штрихкоду — пропущено."))
        return None
    status = Status.ON_SHELF
    if _first(f, "0") not in ("", "0"):
        status = Status.WITHDRAWN
    elif _first(f, "1") not in ("", "0"):
        status = Status.LOST
    elif _first(f, "q"):
        status = Status.ON_LOAN
    elif _first(f, "7") not in ("", "0"):
        status = Status.REFERENCE if _first(f, "7") != "-1" else Status.IN_PROCESSING
    price = _first(f, "g")
    return ItemData(
        inventory_number=inventory,
        barcode=barcode,
        shelf_mark=_first(f, "o"),
        locations=tuple(_values(f, "a", "b")),
        status=status,
        price=parse_price(price) if price else None,
        tag=f.tag,
    )


def _clip_item(item: ItemData, data: RecordData) -> ItemData | None:
    if len(item.inventory_number) > _INVENTORY_MAX:
        data.warnings.append(
            _("Інвентарний номер «%(number)s» задовгий — примірник не створено.")
            % {"number": item.inventory_number}
        )
        return None
    if len(item.barcode) > _BARCODE_MAX:
        data.warnings.append(
            _("Штрихкод «%(code)s» задовгий — примірник без штрихкоду.") % {"code": item.barcode}
        )
        item.barcode = ""
    item.shelf_mark = item.shelf_mark[:_SHELF_MAX]
    return item


def unimarc_data(marc: pymarc.Record) -> RecordData:
    data = RecordData(source_id=_control(marc, "001")[: _MAX_LENGTH["source_id"]])
    leader = str(marc.leader)
    data.material_type = _UNIMARC_TYPES.get(leader[6:7], MaterialType.BOOK)
    if leader[7:8] == "s":
        data.material_type = MaterialType.PERIODICAL
    _unimarc_title(marc, data)

    for f in _fields(marc, "010"):
        raw = _first(f, "a")
        if raw:
            data.isbn = clean_isbn(raw, data.warnings)
            if data.isbn:
                break
    f101 = next(iter(_fields(marc, "101")), None)
    data.language = _language(_first(f101, "a")) or "und"
    f205 = next(iter(_fields(marc, "205")), None)
    if f205 is not None:
        data.edition = _fit(data, "edition", ", ".join(_values(f205, "a", "b")))
    imprint = next(iter(_fields(marc, "210") or _fields(marc, "214")), None)
    if imprint is not None:
        data.place = _fit(data, "place", _first(imprint, "a"))
        data.publisher = _fit(data, "publisher", _first(imprint, "c"))
        data.year = first_year(*_values(imprint, "d"))
    if data.year is None:
        f100 = next(iter(_fields(marc, "100")), None)
        coded = _first(f100, "a")
        data.year = first_year(coded[9:13]) if len(coded) >= 13 else None
    series = []
    for f in _fields(marc, "225"):
        title = " : ".join(_values(f, "a", "e", "i"))
        number = " ; ".join(_values(f, "v"))
        series.append(" ; ".join(filter(None, [title, number])))
    data.series = _fit(data, "series", ". ".join(filter(None, series)))
    data.annotation = "\n\n".join(v for f in _fields(marc, "330") for v in _values(f, "a"))
    for f in _fields(marc, "333"):
        match = _AGE_RE.match(_first(f, "a"))
        if match:
            data.age_rating = f"{match.group(1)}+"
            break
    data.udc = _fit(
        data, "udc", "; ".join(_unique(v for f in _fields(marc, "675") for v in _values(f, "a")))
    )
    bbk = [
        v
        for f in marc.fields
        if (
            f.tag == "686"
            and not f.is_control_field()
            and _first(f, "2").lower().startswith("rubbk")
        )
        or (f.tag == "689" and not f.is_control_field())
        for v in _values(f, "a")
    ]
    data.bbk = _fit(data, "bbk", "; ".join(_unique(bbk)))
    data.subjects = _unimarc_subjects(marc)

    seen = set()
    for f in _fields(marc, "700", "701", "702"):
        person = _unimarc_person(f)
        if person and (person.name, person.role) not in seen:
            seen.add((person.name, person.role))
            data.contributors.append(person)

    _unimarc_host(marc, data)

    for f in _fields(marc, "899", "910"):
        item = _location_item(f, data) if f.tag == "899" else _irbis_item(f, data)
        item = item and _clip_item(item, data)
        if item:
            data.items.append(item)
    return data


# --- MARC21 → RecordData -------------------------------------------------------------------------


def _marc21_name(value: str) -> str:
    """«Bunce, Tim.» → «Bunce, Tim»; an initial keeps its full stop: «Brown, Martin C.»."""
    value = value.strip().rstrip(",;:").strip()
    if value.endswith(".") and not re.search(r"(^|[\s.,])\w\.$", value):
        value = value[:-1].rstrip()
    return value


def _marc21_person(f: Field, default_role: str) -> ContributorData | None:
    name = _marc21_name(_first(f, "a"))
    if not name:
        return None
    name = " ".join(filter(None, [name, _marc21_name(_first(f, "b"))]))
    role = None
    for code in _values(f, "4"):
        role = MARC21_RELATORS.get(code.lower()[:3]) or UNIMARC_RELATORS.get(code)
        if role:
            break
    if role is None and _values(f, "4"):
        role = Role.OTHER
    if role is None:
        for term in _values(f, "e"):
            term = term.lower().strip(" .,")
            role = next((r for prefixes, r in _RELATOR_TERMS if term.startswith(prefixes)), None)
            role = role or Role.OTHER
            break
    dates = _strip_isbd(_first(f, "d")).rstrip(",")
    return ContributorData(
        name=name[:_PERSON_MAX], role=role or default_role, dates=dates[:_DATES_MAX]
    )


def marc21_data(marc: pymarc.Record) -> RecordData:
    data = RecordData(source_id=_control(marc, "001")[: _MAX_LENGTH["source_id"]])
    leader = str(marc.leader)
    strip = _strip_isbd if leader[18:19] not in ("c", "n") else (lambda v: v)
    data.material_type = _MARC21_TYPES.get(leader[6:7], MaterialType.BOOK)
    if leader[7:8] == "s":
        data.material_type = MaterialType.PERIODICAL

    f245 = next(iter(_fields(marc, "245")), None)
    if f245 is None or not _first(f245, "a"):
        raise MappingError(_("Немає назви: поле 245$a порожнє або відсутнє."))
    title = " ".join(strip(v) for v in _values(f245, "a", "n", "p"))
    data.title = _fit(data, "title", strip(title))
    data.subtitle = _fit(data, "subtitle", strip(" ".join(_values(f245, "b"))))
    data.responsibility = _fit(data, "responsibility", strip(" ".join(_values(f245, "c"))))
    if any(v.lower().strip("[] ").startswith(ELECTRONIC_GMD) for v in _values(f245, "h")):
        data.material_type = MaterialType.E_RESOURCE

    for f in _fields(marc, "020"):
        raw = _first(f, "a")
        if raw:
            data.isbn = clean_isbn(raw, data.warnings)
            if data.isbn:
                break
    f041 = next(iter(_fields(marc, "041")), None)
    fixed = _control(marc, "008", positional=True)
    data.language = (
        _language(_first(f041, "a")) or (_language(fixed[35:38]) if len(fixed) >= 38 else "")
    ) or "und"
    data.edition = _fit(
        data, "edition", strip(" ".join(_values(next(iter(_fields(marc, "250")), None), "a", "b")))
    )
    imprint = next(
        iter([f for f in _fields(marc, "264") if f.indicator2 == "1"] + _fields(marc, "260")),
        None,
    )
    if imprint is not None:
        data.place = _fit(data, "place", strip(_first(imprint, "a")))
        data.publisher = _fit(data, "publisher", strip(_first(imprint, "b")))
        data.year = first_year(*_values(imprint, "c"))
    if data.year is None and len(fixed) >= 11:
        data.year = first_year(fixed[7:11])
    series = []
    for f in _fields(marc, "490", "830"):
        title = strip(" ".join(_values(f, "a", "p")))
        number = strip(" ".join(_values(f, "v")))
        series.append(" ; ".join(filter(None, [title, number])))
    data.series = _fit(data, "series", ". ".join(_unique(filter(None, series))))
    data.annotation = "\n\n".join(v for f in _fields(marc, "520") for v in _values(f, "a"))
    for f in _fields(marc, "521"):
        match = _AGE_RE.match(_first(f, "a"))
        if match:
            data.age_rating = f"{match.group(1)}+"
            break
    data.udc = _fit(
        data,
        "udc",
        "; ".join(_unique(strip(v) for f in _fields(marc, "080") for v in _values(f, "a"))),
    )
    data.bbk = _fit(
        data,
        "bbk",
        "; ".join(
            _unique(
                v
                for f in _fields(marc, "084")
                if _first(f, "2").lower().startswith("rubbk")
                for v in _values(f, "a")
            )
        ),
    )
    subjects = []
    for f in _fields(marc, "600", "610", "611", "630", "650", "651", "653", "655"):
        if f.tag == "653":
            subjects.extend(strip(v) for v in _values(f, "a"))
            continue
        main = strip(
            " ".join(_values(f, "a", "b", "c", "d", "t") if f.tag != "650" else _values(f, "a"))
        )
        if main:
            subdivisions = [strip(v) for v in _values(f, "v", "x", "y", "z")]
            subjects.append(" -- ".join([main, *subdivisions]))
    data.subjects = _unique(s[:_SUBJECT_MAX] for s in subjects if s)

    seen = set()
    # A 700 without a relator is an added entry: a co-author next to a 100, but with no 100
    # (a collection entered under its title, or under a body in 110) nothing says the person
    # wrote the work, and as an author it would come back from export as an invented 100.
    added_entry_role = Role.AUTHOR if _fields(marc, "100") else Role.OTHER
    for f in _fields(marc, "100", "700"):
        person = _marc21_person(f, Role.AUTHOR if f.tag == "100" else added_entry_role)
        if person and (person.name, person.role) not in seen:
            seen.add((person.name, person.role))
            data.contributors.append(person)

    for f in _fields(marc, "773"):
        # $w the host's control number (a «(ORG)» prefix dropped), $t title, $d its imprint
        # (the year read from it), $g parts: «с. 12–15» the pages, anything else the issue.
        control = _first(f, "w")
        control = re.sub(r"^\([^)]*\)\s*", "", control)
        link = HostLink(
            source_id=control,
            title=strip(_first(f, "t")),
            year=first_year(*_values(f, "d")),
        )
        part = pages = ""
        for value in _values(f, "g"):
            if _looks_like_pages(value) and not pages:
                pages = value
            elif not part:
                part = strip(value)
        _set_host(data, link, part, pages)
        if data.host:
            break

    for f in _fields(marc, "852", "952"):
        item = _location_item(f, data) if f.tag == "852" else _koha_item(f, data)
        item = item and _clip_item(item, data)
        if item:
            data.items.append(item)
    return data


def detect_format(marc: pymarc.Record) -> str:
    tags = {f.tag for f in marc.fields}
    if "200" in tags and "245" not in tags:
        return UNIMARC
    if "245" in tags:
        return MARC21
    return UNIMARC if str(marc.leader)[20:23] == "450" else MARC21


def record_data(marc: pymarc.Record, fmt: str) -> RecordData:
    """Map one pymarc record; raises MappingError when it cannot become a catalogue record."""
    if fmt not in FORMATS:
        fmt = detect_format(marc)
    data = unimarc_data(marc) if fmt == UNIMARC else marc21_data(marc)
    if data.isbn and len(data.isbn) > 13:
        raise MappingError(_("ISBN задовгий."))
    return data


# --- catalogue → MARC ----------------------------------------------------------------------------
