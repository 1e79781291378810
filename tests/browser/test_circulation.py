"""A reader reserves a book from its record page with the keyboard only, in a real browser;
axe checks the record page and the «Замовити» page, in Ukrainian and in English."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from circulation.models import Hold
from circulation.services import loan_checkout
from tests.browser.test_accessibility import describe
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.browser


def signed_in_context(new_context, site, user):
    """A browser context with the user's session (the readers' sign-in page is not needed
    for this flow)."""
    client = Client()
    client.force_login(user)
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    return context


def assert_accessible(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])


def test_a_reader_reserves_a_lent_book_with_the_keyboard(
    site, new_context, axe, branch_a, branch_b, librarian_a
):
    record = RecordFactory(title="Тіні забутих предків")
    copy = ItemFactory(record=record, branch=branch_a)
    loan_checkout(
        item=copy,
        reader=make_reader_profile(branch=branch_a),
        branch=branch_a,
        acting_user=librarian_a,
    )
    reader = make_reader_profile(branch=branch_a, username="solomiia")
    page = signed_in_context(new_context, site, reader.user).new_page()

    page.goto(record.get_absolute_url())
    expect(page.get_by_text("Видано до")).to_be_visible()
    assert_accessible(axe, page)
    link = page.get_by_role("link", name="Замовити")
    link.focus()
    link.press("Enter")

    page.wait_for_url(f"**/lending/hold/{record.pk}/")
    assert_accessible(axe, page)
    choice = page.get_by_label("Де забрати")
    choice.focus()
    choice.select_option(str(branch_b.pk))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Ви 1-й у черзі з 1.")).to_be_visible()
    assert_accessible(axe, page)
    assert Hold.objects.get(reader=reader).pickup_branch == branch_b

    page.goto(f"/en/lending/hold/{record.pk}/")
    expect(page.get_by_text("You are number 1 of 1 in the queue.")).to_be_visible()
    assert_accessible(axe, page)
