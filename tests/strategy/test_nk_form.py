"""The yearly report laid out as the state form 6-НК: sections, numbered rows and columns,
the respondent header and the signature block; the rows the portal does not compute typed in
per library and year; the same form in XLSX and on A4 paper."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.staticfiles import finders
from openpyxl import load_workbook

from strategy.models import ManualValue, Metric, ReportRow
from tests.strategy.factories import manual_value

pytestmark = pytest.mark.django_db

REPORT = "/strategy/reports/"
PRINT = "/strategy/reports/print/"
ENTER = "/strategy/reports/enter/"
STAFF_TOTAL = 32  # «Працівників усього, осіб»
LIBRARIANS = 33  # «з них бібліотечних працівників»
AREA = 1  # «Загальна площа приміщень, м²»
WEBSITE = 9  # «Має власний веб-сайт або вебсторінку»


def row_html(number, value):
    return f'<td class="nk-rowno">{number:02d}</td><td class="nk-value">{value}</td>'


def form_value(response, number):
    for section in response.context["sections"]:
        for line in section.lines:
            if line.number == number:
                return line.value
    raise AssertionError(f"no row {number}")


def test_the_report_reads_like_the_form_with_sections_row_and_column_numbers_and_no_codes(
    client, methodologist, branch_a
):
    manual_value("manual.loans", branch_a, 2020, 500)
    client.force_login(methodologist)
    html = client.get(REPORT, {"year": 2020, "library": "branch-5"}).content.decode()
    assert "ЗВІТНІСТЬ" in html and "Форма № 6-НК (річна)" in html
    assert "Звіт загальнодоступної бібліотеки за 2020 рік" in html
    assert "Найменування" in html and branch_a.name in html and "Код за ЄДРПОУ" in html
    for title in (
        "Розділ 1. Загальні відомості. Матеріально-технічна база",
        "Розділ 2. Формування бібліотечного фонду",
        "Розділ 3. Показники обслуговування користувачів",
        "Розділ 4. Штат бібліотеки",
        "Розділ 5. Фінансування",
    ):
        assert f">{title}</h2>" in html
    assert "<td>А</td><td>Б</td><td>1</td>" in html
    # Документовидача, typed in: the library lent nothing through the portal that year.
    assert row_html(28, '500 <small class="nk-origin">введено вручну</small>') in html
    assert row_html(STAFF_TOTAL, '<span class="nk-none" title="немає даних">—</span>') in html
    assert "Особа, відповідальна за складання звіту" in html and "(ініціали, прізвище)" in html
    for code in ("manual.", "stats.", "catalog.", "nk.staff"):
        assert code not in html
    assert "Показати джерела" in html


def test_tracing_shows_the_code_behind_each_row_to_a_methodologist(client, methodologist):
    client.force_login(methodologist)
    html = client.get(REPORT, {"year": 2020, "library": "branch-5", "trace": "1"}).content.decode()
    assert "<code>manual.funding.budget</code>" in html
    assert "<code>nk.staff_total</code>" in html
    assert "<code>catalog.holdings</code>" in html
    assert "<td>А</td><td>Б</td><td>1</td><td>2</td>" in html
    assert "Сховати джерела" in html


def test_a_branch_head_sees_the_form_without_codes_even_when_asking_to_trace(client, branch_head_a):
    client.force_login(branch_head_a)
    html = client.get(REPORT, {"year": 2020, "trace": "1"}).content.decode()
    assert "Розділ 4. Штат бібліотеки" in html
    assert "manual." not in html and "Показати джерела" not in html


def test_a_librarian_enters_the_librarys_figures_and_they_show_in_the_right_rows(
    client, librarian_a, methodologist, branch_a, branch_b
):
    client.force_login(librarian_a)
    page = client.get(ENTER, {"year": 2024})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<legend>Розділ 4. Штат бібліотеки</legend>" in html
    assert "32. Працівників усього, осіб" in html
    # A «з них» row names its whole, which may be a figure the portal computes.
    assert "Частина рядка 11 «Надійшло документів за рік, примірників»." in html
    response = client.post(
        f"{ENTER}?year=2024",
        {
            f"row_{STAFF_TOTAL}": "7",
            f"row_{LIBRARIANS}": "5",
            f"row_{AREA}": "120,5",
            f"row_{WEBSITE}": "1",
        },
    )
    assert response.status_code == 302
    assert "Збережено: змінено 4 рядки." in client.get(response["Location"]).content.decode()
    saved = ManualValue.objects.get(metric__code="nk.staff_total", year=2024)
    assert (saved.branch, saved.value, saved.entered_by) == (branch_a, 7, librarian_a)

    client.force_login(methodologist)
    own = client.get(REPORT, {"year": 2024, "library": "branch-5"})
    assert form_value(own, STAFF_TOTAL) == 7
    assert form_value(own, AREA) == Decimal("120.5")
    html = own.content.decode()
    assert row_html(STAFF_TOTAL, "7") in html
    assert row_html(AREA, "120,50") in html
    assert row_html(WEBSITE, "так") in html
    other = client.get(REPORT, {"year": 2024, "library": "branch-7"})
    assert form_value(other, STAFF_TOTAL) is None
    assert (
        form_value(client.get(REPORT, {"year": 2023, "library": "branch-5"}), STAFF_TOTAL) is None
    )


def test_the_network_form_sums_the_libraries_hand_entered_figures(
    client, methodologist, branch_a, branch_b
):
    manual_value("nk.staff_total", branch_a, 2024, 7)
    manual_value("nk.staff_total", branch_b, 2024, 3)
    client.force_login(methodologist)
    assert form_value(client.get(REPORT, {"year": 2024}), STAFF_TOTAL) == 10


def test_another_librarys_librarian_can_neither_see_nor_change_its_figures(
    client, librarian_b, branch_a
):
    manual_value("nk.staff_total", branch_a, 2024, 7)
    client.force_login(librarian_b)
    assert client.get(ENTER, {"year": 2024, "library": "branch-5"}).status_code == 403
    refused = client.post(f"{ENTER}?year=2024&library=branch-5", {f"row_{STAFF_TOTAL}": "99"})
    assert refused.status_code == 403
    assert ManualValue.objects.get(metric__code="nk.staff_total").value == 7
    # Their own page is their library's, with nothing of library A's in it.
    own = client.get(ENTER, {"year": 2024})
    assert own.context["library"].slug == "branch-7"
    assert own.context["form"][f"row_{STAFF_TOTAL}"].value() is None
    # Nor the plan's report pages: a librarian enters figures, the report is for the heads.
    assert client.get(REPORT, {"year": 2024, "library": "branch-5"}).status_code == 403


def test_the_methodologist_enters_the_figures_of_any_library(client, methodologist, branch_b):
    client.force_login(methodologist)
    assert "Оберіть бібліотеку" in client.get(ENTER).content.decode()
    client.post(f"{ENTER}?year=2024&library=branch-7", {f"row_{STAFF_TOTAL}": "4"})
    assert ManualValue.objects.get(metric__code="nk.staff_total").branch == branch_b


@pytest.mark.parametrize(
    ("row", "typed", "message"),
    [
        (STAFF_TOTAL, "-3", "Число не може бути відʼємним."),
        (STAFF_TOTAL, "2,5", "Ціле число без коми, наприклад 12."),
        (STAFF_TOTAL, "1\x00", "Ціле число без коми, наприклад 12."),
        (STAFF_TOTAL, "99999999999", "Завелике число."),
        (AREA, "-1", "Число не може бути відʼємним."),
        (AREA, "12,345", "Не більше двох знаків після коми."),
        (WEBSITE, "2", "Оберіть «так» або «ні»."),
    ],
)
def test_a_bad_figure_is_refused_with_a_clear_message_keeping_what_was_typed(
    client, librarian_a, row, typed, message
):
    client.force_login(librarian_a)
    response = client.post(f"{ENTER}?year=2024", {f"row_{row}": typed, f"row_{LIBRARIANS}": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Не збережено" in html
    assert 'value="3"' in html  # the rest of what was typed stays
    assert not ManualValue.objects.exists()


def test_a_part_may_not_exceed_its_whole(client, librarian_a):
    client.force_login(librarian_a)
    response = client.post(
        f"{ENTER}?year=2024", {f"row_{STAFF_TOTAL}": "3", f"row_{LIBRARIANS}": "5"}
    )
    assert "Більше, ніж у рядку 32 (3): частина не може перевищувати цілого." in (
        response.content.decode()
    )
    assert not ManualValue.objects.exists()


def test_a_year_out_of_range_is_explained_and_nothing_is_offered_to_fill(client, librarian_a):
    client.force_login(librarian_a)
    response = client.get(ENTER, {"year": "9999"})
    html = response.content.decode()
    assert "цей рік ще не настав" in html and 'value="9999"' in html
    assert response.context["form"] is None


def test_emptying_a_field_clears_the_figure_and_the_change_is_logged_without_figures(
    client, librarian_a, branch_a
):
    manual_value("nk.staff_total", branch_a, 2024, 7)
    manual_value("nk.seats", branch_a, 2024, 30)
    client.force_login(librarian_a)
    page = client.get(ENTER, {"year": 2024})
    assert page.context["form"][f"row_{STAFF_TOTAL}"].value() == 7
    assert f'name="row_{STAFF_TOTAL}" value="7"' in page.content.decode()
    client.post(f"{ENTER}?year=2024", {f"row_{STAFF_TOTAL}": "", "row_4": "30"})
    assert list(ManualValue.objects.values_list("metric__code", flat=True)) == ["nk.seats"]
    entry = LogEntry.objects.get(object_id=str(branch_a.pk))
    assert entry.user == librarian_a
    assert "6-НК за 2024 рік: змінено рядків — 1" in entry.get_change_message()


def test_the_print_page_is_the_form_on_a4_without_the_sites_navigation(
    client, methodologist, branch_a
):
    manual_value("nk.staff_total", branch_a, 2024, 7)
    client.force_login(methodologist)
    html = client.get(PRINT, {"year": 2024, "library": "branch-5"}).content.decode()
    assert "main-nav" not in html
    assert "Звіт загальнодоступної бібліотеки за 2024 рік" in html
    assert row_html(STAFF_TOTAL, "7") in html
    assert "Керівник" in html and "(підпис)" in html
    stylesheet = re.search(r'href="([^"]*nk-print\.css)" media="print"', html)
    assert stylesheet
    with open(finders.find("strategy/nk-print.css"), encoding="utf-8") as css:
        rules = css.read()
    assert "@page { size: A4 portrait; margin:" in rules
    with open(finders.find("strategy/strategy.css"), encoding="utf-8") as css:
        strategy_css = css.read()
    assert ".nk-table thead { display: table-header-group; }" in strategy_css


def test_the_form_works_for_years_after_the_plan_2024(client, methodologist, branch_a):
    manual_value("manual.loans", branch_a, 2024, 321)
    manual_value("nk.enquiries", branch_a, 2024, 45)
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": 2024, "library": "branch-5"})
    assert response.status_code == 200 and not response.context["form"].errors
    assert form_value(response, 28) == 321
    assert form_value(response, 29) == 45
    sheet = load_workbook(
        io.BytesIO(
            client.get("/strategy/reports/6-nk.xlsx", {"year": 2024, "library": "branch-5"}).content
        )
    ).active
    assert sheet["A2"].value == "Звіт загальнодоступної бібліотеки за 2024 рік"
    values = {row[1]: row[2] for row in sheet.iter_rows(values_only=True) if row[1]}
    assert values["29"] == 45


def test_the_form_has_an_english_version(client, methodologist):
    client.force_login(methodologist)
    html = client.get("/en" + REPORT, {"year": 2024, "library": "branch-5"}).content.decode()
    assert "Section 4. Library staff" in html
    assert "Staff in all, people" in html


def test_the_entry_page_runs_the_same_number_of_queries_whatever_was_entered(
    client, librarian_a, branch_a, django_assert_num_queries
):
    client.force_login(librarian_a)
    client.get(ENTER, {"year": 2024})
    for code in ("nk.staff_total", "nk.seats", "nk.pcs", "manual.funding.budget"):
        manual_value(code, branch_a, 2024, 3)
    # Session, user, staff profile, permissions (2), library, first plan year, rows, values
    # (the footer is cached by the first page).
    with django_assert_num_queries(9):
        client.get(ENTER, {"year": 2024})


def test_every_hand_entered_row_is_a_manual_metric_and_every_computed_one_a_known_figure():
    rows = list(ReportRow.objects.select_related("metric"))
    assert [row.number for row in rows] == list(range(1, len(rows) + 1))
    assert all(row.metric.source == Metric.Source.MANUAL for row in rows if row.is_manual)
    known = {
        "readers",
        "readers.child",
        "readers.youth",
        "holdings",
        "acquisitions",
        "withdrawals",
        "events",
        "attendance",
        "reading",
        "visiting",
        "turnover",
        "provision",
    }
    for row in rows:
        for key in row.keys:
            assert key in known or key.split(".")[0] in {
                "acquisitions",
                "acquisitions_by_material",
                "withdrawals_by_reason",
            }, key
