"""Catalogue records → MARC (UNIMARC or MARC21) and their serialisation as ISO 2709 or MARCXML.

`record_to_marc(record, items, fmt)` writes the fields `catalog.marc.mapping` reads, so that an
export read back gives the same records; see that module's docstring for the fields.
"""

from __future__ import annotations

import re

import pymarc
from pymarc import Field, Indicators, Subfield

from catalog.marc.mapping import (
    _CONTROL_RE,
    _TYPE_TO_MARC21,
    _TYPE_TO_UNIMARC,
    MARC21,
    ROLE_TO_MARC21,
    ROLE_TO_UNIMARC,
    UNIMARC,
    MaterialType,
    Role,
    Status,
    clean,
)
from catalog.models import Item, Record


def _person_parts(name: str) -> tuple[str, str, str]:
    """«Шевченко, Тарас Григорович» → ("Шевченко", "Т. Г.", "Тарас Григорович")."""
    if "," not in name:
        return name.strip(), "", ""
    surname, forenames = (part.strip() for part in name.split(",", 1))
    initials = " ".join(
        f"{word[0]}." for word in re.split(r"[\s\-]+", forenames) if word and word[0].isalpha()
    )
    return surname, initials, forenames


def _sub(code: str, value, *, coded: bool = False) -> list[Subfield]:
    """One subfield, or none for an empty value; `coded` data keeps its spaces (100$a)."""
    if value in (None, ""):
        return []
    value = _CONTROL_RE.sub("", str(value)) if coded else clean(str(value))
    return [Subfield(code, value)] if value else []


def _datafield(tag: str, ind: str, subfields: list[Subfield]) -> Field | None:
    if not subfields:
        return None
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _paragraphs(text: str) -> list[str]:
    # ISO 2709 fields hold at most 9,999 bytes; an annotation goes one paragraph per field.
    paragraphs = [p for p in (clean(p) for p in re.split(r"\n\s*\n", text or "")) if p]
    return [
        p if len(p.encode()) < 9000 else p.encode()[:9000].decode(errors="ignore")
        for p in paragraphs
    ]


def _item_subfields(item: Item, *, shelf_code: str) -> list[Subfield]:
    subfields = [
        *_sub("a", item.branch.slug),
        *_sub(shelf_code, item.shelf_mark),
        *_sub("p", item.inventory_number),
    ]
    if item.barcode:
        subfields += _sub("x", f"Barcode:{item.barcode}")
    subfields += _sub("x", f"Status:{item.status}")
    if item.price:
        subfields += _sub("x", f"Price:{item.price}")
    return subfields


def _fixed_100(record: Record, encoding: str) -> str:
    entered = (record.created_at or record.updated_at).strftime("%Y%m%d")
    year = f"{record.year:04d}" if record.year else "    "
    charset = "50  " if encoding == "utf-8" else "89  "
    script = "ca" if re.search("[а-яіїєґА-ЯІЇЄҐ]", record.title) else "ba"
    value = f"{entered}d{year}    u  y0ukry{charset}    {script}"
    value = value.ljust(36)[:36]  # 100$a is fixed-length
    return value


def _pages(record: Record) -> str:
    return f"С. {record.host_pages}" if record.host_pages else ""


def _unimarc_463(record: Record) -> Field | None:
    """An analytical record's host: the pages in the link's own $v, then the host embedded
    (001 control number, 200 title with the issue in $v, 210 year). `record.host` should be
    selected with the record."""
    host = record.host if record.host_id else None
    if host is None:
        return None
    subfields = _sub("v", _pages(record))
    if host.source_id:
        subfields += _sub("1", f"001{host.source_id}")
    subfields += [Subfield("1", "2001 "), *_sub("a", host.title), *_sub("v", record.host_part)]
    if host.year:
        subfields += [Subfield("1", "210  "), *_sub("d", host.year)]
    return _datafield("463", " 1", subfields)


def _marc21_773(record: Record) -> Field | None:
    """An analytical record's host: $t title, $d year, $g issue and $g pages, $w control
    number."""
    host = record.host if record.host_id else None
    if host is None:
        return None
    return _datafield(
        "773",
        "0 ",
        _sub("t", host.title)
        + _sub("d", host.year)
        + _sub("g", record.host_part)
        + _sub("g", _pages(record))
        + _sub("w", host.source_id),
    )


def record_to_marc(
    record: Record, items: list[Item], fmt: str, *, encoding: str = "utf-8"
) -> pymarc.Record:
    """One catalogue record with the given copies as a pymarc record in UNIMARC or MARC21.

    `record` should come with `contributions__person` and `subjects` prefetched.
    """
    contributions = sorted(
        record.contributions.all(), key=lambda c: (c.role != Role.AUTHOR, c.position, c.pk or 0)
    )
    subjects = [s.name for s in record.subjects.all()]
    items = [item for item in items if item.status != Status.WITHDRAWN]
    marc = pymarc.Record(force_utf8=True)
    fields: list[Field | None] = []
    if fmt == UNIMARC:
        kind = _TYPE_TO_UNIMARC.get(record.material_type, "a")
        level = "s" if record.material_type == MaterialType.PERIODICAL else "m"
        marc.leader = pymarc.Leader(f"00000n{kind}{level}  2200000 i 450 ")
        if record.source_id:
            fields.append(Field(tag="001", data=record.source_id))
        if record.isbn:
            fields.append(_datafield("010", "  ", _sub("a", record.isbn_display)))
        fields.append(_datafield("100", "  ", _sub("a", _fixed_100(record, encoding), coded=True)))
        fields.append(_datafield("101", "0 ", _sub("a", record.language)))
        fields.append(
            _datafield(
                "200",
                "1 ",
                _sub("a", record.title)
                + _sub("e", record.subtitle)
                + _sub("f", record.responsibility),
            )
        )
        fields.append(_datafield("205", "  ", _sub("a", record.edition)))
        fields.append(
            _datafield(
                "210",
                "  ",
                _sub("a", record.place) + _sub("c", record.publisher) + _sub("d", record.year),
            )
        )
        fields.append(_datafield("225", "2 ", _sub("a", record.series)))
        fields += [_datafield("330", "  ", _sub("a", p)) for p in _paragraphs(record.annotation)]
        fields.append(_datafield("333", "  ", _sub("a", record.age_rating)))
        fields.append(_unimarc_463(record))
        fields += [_datafield("606", "  ", _sub("a", name)) for name in subjects]
        fields += [_datafield("675", "  ", _sub("a", udc)) for udc in _split(record.udc)]
        fields += [
            _datafield("686", "  ", _sub("a", bbk) + _sub("2", "rubbk"))
            for bbk in _split(record.bbk)
        ]
        first_author_done = False
        for contribution in contributions:
            surname, initials, forenames = _person_parts(contribution.person.name)
            if contribution.role == Role.AUTHOR:
                tag = "701" if first_author_done else "700"
                first_author_done = True
            else:
                tag = "702"
            fields.append(
                _datafield(
                    tag,
                    " 1" if forenames else " 0",
                    _sub("a", surname)
                    + _sub("b", initials)
                    + _sub("g", forenames)
                    + _sub("f", contribution.person.dates)
                    + _sub("4", ROLE_TO_UNIMARC[contribution.role]),
                )
            )
        fields += [_datafield("899", "  ", _item_subfields(item, shelf_code="j")) for item in items]
    else:
        kind = _TYPE_TO_MARC21.get(record.material_type, "a")
        level = "s" if record.material_type == MaterialType.PERIODICAL else "m"
        marc.leader = pymarc.Leader(f"00000n{kind}{level} a2200000 c 4500")
        if record.source_id:
            fields.append(Field(tag="001", data=record.source_id))
        entered = (record.created_at or record.updated_at).strftime("%y%m%d")
        year = f"{record.year:04d}" if record.year else "    "
        fields.append(
            Field(tag="008", data=f"{entered}s{year}    xx {' ' * 17}{record.language[:3]:3} d")
        )
        if record.isbn:
            fields.append(_datafield("020", "  ", _sub("a", record.isbn_display)))
        fields.append(_datafield("041", "0 ", _sub("a", record.language)))
        fields += [_datafield("080", "  ", _sub("a", udc)) for udc in _split(record.udc)]
        fields += [
            _datafield("084", "  ", _sub("a", bbk) + _sub("2", "rubbk"))
            for bbk in _split(record.bbk)
        ]
        people = []
        for index, contribution in enumerate(contributions):
            tag = "100" if index == 0 and contribution.role == Role.AUTHOR else "700"
            people.append(
                _datafield(
                    tag,
                    "1 " if "," in contribution.person.name else "0 ",
                    _sub("a", contribution.person.name)
                    + _sub("d", contribution.person.dates)
                    + _sub("4", ROLE_TO_MARC21[contribution.role]),
                )
            )
        fields += [f for f in people if f is not None and f.tag == "100"]
        fields.append(
            _datafield(
                "245",
                "10" if any(f and f.tag == "100" for f in people) else "00",
                _sub("a", record.title)
                + _sub("b", record.subtitle)
                + _sub("c", record.responsibility),
            )
        )
        fields.append(_datafield("250", "  ", _sub("a", record.edition)))
        fields.append(
            _datafield(
                "264",
                " 1",
                _sub("a", record.place) + _sub("b", record.publisher) + _sub("c", record.year),
            )
        )
        fields.append(_datafield("490", "0 ", _sub("a", record.series)))
        fields += [_datafield("520", "  ", _sub("a", p)) for p in _paragraphs(record.annotation)]
        fields.append(_datafield("521", "  ", _sub("a", record.age_rating)))
        fields += [_datafield("653", "  ", _sub("a", name)) for name in subjects]
        fields += [f for f in people if f is not None and f.tag == "700"]
        fields.append(_marc21_773(record))
        fields += [_datafield("852", "  ", _item_subfields(item, shelf_code="j")) for item in items]
    for f in fields:
        if f is not None:
            marc.add_field(f)
    return marc


# --- serialisation -------------------------------------------------------------------------------

FIELD_TERMINATOR = b"\x1e"
RECORD_TERMINATOR = b"\x1d"
SUBFIELD_DELIMITER = b"\x1f"


# The Ukrainian apostrophe ʼ (U+02BC) is not in CP1251; its ’ (0x92) stands in.
_CP1251_FOLD = str.maketrans({"ʼ": "’"})


def _encode(value: str, encoding: str, lost: set[str] | None = None) -> bytes:
    value = _CONTROL_RE.sub("", value)
    if encoding != "utf-8":
        value = value.translate(_CP1251_FOLD)
    try:
        return value.encode(encoding)
    except UnicodeEncodeError:
        if lost is not None:
            lost.update(char for char in value if not _encodable(char, encoding))
        return value.encode(encoding, errors="replace")


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def iso2709_bytes(
    marc: pymarc.Record, fmt: str, *, encoding: str = "utf-8", lost: set[str] | None = None
) -> bytes:
    """ISO 2709 in the given character set. UNIMARC keeps leader/09 blank (its character set is
    in 100$a/26-29, which `record_to_marc` fills); MARC21 sets «a» for UTF-8.

    A character the character set lacks is written as «?» and added to `lost`, so that the
    caller can say which records lost what."""
    body = []
    directory = []
    offset = 0
    for f in marc.fields:
        if f.is_control_field():
            data = _encode(f.data, encoding, lost) + FIELD_TERMINATOR
        else:
            data = (
                (f.indicator1 + f.indicator2).encode("ascii")
                + b"".join(
                    SUBFIELD_DELIMITER + s.code.encode("ascii") + _encode(s.value, encoding, lost)
                    for s in f.subfields
                )
                + FIELD_TERMINATOR
            )
        directory.append(f"{f.tag}{len(data):04d}{offset:05d}".encode("ascii"))
        body.append(data)
        offset += len(data)
    base = 24 + 12 * len(directory) + 1
    length = base + offset + 1
    if length > 99_999 or any(len(data) > 9_999 for data in body):
        raise ValueError("record too long for ISO 2709 (99,999 bytes, 9,999 per field)")
    leader = str(marc.leader)
    coding = ("a" if encoding == "utf-8" else " ") if fmt == MARC21 else " "
    leader = f"{length:05d}{leader[5:9]}{coding}22{base:05d}{leader[17:24]}"
    return (
        leader.encode("ascii")
        + b"".join(directory)
        + FIELD_TERMINATOR
        + b"".join(body)
        + RECORD_TERMINATOR
    )


MARCXML_NAMESPACE = "http://www.loc.gov/MARC21/slim"


def marcxml_bytes(marc: pymarc.Record) -> bytes:
    """One <record> element (no namespace prefix: the collection element declares it)."""
    return pymarc.record_to_xml(marc)
