"""Hostile input to /oai and /sru is answered with the protocols' own errors, never a 500.

tests/test_hostile_input.py sweeps path parameters and the parameters of HTML pages; these
two endpoints take theirs from the protocols, so they are swept here with the same values."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree

from tests import xsd
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.test_hostile_input import NASTY, hostile_int, hostile_text

OAI_ARGS = ["verb", "metadataPrefix", "identifier", "from", "until", "set", "resumptionToken"]
SRU_ARGS = [
    "operation",
    "version",
    "query",
    "startRecord",
    "maximumRecords",
    "recordSchema",
    "recordPacking",
    "recordXMLEscaping",
    "scanClause",
    "maximumTerms",
    "responsePosition",
]
VERBS = [
    "Identify",
    "ListRecords",
    "ListIdentifiers",
    "GetRecord",
    "ListSets",
    "ListMetadataFormats",
]
value = st.one_of(hostile_text, hostile_int.map(str), st.sampled_from(VERBS))


@pytest.fixture
def catalogue(branch_a, settings):
    settings.CATALOG_PROTOCOLS_RATE = "100000/m"
    ItemFactory(record=RecordFactory(title="Кобзар"), branch=branch_a)


def _answers_in_xml(client, url, query, method="get"):
    response = getattr(client, method)(url, query)
    assert response.status_code < 500, (url, query)
    if response.status_code == 200:
        tree = etree.fromstring(response.content)
        # Whatever was asked, the answer is one the official schemas accept.
        if url == "/oai":
            xsd.assert_valid_oai(tree)
        else:
            xsd.assert_valid_sru(tree, "2.0" if tree.tag.startswith("{http://docs") else "1.2")


@pytest.mark.parametrize(("url", "names"), [("/oai", OAI_ARGS), ("/sru", SRU_ARGS)])
def test_every_protocol_argument_at_every_extreme_is_answered(client, catalogue, url, names):
    for index, nasty in enumerate(NASTY):
        _answers_in_xml(client, url, dict.fromkeys(names, nasty))
        for name in names[index % 3 :: 3]:
            _answers_in_xml(
                client, url, {name: nasty, "verb": "ListRecords", "operation": "searchRetrieve"}
            )

    @hypothesis_settings(max_examples=25, deadline=None)
    @given(st.dictionaries(st.sampled_from(names), st.one_of(value, st.lists(value, max_size=3))))
    def check(query):
        _answers_in_xml(client, url, query)
        _answers_in_xml(client, url, query, method="post")

    check()


def test_a_client_asking_too_often_is_told_to_come_back_later(client, db, settings):
    settings.CATALOG_PROTOCOLS_RATE = "2/m"
    statuses = [client.get("/oai", {"verb": "Identify"}).status_code for _n in range(3)]
    assert statuses == [200, 200, 503]
    response = client.get("/sru")
    assert response.status_code == 200  # each protocol counts on its own
