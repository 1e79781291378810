"""Readers' surveys in a real browser: a reader answers the network survey without JavaScript,
after being asked for a required answer they skipped; axe on the list, the form, its error
state and the thanks, in Ukrainian and English (axe itself needs JavaScript, so it runs with
it on)."""

import pytest
from playwright.sync_api import expect

from reference.models import Survey, SurveyResponse
from tests.browser.test_accessibility import describe

pytestmark = pytest.mark.browser

DREAM = "Якою має бути бібліотека вашої мрії?"


def assert_axe_clean(page, axe):
    results = axe.run(page)
    assert not results.violations_count, f"{page.url}\n{describe(results.response['violations'])}"


def test_a_reader_answers_a_survey_without_javascript_after_a_missing_answer(new_context, site):
    survey = Survey.objects.get(title=DREAM, is_demo=True)
    before = SurveyResponse.objects.filter(survey=survey).count()
    page = new_context(java_script_enabled=False).new_page()

    page.goto("/ask/surveys/")
    page.get_by_role("link", name=DREAM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DREAM)
    # The mark is left out; the rest is answered.
    page.get_by_role("group", name="Чого вам бракує?").get_by_label("Нових книжок").check()
    page.get_by_role("group", name="Як часто ви приходите?").get_by_label("Щомісяця").check()
    page.get_by_label("Що б ви змінили?").fill("Більше розеток біля столів")
    page.get_by_role("button", name="Надіслати відповіді").click()

    expect(page.get_by_role("alert").first).to_contain_text("Форму не надіслано")
    expect(page.get_by_text("Оберіть оцінку від 1 до 5.")).to_be_visible()
    expect(page.get_by_label("Що б ви змінили?")).to_have_value("Більше розеток біля столів")
    expect(page.get_by_label("Щомісяця")).to_be_checked()

    page.get_by_role("group", name="Наскільки вам зручно в бібліотеці?").get_by_label(
        "4", exact=True
    ).check()
    page.get_by_role("button", name="Надіслати відповіді").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Дякуємо за відповіді")
    assert SurveyResponse.objects.filter(survey=survey).count() == before + 1
    page.goto(survey.get_absolute_url())
    expect(page.get_by_text("Ви вже відповіли на це опитування")).to_be_visible()


def test_survey_pages_have_no_axe_violations_in_both_languages(page, site, axe):
    survey = Survey.objects.get(title=DREAM, is_demo=True)
    for language in ("", "/en"):
        for path in ("/ask/surveys/", survey.get_absolute_url()):
            response = page.goto(language + path)
            assert response.status == 200, language + path
            assert_axe_clean(page, axe)
        # The error state: the form sent empty.
        page.goto(language + survey.get_absolute_url())
        page.locator("main form[method=post] button[type=submit]").click()
        expect(page.locator(".errors").first).to_be_visible()
        assert_axe_clean(page, axe)
    page.goto(f"/ask/surveys/{survey.pk}/thanks/")
    assert_axe_clean(page, axe)
    page.goto(f"/en/ask/surveys/{survey.pk}/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    assert_axe_clean(page, axe)
