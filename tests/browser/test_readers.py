"""A reader signs up online, verifies the e-mail from the letter, signs in with the card
number, sees «Мій формуляр» and prints the card: keyboard only, axe on every page."""

import re

import pytest

from tests.browser.test_accessibility import describe

pytestmark = pytest.mark.browser

PASSWORD = "Sosnovyi-Lis-2026"


def axe_clean(axe, page):
    results = axe.run(page)
    assert not results.violations_count, describe(results.response["violations"])


def type_into(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)


def test_a_reader_signs_up_verifies_signs_in_with_the_card_and_prints_it(page, axe):
    from core.models import OutgoingMail

    page.goto("/accounts/signup/")
    assert page.locator("h1").inner_text() == "Запис до бібліотеки онлайн"
    axe_clean(axe, page)

    type_into(page, "#id_first_name", "Олена")
    page.keyboard.press("Tab")
    page.keyboard.type("Ковальчук")
    type_into(page, "#id_birth_year", "1990")
    type_into(page, "#id_email", "olena@example.org")
    type_into(page, "#id_phone", "067 123 45 67")
    page.focus("#id_home_branch")
    page.select_option("#id_home_branch", label="Бібліотека-філія № 5")
    type_into(page, "#id_password1", PASSWORD)
    type_into(page, "#id_password2", PASSWORD)
    page.focus("#id_consent")
    page.keyboard.press("Space")
    page.focus("form[action='/accounts/signup/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("h1").inner_text() == "Підтвердьте е-пошту"
    axe_clean(axe, page)

    # The letter waits in the outbox; its text is rendered the way the worker sends it.
    from django.template.loader import render_to_string
    from django.utils import translation

    letter = OutgoingMail.objects.get(to="olena@example.org")
    with translation.override(letter.language):
        body = render_to_string(f"{letter.template}.txt", {**letter.context})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)
    page.goto(link)
    axe_clean(axe, page)
    page.focus("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    from accounts.models import ReaderProfile

    card = ReaderProfile.objects.get(user__email="olena@example.org").card_number
    page.goto("/accounts/login/")
    axe_clean(axe, page)
    type_into(page, "#id_login", card)
    type_into(page, "#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/me/")
    assert page.locator("h1").inner_text() == "Мій формуляр"
    assert card in page.locator(".card-number").inner_text()
    assert "Попередньо записаний" in page.content()
    axe_clean(axe, page)

    page.goto("/me/card/")
    assert page.locator(".library-card-number").inner_text() == card
    assert page.locator("img.library-card-barcode").evaluate("img => img.naturalWidth") > 0
    axe_clean(axe, page)

    page.goto("/en/me/")
    assert page.locator("h1").inner_text() == "My library record"
    axe_clean(axe, page)

    page.goto("/accounts/password/change/")
    axe_clean(axe, page)

    # Closing the account, keyboard only: tick the confirmation, press the button.
    page.goto("/me/close/")
    axe_clean(axe, page)
    page.focus("#id_confirm")
    page.keyboard.press("Space")
    page.focus("main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Обліковий запис закрито"
    axe_clean(axe, page)
    assert not ReaderProfile.objects.get(card_number=card).user.is_active
