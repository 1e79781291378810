"""The yearly report as an XLSX workbook laid out like the printed report: a title block,
then one row per figure with its unit, where it came from in words, and the code behind it."""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.exports import xlsx_append
from core.i18n import localized


def report_workbook(*, year, library, lines):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"6-НК {year}"
    who = localized(library, "name") if library else _("Луцька міська ЦБС, уся мережа")
    xlsx_append(sheet, [_("Звіт за формою 6-НК за %(year)s рік") % {"year": year}])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx_append(sheet, [who])
    xlsx_append(sheet, [])
    xlsx_append(
        sheet, [_("Показник"), _("Значення"), _("Одиниця"), _("Джерело даних"), _("Код джерела")]
    )
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for line in lines:
        label = ("    " * line.level) + line.label
        value = line.value if line.value is not None else _("немає даних")
        # In words first; the code beside it so that a figure can be traced.
        xlsx_append(sheet, [label, value, line.unit, line.source_label or line.source, line.source])
        if isinstance(value, Decimal):
            # Ratios: «8,0», not «8», so that a column of them lines up as in the printed form.
            sheet.cell(row=sheet.max_row, column=2).number_format = "0.0"
        elif isinstance(value, int):
            sheet.cell(row=sheet.max_row, column=2).number_format = "#,##0"
        if line.level:
            sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(indent=2)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column, width in enumerate((46, 14, 14, 56, 40), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return workbook
