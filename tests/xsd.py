"""The official XML schemas vendored in tests/fixtures/xsd (their origins in SOURCES.md there),
for the protocol tests: OAI-PMH and SRU answers and the records they carry.

Nothing is fetched. A schema that imports another by its public URL (oai_dc.xsd imports the
DCMI simpledc20021212.xsd, which imports the W3C xml.xsd) gets the vendored copy through an lxml
resolver; the official files stay as published.

A schema not vendored yet is left out by name (`available`), as the tests did before.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).parent / "fixtures" / "xsd"

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
SRU_NS = "http://www.loc.gov/zing/srw/"
SRU2_NS = "http://docs.oasis-open.org/ns/search-ws/sruResponse"

# Public addresses that vendored schemas import, and the vendored file for each.
LOCAL_COPIES = {
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    # The W3C keeps one schema for the xml: namespace; 2001/03 is an older address of it.
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
    "http://www.w3.org/2009/01/xml.xsd": "xml.xsd",
    "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd": "MARC21slim.xsd",
    "http://www.loc.gov/standards/sru/diagnostics/diagnostic.xsd": "diagnostic.xsd",
    "http://www.loc.gov/standards/sru/sru1-1archive/xml-files/diagnostic.xsd": "diagnostic.xsd",
}

# The schema of each namespace a record or an explain description may come in. The official
# OAI-PMH.xsd processes <metadata>, <about> and <description> contents strictly: each must be
# valid against the schema of its own namespace.
SCHEMA_OF_NAMESPACE = {
    "http://www.openarchives.org/OAI/2.0/oai_dc/": "oai_dc.xsd",
    "http://www.loc.gov/MARC21/slim": "MARC21slim.xsd",
    "info:lc/xmlns/marcxchange-v2": "marcxchange-2-0.xsd",
    "http://explain.z3950.org/dtd/2.0/": "zeerex-2.0.xsd",
    # SRU's «dc» record schema: http://www.loc.gov/standards/sru/recordSchemas/dc-schema.xsd
    "info:srw/schema/1/dc-schema": "dc-schema.xsd",
}


class _Vendored(etree.Resolver):
    def resolve(self, url, _public_id, context):
        if not url.startswith(("http:", "https:")):
            return None  # a file here: a vendored schema or one next to it
        name = LOCAL_COPIES.get(url)
        if name is None or not (XSD_DIR / name).exists():
            raise AssertionError(f"{url} is imported by a vendored schema and is not vendored")
        return self.resolve_filename(str(XSD_DIR / name), context)


def available(name: str) -> bool:
    return (XSD_DIR / name).exists()


@cache
def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Vendored())
    return etree.XMLSchema(etree.parse(str(XSD_DIR / name), parser))


def assert_valid(element, name: str) -> None:
    """`element` (a tree or an element) is valid against the vendored schema `name`."""
    schema(name).assertValid(element)


def assert_payload_valid(element) -> None:
    """An embedded record or description is valid against the schema of its namespace, where
    that schema is vendored; a namespace with no known schema is itself a failure."""
    namespace = etree.QName(element).namespace
    name = SCHEMA_OF_NAMESPACE.get(namespace)
    assert name is not None, f"no official schema is known for {namespace!r}"
    if available(name):
        assert_valid(element, name)


def assert_valid_oai(tree) -> None:
    """An OAI-PMH answer against OAI-PMH.xsd, and what it carries against the schemas of its
    namespaces (the official OAI-PMH.xsd does both in one pass: processContents="strict")."""
    assert_valid(tree, "OAI-PMH.xsd")
    ns = {"o": OAI_NS}
    for wrapper in tree.xpath("//o:metadata | //o:about | //o:description", namespaces=ns):
        for payload in wrapper.iterchildren(etree.Element):
            assert_payload_valid(payload)


def assert_valid_sru(tree, version: str) -> None:
    """An SRU answer against srw-types.xsd (1.1, 1.2) or sruResponse.xsd (2.0) where vendored,
    and each XML record it carries against the schema of its namespace."""
    # SRU 2.0's schemas import a diagnostic.xsd of their own (OASIS), hence a folder apart.
    envelope = "sru2/sruResponse.xsd" if version == "2.0" else "srw-types.xsd"
    if available(envelope):
        assert_valid(tree, envelope)
    namespace = SRU2_NS if version == "2.0" else SRU_NS
    for data in tree.iter(f"{{{namespace}}}recordData"):
        for payload in data.iterchildren(etree.Element):
            assert_payload_valid(payload)
