"""The yearly report as an XLSX workbook laid out like the paper form 6-НК: the form's title
and respondent block, one table with the column heads «Найменування показника · № рядка ·
Значення» and their numbers (А, Б, 1) repeated on every printed page, a merged title row per
section, numbered rows, the signature block, and an A4 page setup fitted to the width.

The codes behind each row (for tracing a figure) are on a second sheet, «Джерела», so that the
form itself reads like the paper one."""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins

from core.exports import xlsx_append

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = {"A": 62, "B": 9, "C": 16}
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _merged(sheet, text, *, bold=False, size=None, align="left"):
    xlsx_append(sheet, [text])
    row = sheet.max_row
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    cell = sheet.cell(row=row, column=1)
    cell.font = Font(bold=bold, size=size)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    return cell


def _boxed(sheet, values):
    xlsx_append(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.border = BOX
    return sheet[sheet.max_row]


def flag_text(value):
    return _("так") if value else _("ні")


def report_workbook(*, year, library, sections):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"6-НК {year}"
    who = library.name if library else _("Луцька міська ЦБС, уся мережа")
    _merged(sheet, _("ЗВІТНІСТЬ"), bold=True, align="center")
    _merged(
        sheet,
        _("Звіт загальнодоступної бібліотеки за %(year)s рік") % {"year": year},
        bold=True,
        size=14,
        align="center",
    )
    _merged(sheet, _("Форма № 6-НК (річна)"), align="center")
    xlsx_append(sheet, [])
    _merged(sheet, _("Респондент"), bold=True)
    _merged(sheet, _("Найменування: %(name)s") % {"name": who})
    address = library.address if library else ""
    _merged(sheet, _("Місцезнаходження: %(address)s") % {"address": address or "_" * 30})
    _merged(sheet, _("Код за ЄДРПОУ: %(code)s") % {"code": "_" * 12})
    xlsx_append(sheet, [])

    head = _boxed(sheet, [_("Найменування показника"), _("№ рядка"), _("Значення")])
    for cell in head:
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    first_title_row = sheet.max_row
    for cell in _boxed(sheet, ["А", "Б", "1"]):
        cell.alignment = CENTRE
    sheet.print_title_rows = f"{first_title_row}:{sheet.max_row}"

    sources = [(_("№ рядка"), _("Найменування показника"), _("Джерело даних"), _("Код джерела"))]
    for section in sections:
        title = _boxed(sheet, [section.title, None, None])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=3
        )
        title[0].font = Font(bold=True)
        for line in section.lines:
            value = line.value
            if value is None:
                value = "—"
            elif line.kind == "flag" and library is not None:
                value = flag_text(value)
            cells = _boxed(sheet, [line.label, line.number_text, value])
            cells[0].alignment = Alignment(indent=2 * line.level, wrap_text=True)
            cells[1].alignment = CENTRE
            cells[2].alignment = Alignment(horizontal="right")
            if isinstance(value, Decimal):
                cells[2].number_format = "#,##0.00" if line.kind == "amount" else "0.0"
            elif isinstance(value, int):
                cells[2].number_format = "#,##0"
            sources.append((line.number_text, line.label, line.source_label, line.source))

    xlsx_append(sheet, [])
    _merged(sheet, _("Керівник") + "  " + "_" * 16 + "  " + "_" * 24)
    _merged(
        sheet, "              " + _("(підпис)") + "                " + _("(ініціали, прізвище)")
    )
    _merged(
        sheet,
        _("Особа, відповідальна за складання звіту") + "  " + "_" * 16 + "  " + "_" * 24,
    )
    _merged(
        sheet, "              " + _("(підпис)") + "                " + _("(ініціали, прізвище)")
    )
    email = library.email if library and library.email else "_" * 20
    _merged(
        sheet,
        _("телефон: %(phone)s   електронна пошта: %(email)s")
        % {"phone": (library.phone if library and library.phone else "_" * 16), "email": email},
    )
    _merged(sheet, "«____» ____________ 20___ " + _("року"))

    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_PORTRAIT
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.8, right=0.4, top=0.6, bottom=0.6)
    sheet.print_options.horizontalCentered = True

    trace = workbook.create_sheet(_("Джерела"))
    for row in sources:
        xlsx_append(trace, list(row))
    for cell in trace[1]:
        cell.font = Font(bold=True)
    for column, width in {"A": 9, "B": 50, "C": 60, "D": 50}.items():
        trace.column_dimensions[column].width = width
    return workbook
