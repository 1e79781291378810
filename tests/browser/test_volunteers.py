"""Volunteering in a real browser: a visitor applies as a volunteer, gets an error, corrects it
and is thanked; an active volunteer signs up without JavaScript; axe on every page,
in Ukrainian and English (axe itself needs JavaScript, so it runs with it on)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import describe
from volunteers import services
from volunteers.models import Application

pytestmark = pytest.mark.browser


def assert_axe_clean(page, axe):
    results = axe.run(page)
    assert not results.violations_count, f"{page.url}\n{describe(results.response['violations'])}"


PAGES = [
    "/volunteers/",
    "/volunteers/apply/",
    "/volunteers/apply/thanks/",
    "/volunteers/opportunities/",
    "/volunteers/home-delivery/",
    "/volunteers/home-delivery/thanks/",
]
FORMS = {"/volunteers/apply/": "Надіслати анкету", "/volunteers/home-delivery/": "Надіслати заявку"}


def test_every_volunteer_page_has_no_axe_violations_in_both_languages(page, site, axe):
    volunteer = Application.objects.filter(status="active", is_demo=True).first()
    # A volunteer with a home delivery to make: the page then lists the reader's address.
    courier = Application.objects.filter(deliveries__status="assigned").first()
    personal = [
        volunteer.get_personal_url(),
        volunteer.get_personal_url() + "certificate/",
        courier.get_personal_url(),
    ]
    for language in ("", "/en"):
        for path in PAGES + personal:
            response = page.goto(language + path)
            assert response.status == 200, language + path
            assert_axe_clean(page, axe)
    # The error states: empty forms sent as they are.
    for path, button in FORMS.items():
        page.goto(path)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert").first).to_contain_text("Форму не надіслано")
        assert_axe_clean(page, axe)
    page.goto(volunteer.get_personal_url())
    page.get_by_role("button", name="Внести години").click()
    expect(page.get_by_role("alert").first).to_contain_text("Години не внесено")
    assert_axe_clean(page, axe)


def test_the_certificate_prints_without_the_site_around_it(page, site):
    volunteer = (
        Application.objects.filter(status="active", is_demo=True, hours__approved_at__isnull=False)
        .distinct()
        .first()
    )
    page.goto(volunteer.get_personal_url() + "certificate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Довідка про волонтерські години")
    expect(page.get_by_text("Надрукуйте цю сторінку")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Надрукуйте цю сторінку")).to_be_hidden()
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_text(volunteer.name)).to_be_visible()
    assert page.pdf()[:4] == b"%PDF"


def test_a_visitor_applies_as_a_volunteer_after_correcting_a_mistake(page, site, axe):
    page.goto("/volunteers/")
    assert_axe_clean(page, axe)
    page.get_by_role("link", name="Заповнити анкету волонтера").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Анкета волонтера")
    assert_axe_clean(page, axe)

    page.get_by_label(re.compile(r"^Імʼя та прізвище \(")).fill("Софія Мельник")
    page.get_by_label(re.compile(r"^Е-пошта")).fill("sofia@example.org")
    page.get_by_label(re.compile(r"^Рік народження")).fill(str(timezone.localdate().year - 16))
    page.get_by_label("Ремонт книг").check()
    page.get_by_label("Програма літнього читання").check()
    page.get_by_label(re.compile(r"^Бібліотека, де найбільше")).select_option(
        label="Бібліотека-філія № 5"
    )
    page.get_by_label(re.compile(r"^Я згоден")).check()
    page.get_by_role("button", name="Надіслати анкету").click()

    # Sixteen: the guardian's part is required, and nothing typed is lost.
    expect(page.get_by_role("alert").first).to_contain_text("Форму не надіслано")
    expect(
        page.get_by_text("Вам менше 18 років: це поле потрібно заповнити.").first
    ).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Імʼя та прізвище \("))).to_have_value("Софія Мельник")
    expect(page.get_by_label("Ремонт книг")).to_be_checked()
    assert_axe_clean(page, axe)
    # The demo volunteers are drawn from the same common names, so the visitor's own application
    # is told apart by what only the visitor typed: not a demo row, this e-mail.
    mine = Application.objects.filter(is_demo=False, email="sofia@example.org")
    assert not mine.exists()

    page.get_by_label(re.compile(r"^Імʼя та прізвище одного з батьків")).fill("Ірина Мельник")
    page.get_by_label(re.compile(r"^Телефон або е-пошта батьків")).fill("+380 67 765 43 21")
    # No box for the child to tick on the guardian's behalf: the library asks the guardian.
    expect(page.get_by_label(re.compile(r"^Батьки або опікун згодні"))).to_have_count(0)
    page.get_by_role("button", name="Надіслати анкету").click()

    expect(page).to_have_url(re.compile(r"/volunteers/apply/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Дякуємо за анкету")
    assert_axe_clean(page, axe)
    application = mine.get()
    assert application.name == "Софія Мельник"
    assert application.status == "new" and application.is_minor
    assert application.guardian_name == "Ірина Мельник"
    assert application.guardian_consent_at is None
    assert sorted(application.interests) == ["book_repair", "summer_reading"]


def test_an_active_volunteer_signs_up_without_javascript(new_context, site):
    page = new_context(java_script_enabled=False).new_page()
    volunteer = Application.objects.filter(status="active", is_demo=True).first()
    page.goto(volunteer.get_personal_url())
    for signup in volunteer.signups.all():
        services.signup_cancel(signup=signup)
    page.goto(volunteer.get_personal_url())
    expect(page.get_by_text("Ви ще нікуди не записані.")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Записатися")).first.click()
    expect(page.get_by_role("status")).to_contain_text("Ви записалися")
    expect(page.get_by_role("button", name=re.compile(r"^Скасувати запис"))).to_have_count(1)
    assert volunteer.signups.count() == 1
