"""A librarian of branch 5 in the admin, in a real browser: she writes off copies picked in the
list of copies, and takes in new copies by scanning the ISBN from the book (with JavaScript:
suggestions under the box; without it: «Знайти», then a pick). axe checks every page she sees.
"""

import re

import pytest
from playwright.sync_api import expect

from catalog.indexing import records_reindex
from catalog.models import IntakeBatch, Item, Withdrawal
from tests.browser.test_accessibility import describe
from tests.catalog.factories import ItemFactory, RecordFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"
ISBN = "978-966-03-4581-2"


def sign_in(page, user, next_url):
    page.goto(f"/admin/login/?next={next_url}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{next_url}")


def assert_accessible(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])


@pytest.fixture
def batch(site, branch_a):
    return IntakeBatch.objects.create(
        branch=branch_a, source=IntakeBatch.Source.BUDGET, act_number="21"
    )


def test_a_librarian_writes_off_two_worn_out_copies_from_the_list(
    site, librarian_a, branch_a, branch_b, new_context, axe
):
    worn = [
        ItemFactory(branch=branch_a, inventory_number=f"05-000000{n}", barcode=f"480000{n}")
        for n in (1, 2)
    ]
    kept = ItemFactory(branch=branch_a, inventory_number="05-0000003")
    elsewhere = ItemFactory(branch=branch_b, inventory_number="07-0000001")
    page = new_context().new_page()
    sign_in(page, librarian_a, "/admin/catalog/item/")

    # Another library's copy is not even in her list.
    expect(page.get_by_role("link", name=elsewhere.inventory_number)).to_have_count(0)
    for item in worn:
        page.get_by_role("row", name=item.inventory_number).get_by_role("checkbox").check()
    page.get_by_label("Дія").select_option(label="Списати вибрані примірники (скласти акт)")
    page.get_by_role("button", name="Вперед").click()

    expect(page.get_by_role("heading", name="Списання примірників")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label(re.compile("^Номер акта")).fill("12")
    page.get_by_label(re.compile("^Причина")).select_option(label="Зношеність")
    page.get_by_role("button", name="Списати").click()

    expect(page.get_by_text("Списано 2 примірники за актом № 12.")).to_be_visible()
    act = Withdrawal.objects.get()
    assert set(act.items.values_list("pk", flat=True)) == {item.pk for item in worn}
    assert Item.objects.get(pk=kept.pk).status == Item.Status.ON_SHELF
    assert Item.objects.get(pk=elsewhere.pk).status == Item.Status.ON_SHELF


def test_a_librarian_adds_copies_by_scanning_the_isbn_and_picking_a_suggestion(
    site, librarian_a, batch, new_context, axe
):
    record = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], isbn="9789660345812")
    records_reindex([record.pk])
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = f"/admin/catalog/intakebatch/{batch.pk}/add-copies/"
    sign_in(page, librarian_a, url)
    assert_accessible(axe, page)

    box = page.get_by_role("combobox", name="Рядок 1: ISBN, назва або автор")
    box.press_sequentially(ISBN)
    suggestion = page.get_by_role("option", name="Лісова пісня / Українка, Леся")
    expect(suggestion).to_be_visible()
    assert_accessible(axe, page)
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(f"Лісова пісня / Українка, Леся, 2020, {ISBN} (№ {record.pk})")
    page.get_by_label("Рядок 1: Штрихкоди").fill("4900001\n4900002\n4900003\n")
    page.get_by_role("button", name="Додати примірники").click()

    expect(page.get_by_text("Додано 3 примірники:")).to_be_visible()
    assert sorted(batch.items.values_list("barcode", flat=True)) == [
        "4900001",
        "4900002",
        "4900003",
    ]
    assert not errors


def test_without_javascript_a_librarian_finds_by_title_picks_and_creates_a_missing_record(
    site, librarian_a, batch, new_context
):
    # axe itself runs as JavaScript, so it checks these pages in the test above.
    older = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], year=1990)
    newer = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], year=2021)
    records_reindex([older.pk, newer.pk])
    page = new_context(java_script_enabled=False).new_page()
    url = f"/admin/catalog/intakebatch/{batch.pk}/add-copies/"
    sign_in(page, librarian_a, url)

    page.get_by_label("Рядок 1: ISBN, назва або автор").fill("лісова пісня")
    page.get_by_label("Рядок 1: Примірників").fill("2")
    # Enter in a box presses the first button of the form: «Знайти», which adds nothing.
    page.get_by_label("Рядок 1: ISBN, назва або автор").press("Enter")
    page.get_by_role("group", name="Оберіть запис для рядка 1").get_by_label(
        "Лісова пісня / Українка, Леся, 2021", exact=False
    ).check()

    page.get_by_label(re.compile("^Назва")).fill("Місто")
    page.get_by_label("Автор", exact=True).fill("Підмогильний, Валерʼян")
    page.get_by_label("ISBN", exact=True).fill("978-966-03-4581-3")
    page.get_by_role("button", name="Створити запис").click()
    expect(
        page.get_by_text("«978-966-03-4581-3» — не дійсний ISBN: перевірте цифри.")
    ).to_be_visible()
    page.get_by_label("ISBN", exact=True).fill(ISBN)
    page.get_by_role("button", name="Створити запис").click()
    expect(page.get_by_text("Створено запис «Місто»; його вибрано в рядку 2.")).to_be_visible()
    page.get_by_role("button", name="Додати примірники").click()

    expect(page.get_by_text("Додано 3 примірники:")).to_be_visible()
    assert sorted(batch.items.values_list("record__title", "record__year")) == [
        ("Лісова пісня", 2021),
        ("Лісова пісня", 2021),
        ("Місто", None),
    ]
