"""OAI-PMH 2.0 at /oai: what a harvester that knows nothing of this project gets."""

from datetime import timedelta

import pytest
from lxml import etree
from sickle import Sickle

from catalog.models import DeletedRecord, Item, Record
from catalog.protocols.oai import identifier_for
from catalog.services import item_change_status
from tests import xsd
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.factories import BranchFactory

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "m": "http://www.loc.gov/MARC21/slim",
    "x": "info:lc/xmlns/marcxchange-v2",
}


def oai(client, **params):
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    tree = etree.fromstring(response.content)
    # The official schemas (tests/fixtures/xsd/SOURCES.md): the envelope and every record in it.
    xsd.assert_valid_oai(tree)
    return tree


def error_codes(tree):
    return [e.get("code") for e in tree.findall("o:error", NS)]


@pytest.fixture
def small_pages(settings):
    settings.OAI_PAGE_SIZE = 3


def test_identify_tells_a_harvester_deletions_persist_and_the_granularity_is_seconds(client, db):
    tree = oai(client, verb="Identify")
    identify = tree.find("o:Identify", NS)
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:baseURL", namespaces=NS).endswith("/oai")


def test_a_record_comes_in_dublin_core_marc21_and_unimarc(client, branch_a):
    record = RecordFactory(
        title="Кобзар",
        authors=["Шевченко, Тарас Григорович"],
        subjects=["Українська поезія"],
        isbn="9789660341234",
        udc="821.161.2-1",
        publisher="Дніпро",
    )
    ItemFactory(record=record, branch=branch_a)
    identifier = identifier_for(record.pk)

    dc = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert dc.findtext(".//dc:title", namespaces=NS) == "Кобзар"
    assert dc.findtext(".//dc:creator", namespaces=NS) == "Шевченко, Тарас Григорович"
    subjects = [e.text for e in dc.findall(".//dc:subject", NS)]
    assert "Українська поезія" in subjects and "УДК 821.161.2-1" in subjects
    identifiers = [e.text for e in dc.findall(".//dc:identifier", NS)]
    assert "ISBN 978-966-03-4123-4" in identifiers
    assert any(
        i.endswith(f"/catalog/records/{record.pk}/") or str(record.pk) in i for i in identifiers
    )
    assert dc.findtext(".//dc:language", namespaces=NS) == "ukr"
    specs = [e.text for e in dc.findall(".//o:header/o:setSpec", NS)]
    assert "library:branch-5" in specs and "type:book" in specs

    marc21 = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="marcxml")
    title = marc21.find(".//m:datafield[@tag='245']/m:subfield[@code='a']", NS)
    assert title.text == "Кобзар"
    xsd.assert_valid(marc21.find(".//m:record", NS), "MARC21slim.xsd")

    unimarc = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="unimarc")
    marcx = unimarc.find(".//x:record", NS)
    assert marcx.get("format") == "UNIMARC" and marcx.get("type") == "Bibliographic"
    title = marcx.find("x:datafield[@tag='200']/x:subfield[@code='a']", NS)
    assert title.text == "Кобзар"


def test_a_deleted_record_stays_as_a_tombstone_in_its_sets(client, branch_a):
    record = RecordFactory(title="Списана назавжди")
    ItemFactory(record=record, branch=branch_a)
    pk = record.pk
    record.delete()

    assert DeletedRecord.objects.filter(record_id=pk).exists()
    tree = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="library:branch-5")
    headers = tree.findall(".//o:header", NS)
    assert [h.get("status") for h in headers] == ["deleted"]
    assert headers[0].findtext("o:identifier", namespaces=NS) == identifier_for(pk)
    got = oai(client, verb="GetRecord", identifier=identifier_for(pk), metadataPrefix="marcxml")
    assert got.find(".//o:header", NS).get("status") == "deleted"
    assert got.find(".//o:metadata", NS) is None


def test_a_copy_changing_status_brings_its_record_into_an_incremental_harvest(
    client, branch_a, librarian_a
):
    record = RecordFactory()
    item = ItemFactory(record=record, branch=branch_a)
    three_days_ago = record.updated_at - timedelta(days=3)
    Item.objects.filter(pk=item.pk).update(updated_at=three_days_ago)
    Record.objects.filter(pk=record.pk).update(updated_at=three_days_ago)
    since = (record.updated_at - timedelta(days=1)).strftime("%Y-%m-%d")
    tree = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": since})
    assert error_codes(tree) == ["noRecordsMatch"]

    item_change_status(item=item, to=Item.Status.LOST, acting_user=librarian_a)

    tree = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": since})
    assert [h.findtext("o:identifier", namespaces=NS) for h in tree.findall(".//o:header", NS)] == [
        identifier_for(record.pk)
    ]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-45"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "9999-12-31"},
            "noRecordsMatch",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "9999-12-31"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-01",
                "until": "2026-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01T10:00"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "library:nowhere"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
            "idDoesNotExist",
        ),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "\x00"}, "badArgument"),
        ({"verb": "Identify", "until": "2026-01-01"}, "badArgument"),
    ],
)
def test_bad_requests_get_the_protocols_own_errors(client, db, params, code):
    tree = oai(client, **params)
    assert error_codes(tree) == [code]
    if code in ("badVerb", "badArgument"):
        assert tree.find("o:request", NS).attrib == {}


def test_a_repeated_argument_is_a_bad_argument(client, db):
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marcxml")
    assert error_codes(etree.fromstring(response.content)) == ["badArgument"]


def test_harvesters_may_post_their_arguments(client, db):
    response = client.post("/oai", {"verb": "Identify"})
    assert etree.fromstring(response.content).find("o:Identify", NS) is not None


def test_a_page_of_records_costs_the_same_queries_however_many_it_holds(
    client, branch_a, django_assert_num_queries, small_pages
):
    for _n in range(2):
        ItemFactory(branch=branch_a, record=RecordFactory(authors=["Автор, Один"]))
    with django_assert_num_queries(9):
        oai(client, verb="ListRecords", metadataPrefix="marcxml")
    for _n in range(5):
        ItemFactory(branch=branch_a, record=RecordFactory(authors=["Автор, Два"]))
    with django_assert_num_queries(9):
        oai(client, verb="ListRecords", metadataPrefix="marcxml")


def _harvest(live_server, between_pages=None, **kwargs):
    sickle = Sickle(f"{live_server.url}/oai", max_retries=0)
    seen = []
    for page, header in enumerate(sickle.ListIdentifiers(**kwargs)):
        seen.append((header.identifier, header.deleted))
        if between_pages and page == 2:
            between_pages()
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_harvest_through_every_resumption_token_gets_every_record_exactly_once(
    live_server, settings
):
    # A library of its own: the migrated ones are gone after another test's flush.
    branch_a = BranchFactory()
    settings.OAI_PAGE_SIZE = 3
    records = [RecordFactory() for _n in range(10)]
    for record in records[:4]:
        ItemFactory(record=record, branch=branch_a)
    doomed = RecordFactory(title="Буде вилучено")
    doomed_id = identifier_for(doomed.pk)
    doomed.delete()
    expected = {identifier_for(r.pk) for r in records}

    seen = _harvest(live_server, metadataPrefix="oai_dc")
    assert sorted(i for i, deleted in seen if not deleted) == sorted(expected)
    assert [i for i, deleted in seen if deleted] == [doomed_id]

    # While the catalogue changes between pages: records change (move to a later datestamp),
    # one is added, one is deleted. Nothing comes twice; records untouched all come.
    early, late = records[0], records[-1]

    def change():
        Record.objects.filter(pk__in=[early.pk, late.pk]).update(title="Змінено під час збору")
        RecordFactory(title="Новий під час збору")
        records[5].delete()

    seen = _harvest(live_server, between_pages=change, metadataPrefix="oai_dc")
    ids = [i for i, _deleted in seen]
    assert len(ids) == len(set(ids))
    untouched = expected - {identifier_for(r.pk) for r in (early, late, records[5])}
    assert untouched <= set(ids)
