"""Rows of a CSV (UTF-8, comma) or XLSX (first sheet) file, numbered as a spreadsheet shows them."""
import csv
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header); one clear message."""


@dataclass(frozen=True)
class Row:
    """One data row: its number as a spreadsheet shows it (the header is row 1) and its cells
    by column name. CSV cells are text; XLSX cells may also be numbers, dates or booleans."""

    number: int
    values: dict

    def __getitem__(self, column):
        return self.values.get(column)


def column_name(header) -> str:
    """'Cost RP ', 'cost-rp' and 'cost rp' all name the column `cost_rp`."""
    text = str(header if header is not None else "").replace("\ufeff", "").strip().lower()
    return "_".join(text.replace("-", " ").split())


def read_rows(path, required: tuple, optional: tuple = ()) -> list[Row]:
    """The non-empty data rows of `path` (.csv or .xlsx), keeping only the known columns.
    ImportFileError when the file cannot be read or its header lacks a required column."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _csv_table(path)
    elif suffix == ".xlsx":
        table = _xlsx_table(path)
    else:
        raise ImportFileError(f"{path.name}: use a .csv or .xlsx file")
    if not table:
        raise ImportFileError(f"{path.name}: the file is empty (row 1 must name the columns)")
    header = [column_name(cell) for cell in table[0]]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportFileError(
            f"{path.name}: missing column(s) in row 1: {', '.join(missing)} "
            f"(needed: {', '.join(required)}; optional: {', '.join(optional) or '-'})"
        )
    wanted = set(required) | set(optional)
    doubled = sorted({name for name in header if name in wanted and header.count(name) > 1})
    if doubled:
        raise ImportFileError(f"{path.name}: column(s) named twice in row 1: {', '.join(doubled)}")
    positions = {name: header.index(name) for name in wanted if name in header}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()}
        if all(_blank(value) for value in values.values()):
            continue  # spreadsheets often carry empty rows below the data
        rows.append(Row(number, values))
    if not rows:
        raise ImportFileError(f"{path.name}: no data rows below the header")
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_table(path: Path) -> list[list]:
    try:
        # utf-8-sig drops the byte-order mark that Excel writes at the start of "CSV UTF-8".
        with path.open(encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path.name}: not UTF-8 text (save it as 'CSV UTF-8')") from exc
    except OSError as exc:
        raise ImportFileError(f"{path.name}: cannot read the file ({exc.strerror})") from exc
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian write ';' between columns; accept that when the header shows it.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        return [row for row in csv.reader(text.splitlines(keepends=True), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}: not a valid CSV file ({exc})") from exc


def _xlsx_table(path: Path) -> list[list]:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"{path.name}: not a readable .xlsx workbook") from exc
    except Exception as exc:  # openpyxl raises its own InvalidFileException and friends
        raise ImportFileError(f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__})") from exc
    if not workbook.worksheets:
        raise ImportFileError(f"{path.name}: the workbook has no sheet")
    sheet = workbook.worksheets[0]
    return [list(cells) for cells in sheet.iter_rows(min_row=1, values_only=True)]
