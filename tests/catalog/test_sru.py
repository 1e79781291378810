"""SRU 1.2 and 2.0 at /sru: what a Z39.50/SRU client (yaz-client, a union catalogue) gets."""

import os
import shutil
import subprocess

import pytest
from lxml import etree

from catalog.indexing import records_reindex
from tests import xsd
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.factories import BranchFactory

NS = {
    "s": "http://www.loc.gov/zing/srw/",
    "s2": "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "scan": "http://docs.oasis-open.org/ns/search-ws/scan",
    "d2": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "d": "http://www.loc.gov/zing/srw/diagnostic/",
    "m": "http://www.loc.gov/MARC21/slim",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "info:lc/xmlns/marcxchange-v2",
    "e": "http://explain.z3950.org/dtd/2.0/",
}
# Count, page, contributions, people, subjects, copies with their libraries.
QUERIES = 6


def sru(client, **params):
    params.setdefault("version", "1.2")
    response = client.get("/sru", params)
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    # The official schemas (tests/fixtures/xsd/SOURCES.md): the envelope and every record in it.
    xsd.assert_valid_sru(tree, params["version"])
    return tree


def diagnostic(tree):
    return tree.findtext(".//d:uri", namespaces=NS)


def titles(tree):
    return sorted(
        e.text for e in tree.findall(".//m:datafield[@tag='245']/m:subfield[@code='a']", NS)
    )


@pytest.fixture
def shelf(branch_a):
    kobzar = RecordFactory(
        title="Кобзар",
        authors=["Шевченко, Тарас Григорович"],
        subjects=["Українська поезія"],
        year=1840,
        isbn="9789660341234",
        udc="821.161.2-1",
    )
    forest = RecordFactory(
        title="Лісова пісня", authors=["Українка, Леся"], year=1911, udc="821.161.2-2"
    )
    history = RecordFactory(
        title="Історія України-Руси", authors=["Грушевський, Михайло"], year=1898, udc="94(477)"
    )
    for record in (kobzar, forest, history):
        ItemFactory(record=record, branch=branch_a)
    records_reindex([kobzar.pk, forest.pk, history.pk])
    return {"kobzar": kobzar, "forest": forest, "history": history}


def test_explain_lists_the_indexes_and_record_schemas(client, db):
    tree = sru(client)
    names = {e.text for e in tree.findall(".//e:index/e:map/e:name", NS)}
    assert {"serverChoice", "title", "creator", "subject", "date", "isbn", "identifier", "udc"} <= (
        names
    )
    schemas = {e.get("name") for e in tree.findall(".//e:schema", NS)}
    assert schemas == {"marcxml", "dc", "unimarc"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("кобзаря", ["Кобзар"]),
        ('dc.title = "лісова пісня"', ["Лісова пісня"]),
        ("dc.creator = шевченка", ["Кобзар"]),
        ('dc.subject = "українська поезія"', ["Кобзар"]),
        ("dc.date < 1900", ["Історія України-Руси", "Кобзар"]),
        ("dc.date >= 1900", ["Лісова пісня"]),
        ("bath.isbn = 966-03-4123-1", []),
        ("bath.isbn = 978-966-03-4123-4", ["Кобзар"]),
        ("lcbs.udc = 821.161.2", ["Кобзар", "Лісова пісня"]),
        ("lcbs.udc = 821.161.2 not dc.creator = українка", ["Кобзар"]),
        ("dc.date < 1900 or dc.title = пісня", ["Історія України-Руси", "Кобзар", "Лісова пісня"]),
    ],
)
def test_cql_queries_find_what_a_cataloguer_expects(client, shelf, query, expected):
    tree = sru(client, operation="searchRetrieve", query=query, maximumRecords="10")
    assert diagnostic(tree) is None
    assert titles(tree) == expected
    for record in tree.findall(".//m:record", NS):
        xsd.assert_valid(record, "MARC21slim.xsd")
    assert tree.findtext("s:numberOfRecords", namespaces=NS) == str(len(expected))


def test_records_come_in_dublin_core_and_unimarc_and_by_identifier(client, shelf):
    pk = shelf["forest"].pk
    dc = sru(client, operation="searchRetrieve", query=f"rec.identifier = {pk}", recordSchema="dc")
    assert dc.findtext(".//dc:title", namespaces=NS) == "Лісова пісня"
    unimarc = sru(
        client, operation="searchRetrieve", query=f"rec.identifier={pk}", recordSchema="unimarc"
    )
    assert unimarc.find(".//x:record", NS).get("format") == "UNIMARC"


def test_pages_follow_start_record_and_at_most_a_hundred_records(client, shelf):
    tree = sru(
        client,
        operation="searchRetrieve",
        query="dc.date > 1000",
        maximumRecords="2",
        startRecord="2",
    )
    positions = [e.text for e in tree.findall(".//s:recordPosition", NS)]
    assert positions == ["2", "3"]
    assert tree.find("s:nextRecordPosition", NS) is None
    tree = sru(client, operation="searchRetrieve", query="dc.date > 1000", maximumRecords="5000")
    assert len(tree.findall(".//s:record", NS)) == 3


def test_sru_2_answers_in_its_own_namespace(client, shelf):
    response = client.get("/sru", {"query": "кобзар"})
    tree = etree.fromstring(response.content)
    assert tree.tag == f"{{{NS['s2']}}}searchRetrieveResponse"
    assert tree.findtext("s2:numberOfRecords", namespaces=NS) == "1"


@pytest.mark.parametrize(
    ("params", "number"),
    [
        ({"operation": "searchRetrieve", "query": "dc.colour = red"}, "16"),
        ({"operation": "searchRetrieve", "query": "dc.title within кобзар"}, "19"),
        ({"operation": "searchRetrieve", "query": "dc.title =/stem кобзар"}, "20"),
        ({"operation": "searchRetrieve", "query": "dc.date = давно"}, "36"),
        ({"operation": "searchRetrieve", "query": "((кобзар"}, "10"),
        ({"operation": "searchRetrieve", "query": "кобзар", "recordSchema": "mods"}, "66"),
        ({"operation": "searchRetrieve", "query": "кобзар", "startRecord": "0"}, "6"),
        ({"operation": "searchRetrieve", "query": "кобзар", "startRecord": "99"}, "61"),
        ({"operation": "searchRetrieve", "query": "кобзар", "recordPacking": "zip"}, "71"),
        ({"operation": "searchRetrieve"}, "7"),
        ({"operation": "update"}, "4"),
        ({"operation": "searchRetrieve", "query": "кобзар\x00", "maximumRecords": "9" * 40}, "6"),
    ],
)
def test_bad_requests_get_standard_diagnostics(client, shelf, params, number):
    tree = sru(client, **params)
    assert diagnostic(tree) == f"info:srw/diagnostic/1/{number}"


def test_scan_lists_titles_and_authors_from_a_starting_term(client, shelf):
    tree = sru(client, operation="scan", scanClause="dc.title = Л")
    assert [e.text for e in tree.findall(".//s:term/s:value", NS)] == ["Лісова пісня"]
    tree = sru(client, operation="scan", scanClause="dc.creator = Ш", maximumTerms="5")
    assert [e.text for e in tree.findall(".//s:term/s:value", NS)] == ["Шевченко, Тарас Григорович"]


def test_sru_2_scan_answers_in_the_namespace_of_its_own_schema(client, shelf):
    # scan.xsd of SRU 2.0 (OASIS searchRetrieve 1.0) defines the scan answer's elements in its
    # own namespace; a 2.0 client looks for scan:terms there, not in sruResponse.
    tree = sru(client, version="2.0", operation="scan", scanClause="dc.title = Л")
    assert tree.tag == f"{{{NS['scan']}}}scanResponse"
    assert [e.text for e in tree.findall("scan:terms/scan:term/scan:value", NS)] == ["Лісова пісня"]
    tree = sru(client, version="2.0", operation="scan", scanClause="dc.colour = Л")
    uri = tree.findtext("scan:diagnostics/d2:diagnostic/d2:uri", namespaces=NS)
    assert uri == "info:srw/diagnostic/1/16"


@pytest.mark.skipif(
    shutil.which("yaz-client") is None and not os.environ.get("CI"),
    reason="Debian's yaz is not installed (apt-get install yaz)",
)
@pytest.mark.django_db(transaction=True)
def test_yaz_client_finds_a_record_over_sru(live_server):
    branch_a = BranchFactory()
    record = RecordFactory(title="Кобзар", authors=["Шевченко, Тарас Григорович"])
    ItemFactory(record=record, branch=branch_a)
    records_reindex([record.pk])
    script = f"sru get 1.2\nopen {live_server.url}/sru\nfind dc.title=кобзар\nshow 1\nquit\n"
    done = subprocess.run(
        ["yaz-client", "-u", "", "-c", ""],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Number of hits: 1" in done.stdout
    assert "Кобзар" in done.stdout


def test_a_page_of_records_costs_the_same_queries_however_many_it_holds(
    client, shelf, branch_a, django_assert_num_queries
):
    query = {"version": "1.2", "operation": "searchRetrieve", "query": "dc.date > 1000"}
    with django_assert_num_queries(QUERIES):
        client.get("/sru", query)
    for year in (1950, 1960, 1970):
        ItemFactory(record=RecordFactory(year=year, authors=["Автор, Інший"]), branch=branch_a)
    with django_assert_num_queries(QUERIES):
        client.get("/sru", query)
