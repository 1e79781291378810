"""The circulation desk in a real browser, keyboard only, as with a barcode scanner: it types
the number and presses Enter. The field is focused and empty again after every scan; axe
checks each page."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import StaffProfile
from branches.models import Branch
from catalog.models import Item
from circulation.models import Loan
from core.tz import KYIV
from tests.browser.test_accessibility import describe
from tests.browser.test_egov import PASSWORD
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.factories import make_reader_profile
from tests.factories import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def lending(site):
    branch = Branch.objects.get(slug="branch-5")
    make_staff(
        username="vydacha5",
        role=StaffProfile.Role.LIBRARIAN,
        branch=branch,
        group_name="Бібліотекар",
    )
    reader = make_reader_profile(branch=branch, username="chytachka")
    item = ItemFactory(
        record=RecordFactory(title="Intermezzo"),
        branch=branch,
        inventory_number="DESK-0001",
        status=Item.Status.ON_SHELF,
        added_at=datetime(2020, 1, 1, tzinfo=KYIV),
    )
    return reader, item


def _check_axe(axe, page):
    result = axe.run(page)
    assert result.violations_count == 0, describe(result.response["violations"])


def _scan(page, code):
    field = page.locator("#id_code")
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_a_librarian_lends_and_takes_back_a_book_with_the_keyboard_only(new_context, lending, axe):
    reader, item = lending
    page = new_context().new_page()
    page.goto("/admin/login/?next=/desk/checkout/")
    page.locator("#id_username").fill("vydacha5")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/desk/checkout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Видача")
    _check_axe(axe, page)

    _scan(page, reader.card_number)
    expect(page.locator("#reader-heading")).to_contain_text(reader.card_number)
    _check_axe(axe, page)

    _scan(page, item.inventory_number)
    expect(page.get_by_role("status")).to_contain_text("Видано «Intermezzo» (DESK-0001) до")
    expect(page.get_by_role("row", name="Intermezzo")).to_contain_text("щойно видано")
    expect(page.locator("#id_code")).to_be_focused()
    _check_axe(axe, page)
    assert Loan.objects.get(item=item).reader == reader

    page.get_by_role("link", name="Квитанція").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Квитанція про видачу")
    expect(page.get_by_role("cell", name="Intermezzo")).to_be_visible()
    _check_axe(axe, page)

    page.goto("/desk/checkin/")
    _scan(page, item.inventory_number)
    expect(page.get_by_role("status")).to_contain_text("«Intermezzo» (DESK-0001): На полицю.")
    expect(page.locator("#id_code")).to_be_focused()
    _check_axe(axe, page)
    item.refresh_from_db()
    assert item.status == Item.Status.ON_SHELF
