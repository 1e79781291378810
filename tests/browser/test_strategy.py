"""A methodologist in a real browser: signs in, opens the plan's dashboard and a direction,
reads the yearly report and downloads it as XLSX; axe checks every page, wide and narrow."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import StaffProfile
from branches.models import Branch
from tests.browser.test_accessibility import WIDTHS, describe
from tests.factories import make_staff
from tests.strategy.factories import intake

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def signed_in(new_context, site):
    make_staff(
        username="metodyst",
        role=StaffProfile.Role.METHODOLOGIST,
        branch=None,
        group_name="Методист",
    )
    context = new_context(accept_downloads=True)
    page = context.new_page()
    page.goto("/admin/login/?next=/strategy/")
    page.get_by_label("Імʼя користувача").or_(page.locator("#id_username")).first.fill("metodyst")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/strategy/plans/2016-2021/")
    return context, page


def _axe_clean(page, axe, artifacts, name):
    problems = []
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=artifacts / f"strategy-{name}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        if overflow > 0:
            # A wide table must scroll in its own region, not drag the whole page sideways.
            problems.append(f"{page.url} at {width}px is {overflow}px wider than the screen")
        results = axe.run(page)
        if results.violations_count:
            problems.append(
                f"{page.url} at {width}px ({width_name}):\n"
                f"{describe(results.response['violations'])}"
            )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n\n".join(problems)


def test_a_methodologist_follows_the_plan_and_downloads_the_yearly_report(
    signed_in, artifacts, tmp_path
):
    context, page = signed_in
    axe = Axe()
    # The light demo the browser tests load has no stock: give a library copies to chart.
    intake(Branch.objects.get(slug="branch-5"), date(2019, 3, 1), copies=4)

    expect(page.get_by_role("heading", level=1)).to_contain_text("2016–2021")
    expect(page.locator(".direction-card")).to_have_count(16)
    expect(page.get_by_role("heading", name="Прострочені етапи")).to_be_visible()
    _axe_clean(page, axe, artifacts, "dashboard")

    page.get_by_role("link", name="4. Комплектування бібліотек").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("4. Комплектування бібліотек")
    expect(page.locator("figure.chart svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="Етапи за роками")).to_be_visible()
    _axe_clean(page, axe, artifacts, "direction")

    page.goto("/strategy/reports/?year=2021&library=branch-5")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Звіт загальнодоступної бібліотеки за 2021 рік"
    )
    expect(page.get_by_role("heading", name="Розділ 4. Штат бібліотеки")).to_be_visible()
    expect(page.locator(".nk-form")).to_contain_text("Документовидача")
    expect(page.locator(".nk-form")).not_to_contain_text("manual.")
    _axe_clean(page, axe, artifacts, "report")

    page.get_by_role("link", name="Показати джерела").click()
    expect(page.locator(".nk-form")).to_contain_text("manual.loans")
    _axe_clean(page, axe, artifacts, "report-trace")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Завантажити XLSX").click()
    path = tmp_path / "report.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path).active
    assert sheet["A2"].value == "Звіт загальнодоступної бібліотеки за 2021 рік"
    assert sheet.page_setup.paperSize == 9
    labels = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert "Документовидача, примірників" in labels and any(
        label.startswith("Книгозабезпеченість") for label in labels
    )

    page.get_by_role("link", name="Версія для друку").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Звіт загальнодоступної")
    _axe_clean(page, axe, artifacts, "print")

    # The methodologist types in a library's staff for 2024; it shows in row 32 of its form.
    page.goto("/strategy/reports/enter/?year=2024&library=branch-5")
    _axe_clean(page, axe, artifacts, "entry")
    page.get_by_label("32. Працівників усього, осіб").fill("-2")
    page.get_by_role("button", name="Зберегти").click()
    expect(page.get_by_role("alert")).to_contain_text("Не збережено")
    expect(page.get_by_label("32. Працівників усього, осіб")).to_have_value("-2")
    _axe_clean(page, axe, artifacts, "entry-error")
    page.get_by_label("32. Працівників усього, осіб").fill("6")
    page.get_by_role("button", name="Зберегти").click()
    expect(page.get_by_role("status")).to_contain_text("Збережено")
    page.get_by_role("link", name="Переглянути звіт 6-НК").click()
    expect(page.locator("tr", has_text="Працівників усього").locator(".nk-value")).to_have_text("6")

    page.goto("/en/strategy/plans/2016-2021/directions/13/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _axe_clean(page, axe, artifacts, "en-direction")
    assert not context.blocked_requests


def test_the_dashboard_filters_work_without_javascript(new_context, site, signed_in):
    _context, page = signed_in
    nojs = new_context(java_script_enabled=False, storage_state=page.context.storage_state())
    plain = nojs.new_page()
    plain.goto("/strategy/plans/2016-2021/")
    plain.get_by_label("Бібліотека", exact=True).select_option("branch-5")
    plain.get_by_label("Рік", exact=True).select_option("2018")
    plain.get_by_role("button", name="Показати").click()
    expect(plain).to_have_url(
        re.compile(r"/strategy/plans/2016-2021/\?library=branch-5&year=2018$")
    )
    expect(plain.locator(".figures thead").first).to_contain_text("2018")
