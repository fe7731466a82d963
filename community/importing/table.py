"""Reading an uploaded spreadsheet into a header and numbered rows, and naming its columns.

This part stays ours rather than tablib's loaders (django-import-export's formats) because:

- the report names rows by their spreadsheet line: tablib's CSV loader drops empty lines and
  renumbers what follows, and its XLSX loader takes the first row as the header even when the
  sheet starts with blank rows;
- an agency's CSV comes from Excel in Windows-1252 as often as in UTF-8, separated by `;` as
  often as by `,`: the library decodes one configured encoding with one delimiter;
- an .xlsx is a zip: a decompression bomb is refused before openpyxl unpacks it;
- the French headers have accepted variants (accents, case, synonyms), and a wrong header is
  reported by column letter before any row is read; a library `Field` has one column name.
"""

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from openpyxl import load_workbook


class ImportFileError(Exception):
    """The file cannot be read as a table with the expected header; nothing is imported."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Column:
    """One column of an import: its key (the resource field's column name), the French header
    shown to people, and the other headers accepted for it."""

    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


def fold(value) -> str:
    """Lower-case, accents removed, spaces collapsed: how headers and names are compared."""
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return " ".join(value.lower().replace("_", " ").split())


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet line number, cells)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(content: bytes, filename: str) -> Table:
    """Read a CSV (UTF-8 or Windows-1252, `;` or `,`) or an XLSX file's first sheet."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv"):
        rows = _read_csv(content)
    else:
        raise ImportFileError([_("Déposez un fichier .csv ou .xlsx.")])
    numbered = list(enumerate(rows, start=1))
    while numbered and not any(numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise ImportFileError([_("Le fichier est vide.")])
    (_line, header), *body = numbered
    return Table(
        header=[cell.strip() for cell in header],
        rows=[(line, cells) for line, cells in body if any(cell.strip() for cell in cells)],
    )


def _read_csv(content: bytes) -> list[list[str]]:
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise ImportFileError([_("Ce fichier .csv ne peut pas être lu : ce n'est pas du texte.")])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def _read_xlsx(content: bytes) -> list[list[str]]:
    # An .xlsx is a zip: refuse one that would unpack into far more than a spreadsheet holds
    # (a decompression bomb) before openpyxl reads it.
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError([_("Ce fichier .xlsx ne peut pas être lu.")]) from exc
    if unpacked > settings.COMMUNITY_IMPORT_MAX_BYTES * 20:
        raise ImportFileError([_("Ce fichier .xlsx est trop gros une fois décompressé.")])
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError([_("Ce fichier .xlsx ne peut pas être lu.")]) from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def map_header(columns: list[Column], header: list[str]) -> dict[str, int]:
    """Which cell index holds each column; a wrong header stops the whole file."""
    by_name = {}
    for column in columns:
        for name in (column.label, *column.aliases, column.key):
            by_name[fold(name)] = column
    mapping: dict[str, int] = {}
    errors = []
    for index, title in enumerate(header):
        if not title:
            continue
        column = by_name.get(fold(title))
        where = column_letter(index)
        if column is None:
            errors.append(
                _("Colonne %(letter)s : en-tête « %(title)s » inconnu.")
                % {"letter": where, "title": title}
            )
        elif column.key in mapping:
            errors.append(
                _("Colonne %(letter)s : la colonne « %(title)s » apparaît deux fois.")
                % {"letter": where, "title": title}
            )
        else:
            mapping[column.key] = index
    for column in columns:
        if column.required and column.key not in mapping:
            errors.append(
                _("Colonne obligatoire « %(label)s » absente de l'en-tête.")
                % {"label": column.label}
            )
    if errors:
        expected = ", ".join(column.label for column in columns)
        errors.append(_("Colonnes attendues : %(expected)s.") % {"expected": expected})
        raise ImportFileError(errors)
    return mapping
