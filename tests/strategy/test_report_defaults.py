"""The yearly report: which year it opens on, which years it accepts, who counts as a user,
and how it says where each figure comes from."""

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from accounts.models import ReaderProfile
from tests.strategy.factories import manual_value, register_readers

pytestmark = pytest.mark.django_db

REPORT = "/strategy/reports/"


@pytest.fixture
def in_2026(freeze_now):
    freeze_now(datetime(2026, 3, 2, 9, tzinfo=UTC))


def test_the_report_opens_on_the_latest_year_with_data_and_says_why(
    client, methodologist, branch_a, in_2026
):
    manual_value("manual.loans", branch_a, 2020, 500)
    client.force_login(methodologist)
    response = client.get(REPORT)
    assert response.context["year"] == 2020
    html = response.content.decode()
    assert 'name="year" value="2020"' in html  # the year box shows the year the page shows
    assert "Показано 2020 рік — останній, за який у порталі є дані" in html
    assert "за 2025 рік їх ще не внесено" in html


def test_a_library_report_opens_on_that_librarys_latest_year(
    client, methodologist, branch_a, branch_b, in_2026
):
    manual_value("manual.loans", branch_a, 2020, 500)
    manual_value("manual.loans", branch_b, 2018, 100)
    client.force_login(methodologist)
    response = client.get(REPORT, {"library": "branch-7"})
    assert response.context["year"] == 2018
    assert 'name="year" value="2018"' in response.content.decode()


def test_without_any_data_the_report_opens_on_the_plans_last_year(client, methodologist, in_2026):
    client.force_login(methodologist)
    response = client.get(REPORT)
    assert response.context["year"] == 2021
    assert "останній рік плану" in response.content.decode()


def test_the_report_of_last_year_needs_no_explanation(client, methodologist, branch_a, in_2026):
    manual_value("manual.loans", branch_a, 2025, 500)
    client.force_login(methodologist)
    response = client.get(REPORT)
    assert response.context["year"] == 2025
    assert 'id="why-this-year"' not in response.content.decode()


@pytest.mark.parametrize("year", ["1990", "2030", "abc"])
def test_a_report_year_outside_the_allowed_range_is_refused_naming_the_range(
    client, methodologist, in_2026, year
):
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    html = response.content.decode()
    assert "від 2016 до 2026" in html
    assert f'value="{year}"' in html  # what was typed stays, to be corrected


def test_readers_registered_before_the_year_count_as_its_users_once_re_registered_in_it(
    client, methodologist, branch_a
):
    register_readers(branch_a, 2018, 3, category=ReaderProfile.Category.CHILD)
    ReaderProfile.objects.update(reregistered_on=date(2020, 1, 15))
    register_readers(branch_a, 2019, 4)  # not re-registered in 2020: not its users
    register_readers(branch_a, 2020, 2)
    register_readers(branch_a, 2021, 7)  # not yet readers in 2020
    manual_value("manual.loans", branch_a, 2020, 500)
    manual_value("manual.visits", branch_a, 2020, 250)
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": 2020, "library": "branch-5"})
    lines = {line.key: line for line in response.context["lines"]}
    assert lines["readers"].value == 5
    assert lines["readers.child"].value == 3 and lines["readers.adult"].value == 2
    assert str(lines["reading"].value) == "100.0"  # 500 loans / 5 users
    assert str(lines["visiting"].value) == "50.0"
    assert "читачі, записані або перереєстровані в році" in response.content.decode()


def test_when_tracing_the_report_says_in_words_where_each_figure_comes_from(
    client, methodologist, branch_a
):
    manual_value("manual.loans", branch_a, 2020, 500)
    client.force_login(methodologist)
    html = client.get(REPORT, {"year": 2020, "trace": "1"}).content.decode()
    assert "Введено вручну: документовидача" in html
    assert "Читачі за категоріями: діти до 14 років — з реєстрації читачів" in html
    # The code beside the words, so that a figure can be traced.
    assert "<code>manual.loans</code>" in html
    assert "<code>accounts.stats.readers_on_books_by_category · child</code>" in html


def test_the_xlsx_gives_the_source_in_words_and_its_code_apart(client, methodologist):
    client.force_login(methodologist)
    response = client.get("/strategy/reports/6-nk.xlsx", {"year": 2020})
    sheet = load_workbook(io.BytesIO(response.content))["Джерела"]
    assert [cell.value for cell in sheet[1]][2:] == ["Джерело даних", "Код джерела"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Кількість відвідувань"][2:] == (
        "Введено вручну: відвідування бібліотеки",
        "manual.visits",
    )


def test_the_dashboard_names_each_indicators_source_in_words(client, methodologist):
    client.force_login(methodologist)
    html = client.get("/strategy/plans/2016-2021/").content.decode()
    assert "Введено вручну: фінансування з бюджету" in html
    assert '<code class="source-code">manual.funding.budget</code>' in html
