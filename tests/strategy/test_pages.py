"""The plan's staff pages: who may see them, what they show, and how many queries they cost."""

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from accounts.models import StaffProfile
from branches.models import Branch
from catalog.models import IntakeBatch
from strategy.models import Indicator, Metric, Milestone
from tests.factories import make_staff
from tests.strategy.factories import (
    MilestoneFactory,
    direction,
    intake,
    manual_value,
    register_readers,
    target,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/strategy/plans/2016-2021/"
ACQUISITION = "/strategy/plans/2016-2021/directions/4/"
REPORT = "/strategy/reports/"


@pytest.fixture
def branch_head_b(branch_b):
    return make_staff(
        username="head_b",
        role=StaffProfile.Role.BRANCH_HEAD,
        branch=branch_b,
        group_name="Завідувач філії",
    )


@pytest.mark.parametrize("url", [DASHBOARD, ACQUISITION, REPORT, "/strategy/"])
def test_readers_and_librarians_without_the_group_are_refused(client, reader, librarian_a, url):
    for user in (reader, librarian_a):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_methodologist_sees_all_sixteen_directions_on_the_dashboard(client, methodologist):
    client.force_login(methodologist)
    response = client.get("/strategy/", follow=True)
    assert response.redirect_chain[-1][0].endswith(DASHBOARD)
    assert len(response.context["directions"]) == 16
    html = response.content.decode()
    assert "Фінансування бібліотек" in html and "Е-урядування" in html


def test_overdue_milestones_are_listed_first_on_the_dashboard(
    client, methodologist, branch_a, freeze_now
):
    freeze_now(datetime(2021, 1, 10, 9, tzinfo=UTC))
    MilestoneFactory(
        title="Вчасно зроблений етап", status=Milestone.Status.DONE, completed_on=date(2020, 1, 1)
    )
    MilestoneFactory(title="Забута акція зі збору книг", due_date=date(2020, 5, 1), branch=branch_a)
    client.force_login(methodologist)
    response = client.get(DASHBOARD)
    assert [m.title for m in response.context["overdue"]] == ["Забута акція зі збору книг"]
    html = response.content.decode()
    assert html.index("Забута акція зі збору книг") < html.index("Фінансування бібліотек")
    acquisition = response.context["directions"][3]
    assert acquisition.progress == {"total": 2, "done": 1, "dropped": 0, "overdue": 1}


def test_live_catalogue_numbers_appear_against_their_targets(client, methodologist, branch_a):
    intake(branch_a, date(2020, 3, 1), IntakeBatch.Source.DONATION, copies=3)
    target("catalog.acquisitions", 4, 2020, 5)
    client.force_login(methodologist)
    response = client.get(ACQUISITION)
    row = next(r for r in response.context["rows"] if r.metric.code == "catalog.acquisitions")
    cell = next(c for c in row.cells if c.year == 2020)
    assert (cell.value, cell.target, cell.percent, cell.met) == (3, 5, 60, False)
    library_cells = {library.slug: cells for library, cells in row.by_library}
    assert library_cells["branch-5"][4].value == 3
    assert library_cells["branch-7"][4].value == 0
    html = response.content.decode()
    assert "<svg" in html and "catalog.acquisitions" in html
    assert "традиційне комплектування" in html  # the plan's activities


def test_an_indicator_no_app_provides_yet_shows_no_data(client, methodologist):
    metric = Metric.objects.create(
        code="events.not_there_yet", name="Ще не полічено", source=Metric.Source.COMPUTED
    )
    Indicator.objects.create(direction=direction(15), metric=metric)
    client.force_login(methodologist)
    response = client.get("/strategy/plans/2016-2021/directions/15/")
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.metric == metric)
    assert row.available is False
    assert "Немає даних" in response.content.decode()


@pytest.mark.parametrize("copies", [2, 60])
def test_the_dashboard_runs_the_same_number_of_queries_whatever_the_data(
    client, methodologist, branch_a, branch_b, copies, django_assert_num_queries
):
    for year in (2017, 2019):
        intake(branch_a, date(year, 2, 1), copies=copies // 2)
        intake(branch_b, date(year, 2, 1), copies=copies // 2)
        for number in range(copies // 10 + 1):  # overdue, all of them
            MilestoneFactory(
                due_date=date(year, 1, 1), branch=branch_a, direction=direction(number % 16 + 1)
            )
        manual_value("manual.visits", branch_a, year, copies * 10)
    client.force_login(methodologist)
    # Session, user, permissions (2), staff profile; plan, libraries, directions, participants,
    # progress, overdue, indicators, targets, manual values, any demo values; the footer's
    # central library (16); then the apps' stats functions behind the plan's computed
    # indicators, one aggregate each by the contract, a few more for events' club schedules and
    # the staff headcount behind training hours per staff member (53).
    with django_assert_num_queries(82):
        response = client.get(DASHBOARD)
    assert response.status_code == 200


@pytest.mark.parametrize("copies", [2, 40])
def test_the_direction_page_runs_the_same_number_of_queries_whatever_the_data(
    client, methodologist, branch_a, copies, django_assert_num_queries
):
    intake(branch_a, date(2018, 2, 1), copies=copies)
    for year in (2016, 2018, 2020):
        for _number in range(copies // 10 + 1):
            MilestoneFactory(due_date=date(year, 1, 1), branch=branch_a)
    client.force_login(methodologist)
    # The page's own 14 and the stats functions of direction 4's computed indicators (6).
    with django_assert_num_queries(20):
        response = client.get(ACQUISITION)
    assert response.status_code == 200


def test_a_branch_head_sees_only_their_own_library(client, branch_head_a, branch_a, branch_b):
    intake(branch_a, date(2020, 3, 1), copies=2)
    intake(branch_b, date(2020, 3, 1), copies=7)
    client.force_login(branch_head_a)
    response = client.get(DASHBOARD, {"library": "branch-7"})
    assert response.context["library"] == branch_a
    cells = next(
        r for r in response.context["directions"][3].rows if r.metric.code == "catalog.acquisitions"
    ).cells
    assert [c.value for c in cells if c.year == 2020] == [2]
    assert client.get("/strategy/plans/2016-2021/libraries/branch-5/").status_code == 200
    assert client.get("/strategy/plans/2016-2021/libraries/branch-7/").status_code == 403
    report = client.get(REPORT, {"year": 2020, "library": "branch-7"})
    assert report.context["library"] == branch_a


def test_the_library_page_shows_what_the_library_coordinates(client, methodologist):
    client.force_login(methodologist)
    response = client.get("/strategy/plans/2016-2021/libraries/central-children/")
    family = next(d for d in response.context["directions"] if d.number == 13)
    assert family.is_coordinator
    assert "Координатор напрямку" in response.content.decode()


@pytest.fixture
def year_2020(branch_a, branch_b):
    """Branch A in 2020: 4 readers (1 child), 10 copies bought, 200 visits, 500 loans."""
    register_readers(branch_a, 2020, 3)
    register_readers(branch_a, 2020, 1, category="child")
    register_readers(branch_b, 2020, 6)
    intake(branch_a, date(2020, 4, 1), copies=10)
    manual_value("manual.visits", branch_a, 2020, 200)
    manual_value("manual.loans", branch_a, 2020, 500)
    manual_value("manual.loans", branch_b, 2020, 100)
    return branch_a


def test_the_yearly_report_of_a_library_gives_the_6nk_figures_and_ratios(
    client, methodologist, year_2020
):
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": 2020, "library": "branch-5"})
    lines = {line.key: line for line in response.context["lines"]}
    assert lines["readers"].value == 4
    assert lines["readers.child"].value == 1
    assert lines["visits"].value == 200 and lines["visits"].manual
    assert lines["loans"].value == 500
    assert lines["holdings"].value == 10
    assert lines["acquisitions.budget"].value == 10
    assert lines["acquisitions_by_material.book"].label == "вид документа: Книга"
    assert lines["acquisitions_by_material.book"].value == 10
    assert str(lines["reading"].value) == "125.0"  # 500 loans / 4 readers
    assert str(lines["visiting"].value) == "50.0"
    assert str(lines["turnover"].value) == "50.0"
    assert str(lines["provision"].value) == "2.5"
    assert lines["holdings"].source == "catalog.holdings"
    # A hand-entered figure links to the rows it sums, in admin.
    listed = client.get(lines["loans"].admin_url)
    assert [v.value for v in listed.context["cl"].result_list] == [500]


@pytest.mark.parametrize("milestones", [1, 30])
def test_the_library_page_runs_the_same_number_of_queries_whatever_the_data(
    client, methodologist, branch_a, milestones, django_assert_num_queries
):
    for number in range(milestones):
        MilestoneFactory(branch=branch_a, direction=direction(number % 16 + 1))
    intake(branch_a, date(2018, 2, 1), copies=milestones)
    client.force_login(methodologist)
    # Session, user, permissions (2), staff profile; plan, library, directions, participants,
    # progress, milestones, indicators, targets, manual values; the footer (15); the stats
    # functions of the plan's computed indicators for one library (53).
    with django_assert_num_queries(81):
        response = client.get("/strategy/plans/2016-2021/libraries/branch-5/")
    assert response.status_code == 200


def test_the_network_report_sums_the_libraries(client, methodologist, year_2020):
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": 2020})
    lines = {line.key: line for line in response.context["lines"]}
    assert lines["readers"].value == 10
    assert lines["loans"].value == 600


def test_the_report_downloads_as_xlsx_laid_out_like_the_form(client, methodologist, year_2020):
    client.force_login(methodologist)
    response = client.get("/strategy/reports/6-nk.xlsx", {"year": 2020, "library": "branch-5"})
    assert response["Content-Disposition"] == 'attachment; filename="6-nk-2020-branch-5.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "ЗВІТНІСТЬ"
    assert sheet["A2"].value == "Звіт загальнодоступної бібліотеки за 2020 рік"
    assert sheet["A3"].value == "Форма № 6-НК (річна)"
    assert "A2:C2" in {str(merged) for merged in sheet.merged_cells.ranges}
    names = Branch.objects.get(slug="branch-5").name
    assert any(row[0] == f"Найменування: {names}" for row in sheet.iter_rows(values_only=True))
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
    assert rows["28"][0] == "Документовидача, примірників" and rows["28"][2] == 500
    assert rows["Б"] == ("А", "Б", "1")
    assert rows["32"][2] == "—"  # staff: nothing entered
    # On paper: A4, fitted to the width, the column heads on every page, the form's margins.
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows
    assert sheet.page_margins.left == 0.8
    # The codes behind the figures, for tracing, on a sheet of their own.
    sources = {row[0]: row for row in workbook["Джерела"].iter_rows(values_only=True)}
    assert sources["20"][3] == "catalog.holdings"
    assert sources["28"][2:] == ("Введено вручну: документовидача", "manual.loans")


def test_the_print_view_has_the_same_figures_without_the_site_navigation(
    client, methodologist, year_2020
):
    client.force_login(methodologist)
    response = client.get("/strategy/reports/print/", {"year": 2020, "library": "branch-5"})
    html = response.content.decode()
    assert "Документовидача" in html and "500" in html
    assert "main-nav" not in html


def test_a_bad_report_year_is_explained_in_ukrainian_and_kept_in_the_form(client, methodologist):
    client.force_login(methodologist)
    response = client.get(REPORT, {"year": "20x1", "library": "nowhere"})
    html = response.content.decode()
    assert "Рік — це чотири цифри" in html
    assert "Такої бібліотеки немає у списку" in html
    assert 'value="20x1"' in html


def test_the_dashboard_has_an_english_version(client, methodologist):
    client.force_login(methodologist)
    response = client.get("/en" + DASHBOARD)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_the_report_command_writes_the_same_workbook(tmp_path, year_2020):
    from django.core.management import call_command

    path = tmp_path / "report.xlsx"
    out = io.StringIO()
    call_command("export_report", year=2020, library="branch-5", output=str(path), stdout=out)
    assert "form rows for 2020" in out.getvalue()
    sheet = load_workbook(path).active
    values = {row[0]: row[2] for row in sheet.iter_rows(values_only=True) if row[1]}
    assert values["Документовидача, примірників"] == 500, values


def test_family_reading_events_held_in_a_library_show_on_the_family_reading_direction(
    client, methodologist, branch_a
):
    from events.models import Event
    from tests.events.factories import EventFactory

    held_at = datetime(2019, 5, 17, 15, tzinfo=UTC)
    for kind in ("family_reading", "family_reading", "film"):
        EventFactory(
            branch=branch_a,
            kind=kind,
            starts_at=held_at,
            ends_at=held_at.replace(hour=17),
            status=Event.Status.HELD,
        )
    EventFactory(
        branch=branch_a,
        kind="family_reading",
        starts_at=held_at,
        ends_at=held_at.replace(hour=17),
    )
    client.force_login(methodologist)
    response = client.get("/strategy/plans/2016-2021/directions/13/")
    row = next(r for r in response.context["rows"] if r.metric.code == "events.family_held")
    assert [c.value for c in row.cells if c.year == 2019] == [2]
    library_cells = {library.slug: cells for library, cells in row.by_library}
    assert library_cells["branch-5"][3].value == 2
    assert "Проведені заходи виду «Сімейне читання» і заходи для родин." in response.text


@pytest.mark.parametrize("readers", [1, 25])
def test_the_report_runs_the_same_number_of_queries_whatever_the_data(
    client, methodologist, branch_a, readers, django_assert_num_queries
):
    register_readers(branch_a, 2020, readers)
    intake(branch_a, date(2020, 4, 1), copies=readers)
    client.force_login(methodologist)
    # The figures of yearly_report (with 3 for visits and loans from lending, 1 for enquiries
    # from the enquiries log), then the form's rows and the hand-entered values (2).
    with django_assert_num_queries(31):
        response = client.get(REPORT, {"year": 2020})
    lines = {line.key: line.value for line in response.context["lines"]}
    assert lines["readers"] == readers


def test_the_direction_page_says_who_last_changed_a_milestone(client, methodologist):
    from strategy.services import milestone_set_status

    methodologist.first_name, methodologist.last_name = "Ганна", "Методистка"
    methodologist.save()
    milestone = MilestoneFactory(title="Акція «Подаруй книгу»")
    milestone_set_status(milestone=milestone, status="in_progress", acting_user=methodologist)
    client.force_login(methodologist)
    html = client.get(ACQUISITION).content.decode()
    assert "Ганна Методистка" in html


def test_a_network_only_figure_says_so_when_one_library_is_chosen(client, methodologist):
    client.force_login(methodologist)
    response = client.get(DASHBOARD, {"library": "branch-5", "year": 2020})
    online = next(d for d in response.context["directions"] if d.number == 7)
    cell = online.rows[0].cells[0]
    assert (online.rows[0].metric.code, cell.value, cell.network_only) == (
        "catalog.records",
        None,
        True,
    )
    assert "лише для мережі" in response.content.decode()


def test_an_indicator_with_only_zeros_says_so_instead_of_drawing_an_empty_chart(
    client, methodologist, branch_a
):
    intake(branch_a, date(2020, 3, 1), copies=2)
    client.force_login(methodologist)
    html = client.get(ACQUISITION).content.decode()
    exchange = html.split("catalog.acquisitions.budget")[0]  # acquisitions: has a value
    assert 'id="years-' in exchange
    withdrawals = html.split("<code>catalog.withdrawals</code>")[1].split("<section")[0]
    assert "усі значення — нуль" in withdrawals
    assert "<svg" not in withdrawals


def test_a_branch_head_gets_no_chart_comparing_their_library_with_itself(
    client, branch_head_a, branch_a
):
    intake(branch_a, date(2021, 3, 1), copies=2)
    client.force_login(branch_head_a)
    html = client.get(ACQUISITION).content.decode()
    assert "бібліотеки, 2021 рік" not in html
    assert "За бібліотеками" in html  # the table stays


def test_a_librarian_refused_the_plan_is_told_who_may_see_it_and_how_to_ask(client, librarian_a):
    client.force_login(librarian_a)
    response = client.get(DASHBOARD)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Немає доступу до плану розвитку" in html
    assert "«Методист»" in html
