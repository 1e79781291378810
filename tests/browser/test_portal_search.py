"""The portal's search box in a real browser: typed into the header of an ordinary page with
JavaScript off, it lands on /search/ with results by kind, and each kind leads to its
section's own search with the query carried over; at phone width nothing sticks out. (axe
checks /search/ in test_accessibility.py, wide and narrow.)"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_flows import widest_elements

pytestmark = pytest.mark.browser


def test_the_header_search_finds_across_the_portal_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/branches/")

    header_search = page.get_by_role("search", name="Пошук на порталі")
    header_search.get_by_label("Шукати книги, події, клуби, е-послуги й бібліотеки").fill(
        "Ковельська"
    )
    header_search.get_by_role("button", name="Знайти").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=%D0%9A"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Пошук на порталі")
    libraries = page.get_by_role("region", name=re.compile("^Бібліотеки"))
    expect(libraries.get_by_role("listitem")).to_have_count(1)

    libraries.get_by_role("link", name=re.compile("Усі результати")).click()
    expect(page).to_have_url(re.compile(r"/branches/\?q="))
    expect(page.locator(".card-list .card-title")).to_have_count(1)


def test_the_header_search_and_the_results_fit_a_phone(new_context):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    for path in ("/events/", "/search/?q=бібліотека"):
        page.goto(path)
        expect(page.get_by_role("search", name="Пошук на порталі")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, widest_elements(page))
