"""The admin's counters in a real browser: the action bar's script counts what is ticked
(«Вибрано 2 з 6», djangojs.po) and the list counts its rows in Ukrainian grammar («6
примірників», core.counting)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_writeoff import sign_in
from tests.catalog.factories import ItemFactory

pytestmark = pytest.mark.browser


def test_the_action_counter_and_the_list_count_read_as_ukrainian(
    site, librarian_a, branch_a, new_context
):
    items = [
        ItemFactory(branch=branch_a, inventory_number=f"05-100000{n}", barcode=f"481000{n}")
        for n in range(6)
    ]
    page = new_context().new_page()
    sign_in(page, librarian_a, "/admin/catalog/item/")

    expect(page.locator(".action-counter")).to_have_text("Вибрано 0 з 6")
    expect(page.locator("p.paginator")).to_contain_text("6 примірників")
    for item in items[:2]:
        page.get_by_role("row", name=item.inventory_number).get_by_role("checkbox").check()

    expect(page.locator(".action-counter")).to_have_text("Вибрано 2 з 6")
