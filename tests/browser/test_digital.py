"""Digitised documents in Chromium: axe on the list, a document and the page viewer, wide and
on a phone, in both languages; the viewer on a phone (the image fits the screen, nothing scrolls
sideways); paging without JavaScript, and with the keyboard where JavaScript runs."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.test_accessibility import WIDTHS, describe

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def serve_media(context):
    """The live server (DEBUG off) serves no uploads; hand the page the files from MEDIA_ROOT
    as the web server in front of it would."""
    root = Path(settings.MEDIA_ROOT)

    def fulfil(route):
        path = root / re.sub(r"^.*?/media/", "", route.request.url.split("?")[0])
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="")

    context.route(re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d+)?/media/"), fulfil)


def first_document():
    from digital.models import DigitalDocument

    return DigitalDocument.objects.published().filter(pages__isnull=False).order_by("pk").first()


def test_the_digitised_pages_have_no_axe_violations_wide_and_on_a_phone(new_context, axe):
    document = first_document()
    assert document is not None, "the demo seed made no digitised documents"
    pages = [
        "/digital/",
        "/en/digital/",
        "/digital/?kind=postcard&decade=1910",
        document.get_absolute_url(),
        f"/digital/{document.pk}/page/1/",
        f"/digital/{document.pk}/page/2/",
        f"/en/digital/{document.pk}/page/1/",
    ]
    context = new_context()
    serve_media(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems = []
    for url in pages:
        for width_name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(url)
            assert response.status == 200, f"{url} answered {response.status}"
            results = axe.run(page)
            if results.violations_count:
                problems.append(
                    f"{url} at {width}px ({width_name}):\n"
                    f"{describe(results.response['violations'])}"
                )
    assert not problems, "\n\n".join(problems)
    assert not errors, errors
    assert not context.blocked_requests, context.blocked_requests


def test_on_a_phone_the_page_image_fits_the_screen_and_opens_full_size(new_context):
    document = first_document()
    context = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    serve_media(context)
    page = context.new_page()

    page.goto(f"/digital/{document.pk}/page/1/")
    image = page.locator(".digital-figure img")
    image.wait_for(state="visible")
    page.wait_for_function("document.querySelector('.digital-figure img').complete")

    box = image.bounding_box()
    assert image.evaluate("img => img.naturalWidth") > 0, "the image did not load"
    assert 0 < box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # A phone of 360 CSS px at 2× picks a web size, not the full scan.
    assert "/media/digital/full/" not in image.evaluate("img => img.currentSrc")
    full = page.get_by_role("link", name=re.compile("Відкрити в повному розмірі"))
    assert "/media/digital/full/" in full.get_attribute("href")


def test_the_viewer_pages_without_javascript(new_context):
    document = first_document()
    context = new_context(viewport=PHONE, java_script_enabled=False)
    serve_media(context)
    page = context.new_page()

    page.goto(f"/digital/{document.pk}/page/1/")
    nav = page.get_by_role("navigation", name="Сторінки документа", exact=True)
    assert nav.get_by_role("link", name=re.compile("Попередня")).count() == 0
    nav.get_by_role("link", name=re.compile("Наступна")).click()
    page.wait_for_url(re.compile(rf"/digital/{document.pk}/page/2/$"))
    assert "сторінка 2 з 2" in page.locator("h1").inner_text()
    assert nav.get_by_role("link", name=re.compile("Наступна")).count() == 0
    nav.get_by_role("link", name=re.compile("Попередня")).click()
    page.wait_for_url(re.compile(rf"/digital/{document.pk}/page/1/$"))


def test_with_javascript_the_arrow_keys_turn_the_pages(new_context):
    document = first_document()
    context = new_context()
    serve_media(context)
    page = context.new_page()

    page.goto(f"/digital/{document.pk}/page/1/")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(rf"/digital/{document.pk}/page/2/$"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(rf"/digital/{document.pk}/page/1/$"))
