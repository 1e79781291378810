"""Lending from end to end in a real browser (issue 12's «done when»): a reader signs up
online, the desk confirms the document, the reader reserves a lent book from its record page,
the desk's check-in puts the returned copy aside for them (and they are told at once), the
desk lends it, the reader renews it from «Мій формуляр», and it comes back at another
library, which sends it home. Keyboard only for the reader's and the desk's steps; axe on
every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ReaderProfile, StaffProfile
from branches.models import Branch
from catalog.models import Item
from circulation.models import Hold, Loan, Transit
from circulation.notices import NOTICE_TEMPLATE
from circulation.services import loan_checkout
from core.models import OutgoingMail
from tests.browser.test_accessibility import describe
from tests.browser.test_egov import PASSWORD as STAFF_PASSWORD
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.factories import make_reader_profile
from tests.factories import make_staff

pytestmark = pytest.mark.browser

READER_PASSWORD = "Sosnovyi-Lis-2026"
TITLE = "Місто"


def axe_clean(axe, page):
    results = axe.run(page)
    assert not results.violations_count, describe(results.response["violations"])


def type_into(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)


def press_enter_on(page, selector):
    page.focus(selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def staff_signs_in(new_context, username, next_url):
    page = new_context().new_page()
    page.goto(f"/admin/login/?next={next_url}")
    type_into(page, "#id_username", username)
    type_into(page, "#id_password", STAFF_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page


def scan(page, code):
    """A barcode scanner types into the focused field and presses Enter."""
    field = page.locator("#id_code")
    expect(field).to_be_focused()
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def libraries(site):
    branch_5 = Branch.objects.get(slug="branch-5")
    branch_7 = Branch.objects.get(slug="branch-7")
    librarian_5, _librarian_7 = (
        make_staff(
            username=username,
            role=StaffProfile.Role.LIBRARIAN,
            branch=branch,
            group_name="Бібліотекар",
        )
        for username, branch in (("vydacha5", branch_5), ("vydacha7", branch_7))
    )
    record = RecordFactory(title=TITLE)
    copy = ItemFactory(
        record=record,
        branch=branch_5,
        inventory_number="FLOW-0001",
        added_at=timezone.now() - timedelta(days=3 * 365),
    )
    # Out with another reader: the new reader has to reserve it.
    loan_checkout(
        item=copy,
        reader=make_reader_profile(branch=branch_5, username="inshyi"),
        branch=branch_5,
        acting_user=librarian_5,
    )
    return branch_5, branch_7, record, copy


def test_a_reader_signs_up_reserves_borrows_renews_and_returns_at_another_library(
    new_context, libraries, axe
):
    branch_5, branch_7, record, copy = libraries

    # 1. The reader signs up online, confirms the e-mail and signs in with the card number.
    reader_page = new_context().new_page()
    reader_page.goto("/accounts/signup/")
    axe_clean(axe, reader_page)
    type_into(reader_page, "#id_first_name", "Олена")
    type_into(reader_page, "#id_last_name", "Ковальчук")
    type_into(reader_page, "#id_birth_year", "1990")
    type_into(reader_page, "#id_email", "olena@example.org")
    reader_page.focus("#id_home_branch")
    reader_page.select_option("#id_home_branch", label=branch_5.name)
    type_into(reader_page, "#id_password1", READER_PASSWORD)
    type_into(reader_page, "#id_password2", READER_PASSWORD)
    reader_page.focus("#id_consent")
    reader_page.keyboard.press("Space")
    press_enter_on(reader_page, "form[action='/accounts/signup/'] button[type=submit]")
    expect(reader_page.locator("h1")).to_have_text("Підтвердьте е-пошту")
    from django.template.loader import render_to_string
    from django.utils import translation

    letter = OutgoingMail.objects.get(to="olena@example.org")
    with translation.override(letter.language):
        body = render_to_string(f"{letter.template}.txt", {**letter.context})
    reader_page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0))
    press_enter_on(reader_page, "main button[type=submit]")
    profile = ReaderProfile.objects.get(user__email="olena@example.org")
    assert profile.status == ReaderProfile.Status.PRE_REGISTERED
    reader_page.goto("/accounts/login/")
    type_into(reader_page, "#id_login", profile.card_number)
    type_into(reader_page, "#id_password", READER_PASSWORD)
    with reader_page.expect_navigation():
        reader_page.keyboard.press("Enter")
    expect(reader_page.locator("h1")).to_have_text("Мій формуляр")

    # 2. At the desk of branch 5 the reader shows a document: the librarian confirms it.
    desk_5 = staff_signs_in(
        new_context, "vydacha5", f"/admin/accounts/readerprofile/{profile.pk}/change/"
    )
    axe_clean(axe, desk_5)
    press_enter_on(desk_5, "button[form=reader-confirm]")
    expect(desk_5.locator(".messagelist")).to_contain_text("Документ перевірено")
    profile.refresh_from_db()
    assert profile.status == ReaderProfile.Status.ACTIVE

    # 3. The reader reserves the lent book from its record page, for pickup at branch 5.
    reader_page.goto(record.get_absolute_url())
    axe_clean(axe, reader_page)
    order = reader_page.get_by_role("link", name="Замовити")
    order.focus()
    with reader_page.expect_navigation():
        order.press("Enter")
    axe_clean(axe, reader_page)
    pickup = reader_page.get_by_label("Де забрати")
    pickup.focus()
    pickup.select_option(str(branch_5.pk))
    reader_page.keyboard.press("Tab")
    with reader_page.expect_navigation():
        reader_page.keyboard.press("Enter")
    expect(reader_page.get_by_text("Ви 1-й у черзі з 1.")).to_be_visible()
    axe_clean(axe, reader_page)

    # 4. The other reader returns the copy at branch 5: it goes on the hold shelf, and the
    # reader is told at once.
    desk_5.goto("/desk/checkin/")
    axe_clean(axe, desk_5)
    scan(desk_5, copy.inventory_number)
    expect(desk_5.get_by_role("status")).to_contain_text(
        f"На полицю замовлень: чекає на читача з квитком № {profile.card_number}"
    )
    axe_clean(axe, desk_5)
    hold = Hold.objects.get(reader=profile)
    assert hold.status == Hold.Status.READY
    told = OutgoingMail.objects.get(template=NOTICE_TEMPLATE, to="olena@example.org")
    assert [line["title"] for line in told.context["ready"]] == [TITLE]

    # 5. The desk lends it: the card, then the copy.
    desk_5.goto("/desk/checkout/")
    scan(desk_5, profile.card_number)
    scan(desk_5, copy.inventory_number)
    expect(desk_5.get_by_role("status")).to_contain_text(f"Видано «{TITLE}» (FLOW-0001) до")
    axe_clean(axe, desk_5)
    loan = Loan.objects.open().get(item=copy)
    assert loan.reader == profile
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.FULFILLED

    # 6. Three weeks later (the loan moved back in time) the reader renews it from /me/.
    today = timezone.localdate()
    Loan.objects.filter(pk=loan.pk).update(
        loaned_at=timezone.now() - timedelta(days=21), due_on=today + timedelta(days=2)
    )
    reader_page.goto("/me/")
    axe_clean(axe, reader_page)
    press_enter_on(reader_page, f"button[aria-label='Продовжити «{TITLE}»']")
    expect(reader_page.get_by_text(f"«{TITLE}» продовжено до")).to_be_visible()
    axe_clean(axe, reader_page)
    loan.refresh_from_db()
    assert loan.renewals_used == 1 and loan.due_on > today + timedelta(days=2)

    # 7. The reader returns it at branch 7: it goes in transit home to branch 5.
    desk_7 = staff_signs_in(new_context, "vydacha7", "/desk/checkin/")
    scan(desk_7, copy.inventory_number)
    expect(desk_7.get_by_role("status")).to_contain_text(
        f"В дорогу до бібліотеки «{branch_5.name}»"
    )
    axe_clean(axe, desk_7)
    loan.refresh_from_db()
    copy.refresh_from_db()
    assert loan.returned_branch == branch_7
    assert copy.status == Item.Status.IN_TRANSIT
    assert Transit.objects.get(item=copy, received_at__isnull=True).to_branch == branch_5
