"""The portal's search box in a real browser, without JavaScript: typed into the header of an
ordinary page at phone width, it lands on /search/ with results by kind, axe-clean, and each
kind leads to its section's own search with the query carried over."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import describe
from tests.browser.test_flows import widest_elements

pytestmark = pytest.mark.browser


def test_the_header_search_finds_across_the_portal_without_javascript(new_context, axe):
    context = new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/branches/")

    header_search = page.get_by_role("search", name="Пошук на порталі")
    expect(header_search).to_be_visible()
    assert not widest_elements(page), widest_elements(page)
    header_search.get_by_label("Шукати книги, події, клуби, е-послуги й бібліотеки").fill(
        "Ковельська"
    )
    header_search.get_by_role("button", name="Знайти").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=%D0%9A"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Пошук на порталі")
    libraries = page.get_by_role("region", name=re.compile("^Бібліотеки"))
    expect(libraries.get_by_role("listitem").first).to_be_visible()
    results = axe.run(page)
    assert not results.violations_count, describe(results.response["violations"])
    assert not widest_elements(page), widest_elements(page)

    libraries.get_by_role("link", name=re.compile("Усі результати")).click()
    expect(page).to_have_url(re.compile(r"/branches/\?q="))
    expect(page.locator(".card-list .card-title")).not_to_have_count(0)
