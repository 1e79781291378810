"""Record serialisations shared by OAI-PMH and SRU: MARCXML (MARC 21 slim), Dublin Core and
UNIMARC as MarcXchange (ISO 25577).

The MARC fields come from `catalog.marc.writer.record_to_marc`, the same mapping the MARC export
and import use; this module only writes them out as XML. Each function returns one element as
UTF-8 bytes, with its namespace declared on itself, ready to be embedded in a response.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

import pymarc
from django.conf import settings
from django.db.models import Prefetch, QuerySet

from catalog.marc import mapping, writer
from catalog.models import Item, Record

MARCXML_NS = writer.MARCXML_NAMESPACE
MARCXML_XSD = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
MARCXCHANGE_NS = "info:lc/xmlns/marcxchange-v2"
MARCXCHANGE_XSD = "http://www.loc.gov/standards/iso25577/marcxchange-2-0.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_XSD = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Characters XML 1.0 cannot carry at all (MARC data may hold stray control codes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# DCMI Type Vocabulary for each material type.
DC_TYPES = {
    Record.MaterialType.BOOK: "Text",
    Record.MaterialType.PERIODICAL: "Text",
    Record.MaterialType.LOCAL_LORE: "Text",
    Record.MaterialType.AUDIO: "Sound",
    Record.MaterialType.VIDEO: "MovingImage",
    Record.MaterialType.E_RESOURCE: "Text",
    Record.MaterialType.MAP: "Image",
    Record.MaterialType.SCORE: "Text",
}


def text(value) -> str:
    """Escaped character data for an element."""
    return escape(_NOT_XML.sub("", str(value)))


def attr(value) -> str:
    """A quoted, escaped attribute value."""
    return quoteattr(_NOT_XML.sub("", str(value)))


def records_for_export(records: QuerySet) -> QuerySet:
    """Records with what every serialisation reads prefetched: names, subjects, and the copies
    that are holdings (withdrawn copies are not) with their library, as `copies`."""
    copies = Item.objects.select_related("branch").exclude(status=Item.Status.WITHDRAWN)
    # An analytical record names its host (463/773): joined in, without its search columns.
    records = records.select_related("host").defer("host__search_document", "host__search_names")
    return records.prefetch_related(
        "contributions__person", "subjects", Prefetch("items", queryset=copies, to_attr="copies")
    )


def record_url(record: Record) -> str:
    return f"{settings.SITE_URL}{record.get_absolute_url()}"


def _marc_xml(marc: pymarc.Record, *, namespace: str, root_attrs: str = "") -> bytes:
    parts = [f"<record xmlns={attr(namespace)}{root_attrs}>"]
    parts.append(f"<leader>{text(str(marc.leader))}</leader>")
    for field in marc.fields:
        if field.is_control_field():
            parts.append(f"<controlfield tag={attr(field.tag)}>{text(field.data)}</controlfield>")
            continue
        parts.append(
            f"<datafield tag={attr(field.tag)} ind1={attr(field.indicator1)}"
            f" ind2={attr(field.indicator2)}>"
        )
        parts.extend(
            f"<subfield code={attr(sub.code)}>{text(sub.value)}</subfield>"
            for sub in field.subfields
        )
        parts.append("</datafield>")
    parts.append("</record>")
    return "".join(parts).encode()


def marcxml(record: Record) -> bytes:
    """MARC 21 slim <record>; `record` from `records_for_export`."""
    marc = writer.record_to_marc(record, record.copies, mapping.MARC21)
    return _marc_xml(marc, namespace=MARCXML_NS)


def marcxchange(record: Record) -> bytes:
    """UNIMARC as a MarcXchange 2.0 <record type="Bibliographic" format="UNIMARC">."""
    marc = writer.record_to_marc(record, record.copies, mapping.UNIMARC)
    return _marc_xml(
        marc, namespace=MARCXCHANGE_NS, root_attrs=' type="Bibliographic" format="UNIMARC"'
    )


def dc_elements(record: Record) -> list[tuple[str, str]]:
    """(element, value) pairs of simple Dublin Core for a record."""
    elements = [("title", ": ".join(v for v in (record.title, record.subtitle) if v))]
    contributions = sorted(record.contributions.all(), key=lambda c: (c.position, c.pk or 0))
    for contribution in contributions:
        role = "creator" if contribution.role == contribution.Role.AUTHOR else "contributor"
        elements.append((role, contribution.person.name))
    elements += [("subject", subject.name) for subject in record.subjects.all()]
    elements += [("subject", f"УДК {udc}") for udc in writer._split(record.udc)]
    if record.annotation:
        elements.append(("description", record.annotation))
    if record.publisher:
        elements.append(("publisher", record.publisher))
    if record.year:
        elements.append(("date", str(record.year)))
    elements.append(("type", DC_TYPES.get(record.material_type, "Text")))
    elements.append(("type", record.get_material_type_display()))
    if record.isbn:
        elements.append(("identifier", f"ISBN {record.isbn_display}"))
    elements.append(("identifier", record_url(record)))
    if record.language:
        elements.append(("language", record.language))
    if record.series:
        elements.append(("relation", record.series))
    return elements


def oai_dc(record: Record) -> bytes:
    """<oai_dc:dc> as OAI-PMH requires it (oai_dc.xsd)."""
    body = "".join(
        f"<dc:{name}>{text(value)}</dc:{name}>" for name, value in dc_elements(record) if value
    )
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}"'
        f' xsi:schemaLocation="{OAI_DC_NS} {OAI_DC_XSD}">{body}</oai_dc:dc>'
    ).encode()


def srw_dc(record: Record) -> bytes:
    """The same Dublin Core in SRU's «dc» schema (info:srw/schema/1/dc-v1.1)."""
    body = "".join(
        f"<dc:{name}>{text(value)}</dc:{name}>" for name, value in dc_elements(record) if value
    )
    return (
        f'<srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns:dc="{DC_NS}">'
        f"{body}</srw_dc:dc>"
    ).encode()
