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


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    body = "\ufeff" + csv_text(header, rows)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
    })


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = cell.font.copy(bold=True)
    for row in rows:
        values = [None if v is None else ("ya" if v is True else "tidak" if v is False else v) for v in row]
        sheet.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in values])
        for cell, value in zip(sheet[sheet.max_row], values):
            if isinstance(value, str):
                cell.value = value
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    return Response(xlsx_bytes(sheet_title, header, rows), mimetype=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
    })
