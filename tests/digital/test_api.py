"""The read API of the digitised documents: published ones only, with their descriptions, the
first page's thumbnail in the list and every page's image in each web size on the document's
own address."""

import pytest

from tests.catalog.factories import RecordFactory
from tests.digital.factories import CollectionFactory, DigitalDocumentFactory, DigitalPageFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/digital-documents/"


def test_a_document_lists_its_pages_with_each_web_size(client, branch_a):
    record = RecordFactory(title="Луцьк 1930-х")
    document = DigitalDocumentFactory(
        branch=branch_a,
        title="Вулиця Ягеллонська",
        collection=CollectionFactory(branch=branch_a, title="Листівки"),
        record=record,
    )
    DigitalPageFactory(
        document=document,
        position=2,
        image="digital/full/back.jpg",
        thumb="",
        medium="",
        large="",
        caption="Зворот",
    )
    DigitalPageFactory(
        document=document,
        position=1,
        image="digital/full/front.jpg",
        large="digital/large/front.jpg",
        medium="digital/medium/front.jpg",
        thumb="digital/thumb/front.jpg",
        caption="Лицьовий бік",
        transcription="Привіт з Луцька!",
    )

    row = client.get(f"{URL}{document.pk}/").json()

    assert (row["title"], row["branch"], row["collection"]) == (
        "Вулиця Ягеллонська",
        "branch-5",
        "Листівки",
    )
    assert row["description"] == "Перший абзац.\n\nДругий абзац."
    assert (row["year_from"], row["year_to"], row["page_count"]) == (1930, 1939, 2)
    assert row["record"] == f"http://testserver/api/v1/records/{record.pk}/"
    assert row["cover"] == "http://testserver/media/digital/thumb/front.jpg"
    front, back = row["pages"]
    media = "http://testserver/media/digital"
    assert front == {
        "number": 1,
        "image": f"{media}/full/front.jpg",
        "width": 2000,
        "height": 1500,
        "sizes": {
            "large": {"url": f"{media}/large/front.jpg", "width": 1600},
            "medium": {"url": f"{media}/medium/front.jpg", "width": 800},
            "thumb": {"url": f"{media}/thumb/front.jpg", "width": 320},
        },
        "caption": "Лицьовий бік",
        "transcription": "Привіт з Луцька!",
        "url": f"http://testserver/digital/{document.pk}/page/1/",
    }
    assert (back["number"], back["sizes"], back["caption"]) == (2, None, "Зворот")


def test_unpublished_documents_never_appear(client, branch_a):
    hidden = DigitalDocumentFactory(branch=branch_a, title="Ще описуємо", is_published=False)
    DigitalPageFactory(document=hidden)

    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{hidden.pk}/").status_code == 404


def test_documents_filter_by_library_kind_and_decade(client, branch_a, branch_b):
    DigitalDocumentFactory(branch=branch_a, title="Фото 1930-х")
    DigitalDocumentFactory(
        branch=branch_b, title="Газета 1950", kind="newspaper", year_from=1950, year_to=None
    )

    def titles(**query):
        response = client.get(URL, query)
        assert response.status_code == 200
        return [row["title"] for row in response.json()["results"]]

    assert titles() == ["Фото 1930-х", "Газета 1950"]
    assert titles(branch="branch-7") == ["Газета 1950"]
    assert titles(kind="newspaper") == ["Газета 1950"]
    assert titles(decade=1935) == ["Фото 1930-х"]
    assert client.get(URL, {"decade": "тридцяті"}).status_code == 400
    assert client.get(URL, {"decade": 99}).status_code == 400


def test_the_list_runs_a_constant_number_of_queries(client, branch_a, django_assert_num_queries):
    collection = CollectionFactory(branch=branch_a)
    for n in range(25):
        document = DigitalDocumentFactory(branch=branch_a, collection=collection if n % 2 else None)
        DigitalPageFactory.create_batch(3, document=document)

    # Count, documents with their library, collection, cover and number of pages.
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert len(response.json()["results"]) == 20
    assert all(row["page_count"] == 3 and row["cover"] for row in response.json()["results"])
