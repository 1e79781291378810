"""Validators for what the portal publishes to other programs: Atom (feedparser and the
RFC 4287 rules), iCalendar (icalendar, the RFC 5545 properties and libical itself), JSON-LD
(extruct) and sitemaps (the sitemaps.org rules, and the official XSD when it is at hand).

Each returns a list of problems in words; a test asserts it is empty, so a failure names them.
"""

import ctypes
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import extruct
import feedparser
from icalendar import Calendar
from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# The official schemas, if someone has put them here (see tests/fixtures/xsd/SOURCES.md).
XSD_DIR = Path(__file__).parent / "fixtures" / "xsd"


def is_absolute_iri(value: str) -> bool:
    value = (value or "").strip()
    if value.startswith("tag:"):
        # RFC 4151: tag:authority,date:specific
        return re.fullmatch(r"tag:[\w.@-]+,\d{4}(-\d\d(-\d\d)?)?:\S*", value) is not None
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and " " not in value


def _one(parent, name, where, problems):
    found = parent.findall(f"{A}{name}")
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} atom:{name}, RFC 4287 wants exactly one")
        return None
    return found[0]


def _check_links(parent, where, problems):
    seen = set()
    for link in parent.findall(f"{A}link"):
        if link.get("rel", "alternate") != "alternate":
            continue
        key = (link.get("type"), link.get("hreflang"))
        if key in seen:
            problems.append(f"{where}: two alternate links with type/hreflang {key}")
        seen.add(key)
        if not is_absolute_iri(link.get("href")):
            problems.append(f"{where}: alternate link {link.get('href')!r} is not absolute")
    return seen


def atom_problems(content: bytes) -> list[str]:
    problems = []
    parsed = feedparser.parse(content)
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception}")
    root = etree.fromstring(content)
    if root.tag != f"{A}feed":
        return [*problems, f"root element is {root.tag}, not atom:feed"]
    for name in ("id", "title", "updated"):
        element = _one(root, name, "feed", problems)
        if element is not None and name == "id" and not is_absolute_iri(element.text):
            problems.append(f"feed id {element.text!r} is not an absolute IRI")
        if element is not None and name == "updated" and not RFC3339.match(element.text or ""):
            problems.append(f"feed updated {element.text!r} is not an RFC 3339 date-time")
    selves = [link for link in root.findall(f"{A}link") if link.get("rel") == "self"]
    if len(selves) != 1 or not is_absolute_iri(selves[0].get("href")):
        problems.append("feed: wants one absolute rel=self link")
    _check_links(root, "feed", problems)
    feed_author = root.find(f"{A}author")
    if feed_author is not None and not (feed_author.findtext(f"{A}name") or "").strip():
        problems.append("feed author has no name")
    ids = set()
    for number, entry in enumerate(root.findall(f"{A}entry"), 1):
        where = f"entry {number}"
        entry_id = _one(entry, "id", where, problems)
        _one(entry, "title", where, problems)
        updated = _one(entry, "updated", where, problems)
        if entry_id is not None:
            if not is_absolute_iri(entry_id.text):
                problems.append(f"{where}: id {entry_id.text!r} is not an absolute IRI")
            if entry_id.text in ids:
                problems.append(f"{where}: id {entry_id.text!r} repeats")
            ids.add(entry_id.text)
        if updated is not None and not RFC3339.match(updated.text or ""):
            problems.append(f"{where}: updated {updated.text!r} is not RFC 3339")
        if feed_author is None and entry.find(f"{A}author") is None:
            problems.append(f"{where}: no author, and the feed has none either")
        alternates = _check_links(entry, where, problems)
        if entry.find(f"{A}content") is None and not alternates:
            problems.append(f"{where}: neither content nor an alternate link")
    return problems


def _libical():
    try:
        lib = ctypes.CDLL("libical.so.3")
    except OSError:
        return None
    lib.icalparser_parse_string.restype = ctypes.c_void_p
    lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
    lib.icalrestriction_check.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_as_ical_string.restype = ctypes.c_char_p
    lib.icalcomponent_as_ical_string.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
    return lib


# libical (Debian libical3) through ctypes: the library calendar clients such as Evolution use.
LIBICAL = _libical()


def libical_problems(content: bytes) -> list[str]:
    """libical's own verdict: parse, check the iTIP restrictions of the METHOD, and report the
    X-LIC-ERROR properties it adds for what it rejects."""
    component = LIBICAL.icalparser_parse_string(content)
    if not component:
        return ["libical could not parse the file"]
    try:
        LIBICAL.icalrestriction_check(component)
        text = LIBICAL.icalcomponent_as_ical_string(component).decode()
    finally:
        LIBICAL.icalcomponent_free(component)
    unfolded = text.replace("\r\n ", "").replace("\n ", "")
    return [line for line in unfolded.splitlines() if line.startswith("X-LIC-ERROR")]


def ical_problems(content: bytes) -> list[str]:
    problems = []
    calendar = Calendar.from_ical(content)
    if str(calendar.get("VERSION")) != "2.0":
        problems.append("VCALENDAR without VERSION:2.0")
    if not calendar.get("PRODID"):
        problems.append("VCALENDAR without PRODID")
    publish = str(calendar.get("METHOD", "")).upper() == "PUBLISH"
    uids = set()
    for component in calendar.walk():
        problems += [f"{component.name}: {error}" for error in component.errors]
        if component.name != "VEVENT":
            continue
        uid = str(component.get("UID", ""))
        required = ["UID", "DTSTAMP", "DTSTART"] + (["ORGANIZER", "SUMMARY"] if publish else [])
        problems += [f"VEVENT {uid}: no {name}" for name in required if not component.get(name)]
        if uid in uids:
            problems.append(f"VEVENT UID {uid} repeats")
        uids.add(uid)
    if LIBICAL is not None:
        problems += libical_problems(content)
    elif os.environ.get("CI") == "true":
        problems.append("libical.so.3 is missing: CI checks every calendar with it (libical3)")
    return problems


def json_ld_items(response, type_name: str) -> list[dict]:
    """The page's JSON-LD objects of a schema.org type, as extruct extracts them."""
    found = extruct.extract(
        response.content.decode(), base_url="http://testserver/", syntaxes=["json-ld"]
    )["json-ld"]
    return [item for item in found if item.get("@type") == type_name]


def sitemap_problems(content: bytes, *, index: bool = False) -> list[str]:
    problems = []
    root = etree.fromstring(content)
    expected = f"{{{SITEMAP_NS}}}{'sitemapindex' if index else 'urlset'}"
    if root.tag != expected:
        return [f"root is {root.tag}, wanted {expected}"]
    child = f"{{{SITEMAP_NS}}}{'sitemap' if index else 'url'}"
    entries = root.findall(child)
    if len(entries) > 50_000:
        problems.append(f"{len(entries)} entries, the protocol allows 50,000")
    for entry in entries:
        loc = entry.findtext(f"{{{SITEMAP_NS}}}loc") or ""
        if not is_absolute_iri(loc) or len(loc) > 2048:
            problems.append(f"loc {loc!r} is not an absolute URL under 2,048 characters")
        links = entry.findall(f"{{{XHTML_NS}}}link")
        langs = [link.get("hreflang") for link in links]
        if links and (len(set(langs)) != len(langs) or "x-default" not in langs):
            problems.append(f"{loc}: alternates {langs} repeat or lack x-default")
        if links and loc not in {link.get("href") for link in links}:
            problems.append(f"{loc}: its alternates do not name the address itself")
    schema = _sitemap_schema(index)
    if schema is not None:
        if not (XSD_DIR / "xhtml1-strict.xsd").exists():
            # The urlset takes other namespaces strictly and the XHTML schema is not here:
            # validate without the alternates, which the rules above have checked.
            root = etree.fromstring(content)
            for link in root.iter(f"{{{XHTML_NS}}}link"):
                link.getparent().remove(link)
        if not schema.validate(root):
            problems += [str(error) for error in schema.error_log]
    return problems


def _sitemap_schema(index):
    name = "siteindex.xsd" if index else "sitemap.xsd"
    path = XSD_DIR / name
    if not path.exists():
        return None
    if index:
        return etree.XMLSchema(etree.parse(str(path)))
    # The urlset allows elements of other namespaces (xhtml:link) laxly or strictly depending on
    # the version of sitemap.xsd: a wrapper imports the XHTML schema too when it is there.
    xhtml = XSD_DIR / "xhtml1-strict.xsd"
    imports = f'<xs:import namespace="{SITEMAP_NS}" schemaLocation="{path.as_uri()}"/>'
    if xhtml.exists():
        imports += f'<xs:import namespace="{XHTML_NS}" schemaLocation="{xhtml.as_uri()}"/>'
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def sitemap_xsd_available() -> bool:
    return (XSD_DIR / "sitemap.xsd").exists()
