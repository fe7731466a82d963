"""The one writer of spreadsheets: every CSV and XLSX the platform hands out (indicators, the
yearly report, a session's registrations, form submissions, the newsletter, Wagtail's listing
exports) goes through here, so a cell a spreadsheet would run as a formula is always written as
text.

A value typed by a resident ("=HYPERLINK(...)", "+33...", "@SUM(...)") would otherwise run when
staff open the file: each such text cell is prefixed with an apostrophe, the convention
spreadsheets read as "this is text", and XLSX cells are also typed as strings.
"""

import csv
import io

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A text a spreadsheet would run as a formula, made plain text; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def clean_row(row) -> list:
    """A row ready to write: None as an empty cell, every text neutralised."""
    return ["" if value is None else neutralise(value) for value in row]


def to_csv(header, rows) -> bytes:
    """A semicolon-separated CSV in UTF-8 with a BOM (so Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(clean_row(header))
    writer.writerows(clean_row(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title: str) -> bytes:
    """A one-sheet workbook; no cell is ever a formula, whatever its text."""
    from openpyxl import Workbook  # noqa: PLC0415 -- start-up cost: openpyxl loads only for a spreadsheet export

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    for row in (header, *rows):
        sheet.append(clean_row(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class NeutralisingExportMixin:
    """For a view using Wagtail's SpreadsheetExportMixin (listing exports, form submissions,
    reports): every value goes through `neutralise` after Wagtail's own preprocessing."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))


def neutralising(view_class):
    """`view_class`, made to neutralise its spreadsheet exports if it has any."""
    if not issubclass(view_class, SpreadsheetExportMixin) or issubclass(
        view_class, NeutralisingExportMixin
    ):
        return view_class
    return type(view_class.__name__, (NeutralisingExportMixin, view_class), {})
