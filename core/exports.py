"""Staff exports (CSV and XLSX), one way for every app.

Names, titles and notes in them are typed by the public or come from imported records. A cell
that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel
and LibreOffice («CSV injection»): an anonymous registrant named `=HYPERLINK(…)` would become a
live link in a librarian's spreadsheet. So every text cell goes through here:
- CSV: such a cell gets a leading apostrophe, the spreadsheets' own sign for «this is text»;
  `;` separates the cells and a UTF-8 BOM starts the file, as Excel set to Ukrainian expects.
- XLSX: text is stored as text (never as a formula) and marked with the quote prefix, so it
  stays text even when someone edits the cell. Numbers stay numbers.
"""

import csv
import io

from django.http import HttpResponse

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_DELIMITER = ";"
# What Excel writes first in a UTF-8 CSV; without it Cyrillic opens as mojibake.
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """A CSV cell that no spreadsheet will run as a formula; numbers and blanks as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer with `;` between cells and every text cell made inert."""

    def __init__(self, stream):
        self._writer = csv.writer(stream, delimiter=CSV_DELIMITER)

    def writerow(self, row):
        return self._writer.writerow([cell_text(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream) -> SafeCsvWriter:
    """For a CSV written to a file or stream; open it with encoding="utf-8-sig" for the BOM."""
    return SafeCsvWriter(stream)


def csv_response(*, filename: str, header, rows) -> HttpResponse:
    """A CSV download of `header` and `rows` that opens right in Excel set to Ukrainian."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_append(sheet, row) -> None:
    """Append a row to an openpyxl sheet; its text cells are stored as text, never formulas."""
    sheet.append(row)
    if not row:
        return
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            # openpyxl would otherwise write any text that begins with «=» as a formula.
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def xlsx_response(*, filename: str, workbook) -> HttpResponse:
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response
