"""The page a person sees after too many wrong passwords: in their browser's language and
without accessibility violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_accessibility import describe

pytestmark = pytest.mark.browser

HEADINGS = {"uk-UA": "Вхід тимчасово заблоковано", "en-GB": "Signing in is blocked for a while"}


@pytest.mark.parametrize("locale", HEADINGS)
def test_a_locked_out_person_sees_an_accessible_page_in_their_language(
    new_context, settings, locale
):
    settings.AXES_FAILURE_LIMIT = 2
    page = new_context(locale=locale).new_page()
    page.goto("/admin/login/")

    statuses = []
    for _ in range(2):
        page.fill("#id_username", f"someone-{locale}")
        page.fill("#id_password", "not the password")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("[type=submit]")
        statuses.append(answer.value.status)
        page.wait_for_load_state()

    assert statuses == [200, 429]
    assert page.locator("h1").inner_text() == HEADINGS[locale]
    assert page.locator("html").get_attribute("lang") == locale[:2]
    results = Axe().run(page)
    assert not results.violations_count, describe(results.response["violations"])
