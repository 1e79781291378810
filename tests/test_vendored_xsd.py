"""The official schemas in tests/fixtures/xsd stay as published, and the protocol tests' use of
them (tests/xsd.py) resolves their imports offline and does reject what they forbid."""

import hashlib
import re

import pytest
from lxml import etree

from tests import xsd

SOURCES = (xsd.XSD_DIR / "SOURCES.md").read_text()
# | file (notes) | URL | origin | sha256 |
ROWS = re.findall(r"^\| (\S+\.xsd)\b[^|]*\|[^|]*\|[^|]*\| ([0-9a-f]{64}) \|$", SOURCES, re.M)


def test_every_vendored_schema_is_listed_with_its_checksum():
    listed = {name for name, _sha in ROWS}
    present = {path.name for path in xsd.XSD_DIR.glob("*.xsd")}
    assert present == listed


@pytest.mark.parametrize(("name", "sha256"), ROWS)
def test_a_vendored_schema_is_byte_for_byte_what_sources_records(name, sha256):
    assert hashlib.sha256((xsd.XSD_DIR / name).read_bytes()).hexdigest() == sha256


DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"


def _oai_dc(body: str):
    return etree.fromstring(
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}">{body}</oai_dc:dc>'
    )


def test_oai_dc_validates_through_its_imports_without_a_network():
    # oai_dc.xsd → simpledc20021212.xsd → xml.xsd, each by its public URL, resolved locally.
    xsd.assert_payload_valid(_oai_dc('<dc:title xml:lang="uk">Кобзар</dc:title>'))
    with pytest.raises(etree.DocumentInvalid, match="titel"):
        xsd.assert_payload_valid(_oai_dc("<dc:titel>Кобзар</dc:titel>"))


def test_a_record_in_a_namespace_with_no_known_schema_fails():
    with pytest.raises(AssertionError, match="no official schema"):
        xsd.assert_payload_valid(etree.fromstring('<mods xmlns="http://www.loc.gov/mods/v3"/>'))


def test_an_oai_answer_is_held_to_its_records_schemas_as_the_official_oai_pmh_xsd_does():
    answer = (
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>2026-12-07T10:00:00Z</responseDate>"
        '<request verb="GetRecord">http://x/oai</request><GetRecord><record><header>'
        "<identifier>oai:x:1</identifier><datestamp>2026-12-07</datestamp></header>"
        f'<metadata><oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}"><dc:colour>червоний'
        "</dc:colour></oai_dc:dc></metadata></record></GetRecord></OAI-PMH>"
    )
    with pytest.raises(etree.DocumentInvalid, match="colour"):
        xsd.assert_valid_oai(etree.fromstring(answer))
