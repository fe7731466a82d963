"""The one export writer: every CSV and XLSX the platform writes goes through community.exports,
which writes a cell a spreadsheet would run as a formula as text."""

import csv
import io

import pytest
from openpyxl import load_workbook

from community import exports

FORMULAS = ['=HYPERLINK("http://x","y")', "+33 6 12", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_neutralise_prefixes_formula_text(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Lyon 8", "", 3, None, 2.5])
def test_neutralise_leaves_other_values(value):
    assert exports.neutralise(value) == value


def test_csv_writer_neutralises_every_text_cell():
    data = exports.to_csv(["Nom", "=Titre"], [["=1+1", 4], ["Amina", None]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Nom", "'=Titre"], ["'=1+1", "4"], ["Amina", ""]]


def test_xlsx_writer_neutralises_and_never_writes_a_formula():
    data = exports.to_xlsx(["Nom"], [['=HYPERLINK("http://x","y")', 3]], title="Feuille")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Feuille"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x","y")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3
