"""Reading MARC files record by record: ISO 2709 cut by leader length (resynchronised on the
record terminator when a length lies), character set chosen per record, MARCXML through expat in
64 KiB pieces. Each record comes out as `Parsed`: a pymarc record, or the reason it could not be
read, with its position in the file. `catalog.marc.importer` maps and writes them.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from xml.parsers import expat

import pymarc
from django.utils.translation import gettext as _
from pymarc import Field, Indicators, Subfield

from catalog.marc import mapping

SYNTAXES = ("iso2709", "marcxml")
ENCODINGS = ("utf-8", "cp1251", "marc8")
_ENCODING_ALIASES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
    "win1251": "cp1251",
    "marc8": "marc8",
    "marc-8": "marc8",
}
UNIMARC_CHARSETS = {b"50": "utf-8", b"89": "cp1251", b"79": "cp866", b"99": "koi8-r"}
RECORD_TERMINATOR = 0x1D
READ_BLOCK = 64 * 1024
MAX_RECORD = 99_999  # five digits of record length in the leader


def normalize_encoding(value: str | None) -> str | None:
    if not value or value == "auto":
        return None
    try:
        return _ENCODING_ALIASES[value.lower()]
    except KeyError:
        raise ValueError(f"unknown encoding {value!r}; use one of {', '.join(ENCODINGS)}") from None


@dataclass(frozen=True)
class Position:
    number: int
    offset: int | None = None
    line: int | None = None

    def __str__(self):
        where = [_("запис %(n)s") % {"n": self.number}]
        if self.offset is not None:
            where.append(_("байт %(offset)s") % {"offset": self.offset})
        if self.line is not None:
            where.append(_("рядок %(line)s") % {"line": self.line})
        return ", ".join(where)


@dataclass
class Parsed:
    """One record as read from the file: a pymarc record, or the reason it could not be read."""

    position: Position
    marc: pymarc.Record | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    size: int = 0
    control_number: str = ""


def iso2709_chunks(fh) -> Iterator[tuple[int, bytes, str | None]]:
    """(byte offset, raw record, problem) for each record in a binary stream.

    The leader's five-digit length cuts the stream; if the cut does not end on a record
    terminator, the record is read up to the next terminator instead and reported, so one lying
    length does not spoil the records after it. Whitespace between records is skipped.
    """
    buf = bytearray()
    start = 0  # index in buf of the next unread byte
    offset = 0  # absolute offset of buf[start]
    eof = False

    def fill(size):
        nonlocal buf, start, eof
        while len(buf) - start < size and not eof:
            block = fh.read(READ_BLOCK)
            if not block:
                eof = True
                break
            if start > READ_BLOCK:
                del buf[:start]
                start = 0
            buf += block
        return len(buf) - start

    def consume(size):
        nonlocal start, offset
        start += size
        offset += size

    while True:
        fill(5)
        while start < len(buf) and buf[start] in b" \t\r\n\x00\x1a":
            consume(1)
            if start >= len(buf):
                fill(5)
        available = fill(5)
        if available == 0:
            return
        head = bytes(buf[start : start + 5])
        problem = None
        if head.isdigit() and int(head) >= 26:
            length = int(head)
            available = fill(length)
            if available < length:
                yield (
                    offset,
                    bytes(buf[start:]),
                    _(
                        "Файл обривається посеред запису: у маркері заявлено %(length)s байтів, "
                        "є %(available)s."
                    )
                    % {"length": length, "available": available},
                )
                return
            if buf[start + length - 1] == RECORD_TERMINATOR:
                chunk = bytes(buf[start : start + length])
                yield offset, chunk, None
                consume(length)
                continue
            problem = _("Довжина запису в маркері (%(length)s) не збігається з кінцем запису.") % {
                "length": length
            }
        else:
            problem = _("Маркер запису не починається з довжини з 5 цифр (у файлі: %(head)r).") % {
                "head": head.decode("latin-1")
            }
        # Resynchronise on the next record terminator.
        end = -1
        while True:
            end = buf.find(RECORD_TERMINATOR, start)
            if end != -1 or eof or len(buf) - start > MAX_RECORD * 2:
                break
            fill(len(buf) - start + READ_BLOCK)
        if end == -1:
            yield (
                offset,
                bytes(buf[start : start + 200]),
                problem + " " + _("Кінця запису не знайдено — решту файлу пропущено."),
            )
            return
        yield offset, bytes(buf[start : end + 1]), problem
        consume(end + 1 - start)


def _raw_field(chunk: bytes, tag: bytes) -> bytes | None:
    try:
        base = int(chunk[12:17])
    except ValueError:
        return None
    directory = chunk[24 : base - 1]
    for i in range(0, len(directory) - 11, 12):
        if directory[i : i + 3] == tag:
            try:
                length, start = int(directory[i + 3 : i + 7]), int(directory[i + 7 : i + 12])
            except ValueError:
                return None
            return chunk[base + start : base + start + length]
    return None


def _raw_tags(chunk: bytes) -> set[bytes]:
    try:
        base = int(chunk[12:17])
    except ValueError:
        return set()
    directory = chunk[24 : base - 1]
    return {directory[i : i + 3] for i in range(0, len(directory) - 11, 12)}


def raw_format(chunk: bytes) -> str:
    tags = _raw_tags(chunk)
    if b"245" in tags:
        return mapping.MARC21
    if b"200" in tags:
        return mapping.UNIMARC
    return mapping.UNIMARC if chunk[20:23] == b"450" else mapping.MARC21


def declared_unimarc_charset(chunk: bytes) -> str | None:
    """The character set UNIMARC 100$a positions 26–29 (and 30–33) name, if one we read."""
    data = _raw_field(chunk, b"100")
    if not data:
        return None
    for part in data.split(b"\x1f")[1:]:
        if part[:1] == b"a":
            coded = part[1:]
            for pos in (26, 28, 30, 32):
                found = UNIMARC_CHARSETS.get(coded[pos : pos + 2])
                if found:
                    return found
    return None


def choose_encoding(chunk: bytes, fmt: str, forced: str | None) -> tuple[str, str | None]:
    """(encoding, note for the report or None) for one raw record."""
    if forced:
        return forced, None
    if chunk[9:10] == b"a" or chunk.isascii():
        return "utf-8", None
    try:
        chunk.decode("utf-8")
        valid_utf8 = True
    except UnicodeDecodeError:
        valid_utf8 = False
    declared = declared_unimarc_charset(chunk) if fmt == mapping.UNIMARC else None
    if valid_utf8:
        note = None
        if declared and declared != "utf-8":
            note = _("У 100$a заявлено %(declared)s, але байти — UTF-8; прочитано як UTF-8.") % {
                "declared": declared.upper()
            }
        return "utf-8", note
    if declared and declared != "utf-8":
        return declared, None
    if fmt == mapping.UNIMARC:
        note = None
        if declared == "utf-8":
            note = _("У 100$a заявлено UTF-8, але байти — ні; прочитано як CP1251.")
        return "cp1251", note
    return "marc8", None


def _looks_cp1251(chunk: bytes) -> bool:
    """Cyrillic words in CP1251 are runs of high bytes; MARC-8 diacritics stand alone."""
    high = [i for i, byte in enumerate(chunk) if byte >= 0xC0]
    if len(high) < 3:
        return False
    paired = sum(1 for i in high if chunk[i - 1] >= 0x80 or chunk[i + 1 : i + 2] >= b"\x80")
    return paired / len(high) >= 0.6


def field_problems(chunk: bytes) -> list[str]:
    """What pymarc silently repairs in a record: wrong indicator counts, bad subfield codes."""
    problems = []
    try:
        base = int(chunk[12:17])
    except ValueError:
        return problems
    directory = chunk[24 : base - 1]
    for i in range(0, len(directory) - 11, 12):
        tag = directory[i : i + 3]
        if tag < b"010" and tag.isdigit():
            continue
        try:
            length, start = int(directory[i + 3 : i + 7]), int(directory[i + 7 : i + 12])
        except ValueError:
            continue
        pieces = chunk[base + start : base + start + length].rstrip(b"\x1e").split(b"\x1f")
        label = tag.decode("ascii", "replace")
        if len(pieces[0]) != 2:
            fix = _("зайві відкинуто") if len(pieces[0]) > 2 else _("бракуючі — пропуски")
            problems.append(
                _("Поле %(tag)s: %(n)s індикатор(и) замість 2 — %(fix)s.")
                % {"tag": label, "n": len(pieces[0]), "fix": fix}
            )
        for piece in pieces[1:]:
            if piece and not (piece[:1].isalnum() and piece[:1].isascii()):
                problems.append(
                    _("Поле %(tag)s: недійсний код підполя %(code)r.")
                    % {"tag": label, "code": piece[:1].decode("latin-1")}
                )
    return problems


SINGLE_BYTE = {"cp1251", "cp866", "koi8-r"}
_NON_ASCII_CODE_RE = re.compile(rb"\x1f[\x80-\xff]")
_ODD_CODE_RE = re.compile(rb"\x1f[^0-9A-Za-z]")


def parse_iso2709(chunk: bytes, encoding: str) -> tuple[mapping.LightRecord, list[str]] | None:
    """The fast reading of a well-formed record in UTF-8 or a single-byte character set.

    Same result as pymarc's decoding (fields cut by the directory, the field terminator
    dropped, missing indicators blank, extra ones dropped) at a fraction of the cost: one
    decode per record (single-byte) or per field (UTF-8) instead of one per subfield. Returns
    None when the structure is not clean, so that pymarc reads it and names what is wrong.
    Raises UnicodeDecodeError when the bytes are not in `encoding`. Also returns what
    `field_problems` says, worked out only when a field looks odd.
    """
    try:
        base = int(chunk[12:17])
        leader = chunk[:24].decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    size = len(chunk)
    if base <= 24 or base >= size or chunk[base - 1] != 0x1E:
        return None
    directory = chunk[24 : base - 1]
    if len(directory) % 12 or not directory.isalnum() or _NON_ASCII_CODE_RE.search(chunk, base):
        return None  # pymarc has its own repair for a non-ASCII subfield code
    text = chunk.decode(encoding) if encoding in SINGLE_BYTE else None
    odd = False
    fields = []
    LightField = mapping.LightField
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        try:
            tag = entry[:3].decode("ascii")
            length, start = int(entry[3:7]), int(entry[7:12])
        except (ValueError, UnicodeDecodeError):
            return None
        begin = base + start
        end = begin + length - 1
        if length < 1 or end >= size:
            return None
        raw = text[begin:end] if text is not None else chunk[begin:end].decode("utf-8")
        if tag < "010" and tag.isdigit():
            fields.append(LightField(tag, data=raw))
            continue
        pieces = raw.split("\x1f")
        indicators = pieces[0]
        odd = odd or len(indicators) != 2
        fields.append(
            LightField(
                tag,
                indicators[0] if indicators else " ",
                indicators[1] if len(indicators) > 1 else " ",
                [Subfield(p[0], p[1:]) for p in pieces[1:] if p],
            )
        )
    if not fields:
        return None
    problems = field_problems(chunk) if odd or _ODD_CODE_RE.search(chunk, base) else []
    return mapping.LightRecord(leader, fields), problems


@contextlib.contextmanager
def quiet_pymarc():
    """pymarc logs and warns about what `field_problems` already reports per record."""
    pymarc_logger = logging.getLogger("pymarc")
    level = pymarc_logger.level
    pymarc_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pymarc.exceptions.BadSubfieldCodeWarning)
            yield
    finally:
        pymarc_logger.setLevel(level)


def structure_problem(exc: Exception) -> str:
    """Why pymarc could not read a record, in Ukrainian; its own words in parentheses."""
    errors = pymarc.exceptions
    known = (
        (errors.RecordLengthInvalid, _("довжина запису в маркері хибна")),
        (errors.RecordLeaderInvalid, _("маркер запису (leader) пошкоджено")),
        (errors.BadLeaderValue, _("маркер запису (leader) має недійсне значення")),
        (errors.BaseAddressNotFound, _("у маркері немає адреси початку даних")),
        (errors.BaseAddressInvalid, _("адреса початку даних у маркері хибна")),
        (errors.TruncatedRecord, _("запис обрізано — він коротший, ніж заявлено")),
        (errors.RecordDirectoryInvalid, _("довідник полів пошкоджено")),
        (errors.NoFieldsFound, _("у записі немає жодного поля")),
        (errors.EndOfRecordNotFound, _("немає знака кінця запису")),
        (UnicodeError, _("текст не читається в заявленому кодуванні")),
        ((ValueError, IndexError), _("числа в маркері чи довіднику полів хибні")),
    )
    reason = next((text for kind, text in known if isinstance(exc, kind)), None)
    detail = str(exc) or type(exc).__name__
    if reason is None:
        return _("Пошкоджена структура запису (%(kind)s: %(detail)s).") % {
            "kind": type(exc).__name__,
            "detail": detail[:200],
        }
    return _("Пошкоджена структура запису: %(reason)s (%(detail)s).") % {
        "reason": reason,
        "detail": f"{type(exc).__name__}: {detail[:200]}" if str(exc) else detail,
    }


def xml_problem(code: int) -> str:
    """What expat found wrong, in Ukrainian; its own words in parentheses."""
    errors = expat.errors
    known = {
        errors.XML_ERROR_NO_ELEMENTS: _("файл обривається або в ньому немає XML"),
        errors.XML_ERROR_INVALID_TOKEN: _("недопустимий символ або розмітка"),
        errors.XML_ERROR_UNCLOSED_TOKEN: _("незакрита розмітка"),
        errors.XML_ERROR_PARTIAL_CHAR: _("неповний символ UTF-8"),
        errors.XML_ERROR_TAG_MISMATCH: _("закривальний тег не відповідає відкривальному"),
        errors.XML_ERROR_DUPLICATE_ATTRIBUTE: _("атрибут повторюється"),
        errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: _("зайвий текст після кінця документа"),
        errors.XML_ERROR_UNDEFINED_ENTITY: _("невідома сутність (&…;)"),
        errors.XML_ERROR_UNKNOWN_ENCODING: _("невідоме кодування"),
        errors.XML_ERROR_INCORRECT_ENCODING: _("кодування не відповідає заявленому"),
        errors.XML_ERROR_UNBOUND_PREFIX: _("префікс простору імен не оголошено"),
        errors.XML_ERROR_SYNTAX: _("синтаксична помилка"),
    }
    reason = next(
        (text for message, text in known.items() if errors.codes.get(message) == code),
        _("помилка розбору"),
    )
    return _("XML пошкоджено: %(reason)s (%(detail)s) — решту файлу не прочитано.") % {
        "reason": reason,
        "detail": expat.ErrorString(code),
    }


def decode_chunk(chunk: bytes, *, fmt: str, forced_encoding: str | None) -> Parsed:
    """A raw ISO 2709 record → pymarc record (position filled in by the caller)."""
    parsed = Parsed(position=Position(0), size=len(chunk))
    record_fmt = fmt if fmt in mapping.FORMATS else raw_format(chunk)
    encoding, note = choose_encoding(chunk, record_fmt, forced_encoding)
    if note:
        parsed.warnings.append(note)
    control = _raw_field(chunk, b"001")
    if control:
        parsed.control_number = control.rstrip(b"\x1e").decode("utf-8", "replace").strip()
    data = chunk
    if forced_encoding and forced_encoding != "utf-8" and chunk[9:10] == b"a":
        data = chunk[:9] + b" " + chunk[10:]  # pymarc would otherwise insist on UTF-8

    def attempt(enc):
        if enc != "marc8":
            fast = parse_iso2709(data, enc)
            if fast is not None:
                return fast[0], "", fast[1]
            record = pymarc.Record(
                data, to_unicode=True, force_utf8=enc == "utf-8", file_encoding=enc
            )
            return record, "", field_problems(chunk)
        # pymarc's MARC-8 decoder writes what it cannot read to stderr and goes on.
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            record = pymarc.Record(data, to_unicode=True, file_encoding="iso8859-1")
        return record, stderr.getvalue(), field_problems(chunk)

    try:
        record, stderr_text, problems = attempt(encoding)
        if encoding == "marc8" and stderr_text:
            try:
                if not _looks_cp1251(chunk):
                    raise ValueError("not CP1251 either")
                record, _unused, problems = attempt("cp1251")
                parsed.warnings.append(_("Байти не читаються як MARC-8; прочитано як CP1251."))
            except Exception:  # noqa: BLE001 — keep the MARC-8 reading
                parsed.warnings.append(
                    _("Деякі символи не читаються як MARC-8 — замінено пропусками.")
                )
    except UnicodeDecodeError as exc:
        parsed.error = _(
            "Не вдалося прочитати текст як %(encoding)s: байт %(byte)s (позиція %(pos)s) не "
            "належить цьому кодуванню."
        ) % {
            "encoding": encoding.upper(),
            "byte": f"0x{exc.object[exc.start]:02X}" if exc.start < len(exc.object) else "—",
            "pos": exc.start,
        }
        return parsed
    except Exception as exc:  # noqa: BLE001 — pymarc raises many kinds; each is a rejection
        parsed.error = structure_problem(exc)
        return parsed
    parsed.warnings += problems
    parsed.marc = record
    return parsed


def parsed_from_chunk(
    number: int, offset: int, chunk: bytes, problem: str | None, *, fmt: str, encoding: str | None
) -> Parsed:
    position = Position(number, offset)
    if problem:
        control = _raw_field(chunk, b"001") if len(chunk) > 24 else None
        return Parsed(
            position=position,
            error=problem,
            size=len(chunk),
            control_number=control.rstrip(b"\x1e").decode("utf-8", "replace").strip()
            if control
            else "",
        )
    parsed = decode_chunk(chunk, fmt=fmt, forced_encoding=encoding)
    parsed.position = position
    return parsed


def read_iso2709(fh, *, fmt: str, encoding: str | None) -> Iterator[Parsed]:
    for number, (offset, chunk, problem) in enumerate(iso2709_chunks(fh), 1):
        yield parsed_from_chunk(number, offset, chunk, problem, fmt=fmt, encoding=encoding)


# --- reading MARCXML -----------------------------------------------------------------------------

_TAG_RE = re.compile(r"^[0-9A-Za-z]{3}$")


_MARC_CHILDREN = {"leader", "controlfield", "datafield"}
_OTHER_KINDS = {"dc", "oai_dc", "oai_marc"}


def read_marcxml(fh, *, found: Callable[[str], None] | None = None) -> Iterator[Parsed]:
    """MARCXML records one by one, with constant memory (expat, fed 64 KiB at a time).

    Any namespace (or none) is accepted: UNIMARC exports reuse the MARC21 slim schema. A
    <record> counts only when it holds a leader or fields, so that an OAI-PMH envelope's
    <record> around a MARC record is not one, nor one around Dublin Core. `found` is told the
    root element's name, or a known other kind (Dublin Core, oai_marc) once met.
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    ready: list[Parsed] = []
    state = {"number": 0, "record": None, "text": [], "field": None, "code": None, "root": ""}

    def local(name):
        return name.rsplit("}", 1)[-1]

    def start(name, attrs):
        name = local(name)
        state["text"] = []
        if found is not None and (
            not state["root"] or (name in _OTHER_KINDS and state["root"] not in _OTHER_KINDS)
        ):
            state["root"] = name
            found(name)
        if name == "record":
            # Numbered when it turns out to be a MARC record (see end()).
            state["record"] = Parsed(
                position=Position(0, parser.CurrentByteIndex, parser.CurrentLineNumber),
                marc=pymarc.Record(force_utf8=True, leader=" " * 24),
            )
            state["leader"] = None
            state["marc_seen"] = False
            return
        if state["record"] is None:
            return
        if name in _MARC_CHILDREN:
            state["marc_seen"] = True
        if name == "datafield":
            tag = attrs.get("tag", "")
            state["field"] = (tag, attrs.get("ind1", " ") or " ", attrs.get("ind2", " ") or " ", [])
        elif name == "controlfield":
            state["field"] = (attrs.get("tag", ""), None, None, None)
        elif name == "subfield":
            state["code"] = attrs.get("code", "")

    def chars(text):
        state["text"].append(text)

    def end(name):
        name = local(name)
        parsed = state["record"]
        if parsed is None:
            return
        text = "".join(state["text"])
        state["text"] = []
        if name == "leader":
            state["leader"] = text
        elif name == "subfield" and state["field"] and state["field"][3] is not None:
            code = state["code"] or ""
            if len(code) != 1:
                parsed.warnings.append(
                    _("Поле %(tag)s: недійсний код підполя %(code)r — пропущено.")
                    % {"tag": state["field"][0], "code": code}
                )
            else:
                state["field"][3].append(Subfield(code, text))
        elif name in ("datafield", "controlfield") and state["field"]:
            tag, ind1, ind2, subfields = state["field"]
            state["field"] = None
            if not _TAG_RE.match(tag):
                parsed.warnings.append(
                    _("Недійсна мітка поля %(tag)r — поле пропущено.") % {"tag": tag}
                )
                return
            if subfields is None:
                parsed.marc.add_field(Field(tag=tag, data=text))
                if tag == "001":
                    parsed.control_number = text.strip()
            else:
                if len(ind1) != 1 or len(ind2) != 1:
                    parsed.warnings.append(
                        _("Поле %(tag)s: недійсні індикатори — замінено пропусками.") % {"tag": tag}
                    )
                    ind1, ind2 = (ind1 + " ")[0], (ind2 + " ")[0]
                parsed.marc.add_field(
                    Field(tag=tag, indicators=Indicators(ind1, ind2), subfields=subfields)
                )
        elif name == "record":
            state["record"] = None
            if not state["marc_seen"]:
                return  # an envelope or another kind of record, not MARC
            state["number"] += 1
            parsed.position = replace(parsed.position, number=state["number"])
            leader = state.get("leader")
            if leader is None or len(leader) != 24:
                parsed.error = _("Маркер запису (leader) має бути 24 символи, а не %(n)s.") % {
                    "n": 0 if leader is None else len(leader)
                }
                parsed.marc = None
            elif not parsed.marc.fields:
                parsed.error = _("У записі немає жодного поля.")
                parsed.marc = None
            else:
                parsed.marc.leader = pymarc.Leader(leader)
            parsed.size = max(parser.CurrentByteIndex - (parsed.position.offset or 0), 0)
            ready.append(parsed)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    while True:
        block = fh.read(READ_BLOCK)
        try:
            parser.Parse(block, not block)
        except expat.ExpatError as exc:
            yield from ready
            ready.clear()
            yield Parsed(
                position=Position(state["number"] + 1, parser.CurrentByteIndex, exc.lineno),
                error=xml_problem(exc.code),
            )
            return
        yield from ready
        ready.clear()
        if not block:
            return


def sniff_syntax(fh) -> str:
    head = fh.peek(512)[:512] if hasattr(fh, "peek") else b""
    return "marcxml" if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" else "iso2709"
