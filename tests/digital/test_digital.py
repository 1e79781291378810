"""Digitised documents: uploads and their web sizes, refused files, staff scoping, publishing,
the public list with its filters, the document page and the page viewer (without JavaScript),
their query counts, the indicators and the portal search."""

import io
import re
from datetime import date

import extruct
import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from digital import stats
from digital.images import GPS_IFD, ORIENTATION, image_process
from digital.models import DigitalDocument, DigitalPage
from digital.portal_search import find_documents
from digital.services import digital_document_publish, digital_page_save
from tests.digital.factories import (
    CollectionFactory,
    DigitalDocumentFactory,
    DigitalPageFactory,
    jpeg,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/digital/digitaldocument/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (50.0, 44.0, 50.0)
    gps[3] = "E"
    gps[4] = (25.0, 19.0, 30.0)
    return exif


# --- images -----------------------------------------------------------------------------------


def test_an_upload_loses_its_gps_position_and_gets_three_web_sizes():
    processed = image_process(jpeg(3000, 2000, exif=gps_exif()))

    name, content = processed.full
    full = Image.open(io.BytesIO(content))
    assert GPS_IFD not in full.getexif()
    assert full.getexif()[0x010F] == "Phone maker"  # the rest of EXIF stays
    assert (processed.width, processed.height) == (3000, 2000)
    widths = {key: Image.open(io.BytesIO(data)).size for key, (_n, data) in processed.sizes.items()}
    assert widths == {"large": (1600, 1067), "medium": (800, 534), "thumb": (320, 214)}


def test_a_phone_photo_taken_sideways_is_turned_upright():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotate 90° clockwise to show
    processed = image_process(jpeg(800, 600, exif=exif))

    assert (processed.width, processed.height) == (600, 800)
    full = Image.open(io.BytesIO(processed.full[1]))
    assert ORIENTATION not in full.getexif()


def test_a_page_saved_with_a_scan_has_its_files_and_a_new_scan_replaces_them(branch_a):
    document = DigitalDocumentFactory(branch=branch_a)
    page = digital_page_save(page=DigitalPage(document=document), upload=jpeg(2400, 1800))
    old = [page.image.name, page.large.name, page.medium.name, page.thumb.name]

    assert all(default_storage.exists(name) for name in old)
    assert (page.width, page.height) == (2400, 1800)
    assert page.large_width == 1600 and page.thumb_width == 320

    with TestCase.captureOnCommitCallbacks(execute=True):
        digital_page_save(page=page, upload=jpeg(900, 1200, name="other.jpg"))

    assert not any(default_storage.exists(name) for name in old)
    assert default_storage.exists(page.thumb.name)
    assert (page.width, page.height) == (900, 1200)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.jpg", b"\x00not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile("empty.png", b"", content_type="image/png"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_in_plain_ukrainian(branch_a, upload):
    document = DigitalDocumentFactory(branch=branch_a)

    with pytest.raises(ValidationError, match="не є зображенням"):
        digital_page_save(page=DigitalPage(document=document), upload=upload)


def test_a_gif_is_refused_with_the_formats_to_use(branch_a):
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    upload = SimpleUploadedFile("anim.gif", buffer.getvalue(), content_type="image/gif")

    with pytest.raises(ValidationError, match="JPEG, PNG, TIFF або WebP"):
        digital_page_save(
            page=DigitalPage(document=DigitalDocumentFactory(branch=branch_a)), upload=upload
        )


# --- staff ------------------------------------------------------------------------------------


def admin_form(branch, **extra):
    return {
        "title": "Луцький замок, листівка",
        "kind": "postcard",
        "branch": branch.pk,
        "collection": "",
        "digitised_on": "07.12.2026",
        "date_text": "1910-ті",
        "year_from": "1910",
        "year_to": "1919",
        "place": "Луцьк",
        "people": "",
        "description": "Вид з боку Стиру.",
        "rights": "Суспільне надбання",
        "record": "",
        "pages-TOTAL_FORMS": "1",
        "pages-INITIAL_FORMS": "0",
        "pages-MIN_NUM_FORMS": "0",
        "pages-MAX_NUM_FORMS": "1000",
        "pages-0-position": "1",
        "pages-0-caption": "Замок над Стиром",
        "pages-0-transcription": "",
        **extra,
    }


def test_a_librarian_uploads_a_scan_in_the_admin_and_its_web_sizes_are_made(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)

    response = client.post(
        f"{ADMIN}add/", admin_form(branch_a, **{"pages-0-image": jpeg(2000, 1400)})
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    document = DigitalDocument.objects.get(title="Луцький замок, листівка")
    assert document.branch == branch_a and not document.is_published
    (page,) = document.pages.all()
    assert page.caption == "Замок над Стиром"
    for field in (page.image, page.large, page.medium, page.thumb):
        assert default_storage.exists(field.name)
    assert Image.open(default_storage.open(page.medium.name)).size == (800, 560)


def test_the_admin_refuses_a_text_file_as_a_page_and_keeps_the_description(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)
    bad = SimpleUploadedFile("scan.jpg", b"Hello, I am text", content_type="image/jpeg")

    response = client.post(f"{ADMIN}add/", admin_form(branch_a, **{"pages-0-image": bad}))

    assert response.status_code == 200
    assert "не є зображенням" in text(response)
    assert "Вид з боку Стиру." in text(response)
    assert not DigitalDocument.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(client, branch_a, librarian_a):
    client.force_login(librarian_a)

    response = client.post(
        f"{ADMIN}add/",
        admin_form(branch_a, year_from="1939", year_to="1930", **{"pages-TOTAL_FORMS": "0"}),
    )

    assert "Рік «до» має бути не раніше за рік «від»." in text(response)
    assert not DigitalDocument.objects.exists()


def test_a_librarian_sees_only_their_own_librarys_documents_and_collections(
    client, branch_a, branch_b, librarian_a
):
    own = DigitalDocumentFactory(branch=branch_a, is_published=False)
    other = DigitalDocumentFactory(branch=branch_b, is_published=False)
    CollectionFactory(branch=branch_a, title="Наша колекція")
    CollectionFactory(branch=branch_b, title="Чужа колекція")
    client.force_login(librarian_a)

    assert list(client.get(ADMIN).context["cl"].result_list) == [own]
    assert client.get(f"{ADMIN}{other.pk}/change/").status_code in (302, 403, 404)
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "digital", "model_name": "digitaldocument", "field_name": "collection"},
    ).json()
    assert [row["text"] for row in found["results"]] == ["Наша колекція"]

    refused = client.post(f"{ADMIN}add/", admin_form(branch_b, **{"pages-0-image": jpeg(200, 200)}))
    assert refused.status_code == 200
    assert "branch" in refused.context["adminform"].form.errors


def test_a_document_in_another_librarys_collection_is_refused(branch_a, branch_b):
    document = DigitalDocumentFactory.build(
        branch=branch_a, collection=CollectionFactory(branch=branch_b)
    )

    with pytest.raises(ValidationError, match="іншій бібліотеці"):
        document.full_clean()


def test_publishing_needs_a_page_and_is_logged(client, branch_a, librarian_a):
    document = DigitalDocumentFactory(branch=branch_a, is_published=False)
    client.force_login(librarian_a)

    client.post(ADMIN, {"action": "publish", "_selected_action": [document.pk]})
    document.refresh_from_db()
    assert not document.is_published

    DigitalPageFactory(document=document)
    client.post(ADMIN, {"action": "publish", "_selected_action": [document.pk]})
    document.refresh_from_db()
    assert document.is_published
    assert LogEntry.objects.get(object_id=str(document.pk)).change_message == "Опубліковано"
    with pytest.raises(ValidationError, match="уже опубліковано"):
        digital_document_publish(document=document, publish=True, acting_user=librarian_a)


def test_a_methodologist_sees_every_librarys_documents(client, branch_a, branch_b, methodologist):
    documents = {DigitalDocumentFactory(branch=branch_a), DigitalDocumentFactory(branch=branch_b)}
    client.force_login(methodologist)

    assert set(client.get(ADMIN).context["cl"].result_list) == documents


# --- public pages -----------------------------------------------------------------------------


def test_only_published_documents_are_shown(client, branch_a):
    shown = DigitalPageFactory(document__branch=branch_a, document__title="Показаний").document
    hidden = DigitalPageFactory(
        document__branch=branch_a, document__title="Прихований", document__is_published=False
    ).document

    listing = text(client.get("/digital/"))
    assert "Показаний" in listing and "Прихований" not in listing
    assert client.get(shown.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/digital/{hidden.pk}/page/1/").status_code == 404


def test_the_list_filters_by_kind_decade_collection_library_and_words(client, branch_a, branch_b):
    postcards = CollectionFactory(branch=branch_a, title="Листівки")
    DigitalPageFactory(
        document__branch=branch_a,
        document__collection=postcards,
        document__kind=DigitalDocument.Kind.POSTCARD,
        document__title="Луцький замок",
        document__year_from=1910,
        document__year_to=1919,
    )
    DigitalPageFactory(
        document__branch=branch_b,
        document__kind=DigitalDocument.Kind.LETTER,
        document__title="Лист до матері",
        document__year_from=1946,
        document__year_to=None,
        document__people="Степан Ковальчук",
    )
    DigitalPageFactory(
        document__branch=branch_b,
        document__title="Вулиця у 1930–1950-х",
        document__year_from=1930,
        document__year_to=1950,
    )

    def titles(**params):
        page = text(client.get("/digital/", params))
        return {t for t in ("Луцький замок", "Лист до матері", "Вулиця у") if t in page}

    assert titles(kind="postcard") == {"Луцький замок"}
    assert titles(decade="1940") == {"Лист до матері", "Вулиця у"}
    assert titles(decade="1910") == {"Луцький замок"}
    assert titles(collection=postcards.pk) == {"Луцький замок"}
    assert titles(library=branch_b.slug) == {"Лист до матері", "Вулиця у"}
    assert titles(q="замку") == {"Луцький замок"}  # another case form of «замок»
    assert titles(q="Ковальчуком") == {"Лист до матері"}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "зам\x00ок"},
        {"decade": "9999"},
        {"decade": "\x00"},
        {"collection": "99999999999999999999"},
        {"library": "no-such\x00library"},
        {"kind": "x" * 5000},
        {"q": "я" * 5000},
        {"page": "99999999999999999999"},
    ],
)
def test_odd_input_in_the_filters_is_answered_not_crashed(client, branch_a, params):
    DigitalPageFactory(document__branch=branch_a)

    response = client.get("/digital/", params)

    assert response.status_code in (200, 400)


def test_odd_addresses_are_not_found(client, branch_a):
    document = DigitalPageFactory(document__branch=branch_a).document

    assert client.get(f"/digital/{document.pk}/page/0/").status_code == 404
    assert client.get(f"/digital/{document.pk}/page/99999999999999/").status_code == 404
    assert client.get("/digital/99999999999999999/").status_code == 404


def test_the_viewer_goes_from_the_first_page_to_the_last_without_javascript(client, branch_a):
    document = DigitalDocumentFactory(branch=branch_a, title="Лист Степана")
    for position in (3, 1, 2):  # pages come in their order, not the order they were added
        DigitalPageFactory(
            document=document,
            position=position,
            caption=f"Аркуш {position}",
            transcription="Дорога мамо!" if position == 1 else "",
        )
    url = f"/digital/{document.pk}/page/"

    first = text(client.get(f"{url}1/"))
    assert 'alt="Аркуш 1"' in first
    assert f'href="{url}2/" rel="next"' in first
    assert 'rel="prev"' not in first.split("</head>")[1]
    assert "Дорога мамо!" in first and "Транскрипція" in first
    assert "сторінка 1 з 3" in first
    assert "Відкрити в повному розмірі (2000 × 1500 пікселів)" in first

    middle = text(client.get(f"{url}2/"))
    assert f'href="{url}1/" rel="prev"' in middle and f'href="{url}3/" rel="next"' in middle

    last = text(client.get(f"{url}3/"))
    assert 'alt="Аркуш 3"' in last
    assert f'href="{url}2/" rel="prev"' in last
    assert 'rel="next"' not in last.split("</head>")[1]
    assert "Транскрипція" not in last
    assert client.get(f"{url}4/").status_code == 404


def test_the_viewer_offers_every_web_size_for_the_screen_to_choose(client, branch_a):
    page = DigitalPageFactory(document__branch=branch_a, width=3000, height=2000, caption="")
    html = text(client.get(f"/digital/{page.document_id}/page/1/"))

    srcset = re.search(r'srcset="([^"]+)"', html).group(1)
    assert srcset == (
        f"/media/{page.thumb.name} 320w, /media/{page.medium.name} 800w, "
        f"/media/{page.large.name} 1600w"
    )
    assert 'width="1600" height="1067"' in html
    # No caption: the alt text names the document and the page.
    assert f'alt="{page.document.title}, сторінка 1"' in html
    assert f'<a href="/media/{page.image.name}">' in html


def test_the_document_page_describes_it_and_links_every_page(client, branch_a):
    document = DigitalDocumentFactory(
        branch=branch_a,
        kind=DigitalDocument.Kind.PHOTOGRAPH,
        title="Випускники гімназії",
        place="Луцьк, Театральний майдан",
    )
    DigitalPageFactory.create_batch(2, document=document)

    response = client.get(document.get_absolute_url())
    html = text(response)

    assert "Театральний майдан" in html and "Другий абзац." in html
    assert f"/digital/{document.pk}/page/2/" in html
    found = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    (item,) = [item for item in found if "Photograph" in item["@type"]]
    assert item["name"] == "Випускники гімназії"
    assert "ArchiveComponent" in item["@type"]
    assert item["holdingArchive"]["name"] == branch_a.name


def test_the_english_pages_answer_under_en(client, branch_a):
    page = DigitalPageFactory(document__branch=branch_a)

    listing = client.get("/en/digital/")
    assert listing.status_code == 200
    assert "Digitised documents" in text(listing)
    viewer = text(client.get(f"/en/digital/{page.document_id}/page/1/"))
    assert "Next" in viewer or "Previous" in viewer or "page 1 of 1" in viewer
    assert client.get(f"/en/digital/{page.document_id}/").status_code == 200


# The count, the rows (with cover and page count), the collections and the libraries of the
# filters (the footer is cached by the page before).
LIST_QUERIES = 4


def test_the_list_runs_the_same_number_of_queries_for_2_or_30_documents(
    client, branch_a, branch_b, django_assert_num_queries
):
    DigitalPageFactory.create_batch(2, document__branch=branch_a)
    client.get("/digital/")
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/digital/").status_code == 200

    collection = CollectionFactory(branch=branch_b)
    for _n in range(28):
        DigitalPageFactory.create_batch(
            2, document=DigitalDocumentFactory(branch=branch_b, collection=collection)
        )

    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/digital/", {"q": "Луцька", "decade": "1930"}).status_code == 200


def test_the_document_page_and_the_viewer_run_the_same_queries_for_1_or_40_pages(
    client, branch_a, django_assert_num_queries
):
    document = DigitalDocumentFactory(branch=branch_a)
    DigitalPageFactory(document=document)
    client.get(document.get_absolute_url())

    def counted():
        # Document: the document, its subjects, the pages' count and rows (footer cached).
        with django_assert_num_queries(4):
            assert client.get(document.get_absolute_url()).status_code == 200
        # Viewer: the document with its page count, the page (footer cached).
        with django_assert_num_queries(2):
            assert client.get(f"/digital/{document.pk}/page/1/").status_code == 200

    counted()
    DigitalPageFactory.create_batch(39, document=document)
    counted()


def test_the_sitemap_lists_published_documents_in_both_languages(client, branch_a):
    page = DigitalPageFactory(document__branch=branch_a)
    hidden = DigitalDocumentFactory(branch=branch_a, is_published=False)

    xml = client.get("/sitemap-digital.xml").content.decode()

    assert f"/digital/{page.document_id}/</loc>" in xml
    assert f"/en/digital/{page.document_id}/</loc>" in xml
    assert f"/digital/{hidden.pk}/</loc>" not in xml


def test_the_portal_search_finds_documents_as_the_list_does(client, branch_a):
    DigitalPageFactory(document__branch=branch_a, document__title="Луцький замок")
    DigitalPageFactory(document__branch=branch_a, document__title="Лист до матері")

    found = find_documents("замку", 5)

    assert found.count == 1
    assert [hit.title for hit in found.hits] == ["Луцький замок"]
    assert "Луцький замок" in text(client.get("/search/", {"q": "замку"}))


# --- indicators and demo ----------------------------------------------------------------------


def test_the_indicators_count_documents_and_pages_by_year_of_digitisation(branch_a, branch_b):
    one = DigitalDocumentFactory(branch=branch_a, digitised_on=date(2019, 5, 1))
    DigitalPageFactory.create_batch(3, document=one)
    draft = DigitalDocumentFactory(
        branch=branch_a, digitised_on=date(2019, 12, 31), is_published=False
    )
    DigitalPageFactory(document=draft)
    DigitalPageFactory(document__branch=branch_b, document__digitised_on=date(2020, 1, 1))

    assert stats.documents(years=[2019, 2020]) == {
        (branch_a.pk, 2019): 2,
        (branch_b.pk, 2020): 1,
    }
    assert stats.pages(years=[2019]) == {(branch_a.pk, 2019): 4}
    assert stats.pages(years=[2019, 2020], branch_ids=[branch_b.pk]) == {(branch_b.pk, 2020): 1}


def test_the_demo_makes_published_documents_with_drawn_pages():
    import random

    from digital import demo

    made = demo.seed(rng=random.Random(1))

    assert made > 0
    assert DigitalDocument.objects.published().filter(is_demo=True).count() == len(demo.DOCUMENTS)
    page = DigitalPage.objects.filter(document__is_demo=True).first()
    assert default_storage.exists(page.thumb.name)
    assert demo.seed(rng=random.Random(1)) == 0


def test_the_latest_documents_block_for_the_local_lore_section_costs_one_query(
    branch_a, django_assert_num_queries
):
    from django.template import Context, Template

    DigitalPageFactory(document__branch=branch_a, document__title="Старіший")
    DigitalPageFactory(document__branch=branch_a, document__title="Новіший")
    DigitalDocumentFactory(branch=branch_a, title="Чернетка", is_published=False)
    block = Template("{% load digital_tags %}{% latest_digital 5 %}")

    with django_assert_num_queries(1):
        html = block.render(Context({}))

    assert html.index("Новіший") < html.index("Старіший")
    assert "Чернетка" not in html
