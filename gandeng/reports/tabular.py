"""CSV and XLSX downloads, safe to open in a spreadsheet.

A text cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return) would run as a formula
in Excel or LibreOffice ("formula injection"): in CSV such a text gets a leading apostrophe, in XLSX
it is stored as a text cell, never as a formula. Numbers stay numbers (a negative amount is a number,
not a text). CSV is UTF-8 with a byte-order mark so that Excel shows "Rp" and accents right."""
import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS_START)


def csv_cell(value):
    """A value as written to CSV: None -> "", dates in ISO form, dangerous text quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if is_dangerous(value):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_body(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The text of a CSV download: a byte-order mark, then the rows."""
    return "\ufeff" + csv_text(header, rows)


def json_records(header: Sequence[str], rows: Iterable[Sequence]) -> list[dict]:
    """The rows of a CSV download as JSON objects keyed by the column names: the same values, numbers as
    numbers, dates in ISO form, an empty cell as null (no apostrophe: JSON is never run as a formula)."""
    return [{name: value.isoformat() if isinstance(value, (date, datetime)) else value
             for name, value in zip(header, row, strict=True)} for row in rows]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    body = csv_body(header, rows)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
    })


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet, bold frozen header. Streams rows (openpyxl's write-only mode: 10,000 needs in about
    a second, not ten); every text is a text cell, never a formula; control characters that XLSX
    cannot hold (pasted from elsewhere) are dropped instead of failing the download."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def text_cell(value: str, font=None):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
        if font is not None:
            cell.font = font
        return cell

    def cell_of(value):
        if value is True or value is False:
            value = "ya" if value else "tidak"
        if isinstance(value, str):
            return text_cell(value)
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        return value

    sheet.append([text_cell(str(name), bold) for name in header])
    for row in rows:
        sheet.append([cell_of(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    return Response(xlsx_bytes(sheet_title, header, rows), mimetype=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
    })
