"""The local-lore section in a browser: axe on every page, wide and on a phone, and a visitor
without JavaScript going from the landing to a person, their work, and an article's source."""

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Record
from tests.browser.test_accessibility import WIDTHS, describe
from tests.browser.test_catalog import watch_errors
from tests.browser.test_flows import widest_elements

pytestmark = pytest.mark.browser

PAGES = {
    "lore": "/catalog/local-lore/",
    "en-lore": "/en/catalog/local-lore/",
    "lore-people": "/catalog/local-lore/people/",
    "lore-people-search": "/catalog/local-lore/people/?q=Українки&writers=on",
    "lore-people-none": "/catalog/local-lore/people/?q=абракадабра",
    "lore-person": "/catalog/local-lore/people/lesya-ukrainka/",
    "en-lore-person": "/en/catalog/local-lore/people/lesya-ukrainka/",
    "lore-places": "/catalog/local-lore/places/?kind=river",
    "lore-place": "/catalog/local-lore/places/lutsk/",
    "lore-source": "{host}",
    "lore-article": "{article}",
}


def _path(name):
    host = Record.objects.get(source_id="demo-lore:host")
    article = host.components.order_by("pk").first()
    return PAGES[name].format(host=host.get_absolute_url(), article=article.get_absolute_url())


@pytest.mark.parametrize("name", PAGES)
def test_local_lore_page_has_no_axe_violations_and_fits_a_phone(new_context, artifacts, axe, name):
    path = _path(name)
    context = new_context()
    page = context.new_page()
    errors = watch_errors(page)
    problems = []
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)
        results = axe.run(page)
        if results.violations_count:
            problems.append(
                f"{path} at {width}px ({width_name}): {results.violations_count} "
                f"violation(s)\n{describe(results.response['violations'])}"
            )
        if width_name == "narrow":
            assert page.evaluate("document.documentElement.scrollWidth") <= width, widest_elements(
                page
            )
    assert not problems, "\n\n".join(problems)
    assert not errors, errors
    assert not context.blocked_requests


def test_without_javascript_a_visitor_reaches_a_persons_work_and_an_articles_source(
    new_context,
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/catalog/local-lore/")

    page.get_by_role("link", name="Українка, Леся").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Українка, Леся")
    page.get_by_role("link", name="Лісова пісня").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Лісова пісня")

    page.goto("/catalog/local-lore/")
    page.get_by_role("link", name="Як Стир змінив Луцьк").click()
    expect(page.locator(".record-host")).to_contain_text("Джерело: Волинь-нова, 2021, № 34, с. 9")
    page.locator(".record-host a").click()
    expect(page.get_by_role("heading", name="Статті в цьому виданні")).to_be_visible()

    page.goto("/catalog/local-lore/")
    search = page.get_by_role("search", name="Книги, статті й документи про Луцьк і Волинь")
    search.get_by_role("searchbox").fill("Луцьк")
    search.get_by_role("button", name="Знайти").click()
    expect(page).to_have_url(re.compile(r"/catalog/local-lore/search/\?q="))
