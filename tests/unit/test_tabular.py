"""CSV and XLSX downloads: formula injection refused, numbers kept, odd characters survive."""
import io
from datetime import datetime

from openpyxl import load_workbook

from gandeng.reports.tabular import csv_text, xlsx_bytes

DANGEROUS = ["=HYPERLINK(\"http://x\",\"klik\")", "+62 812", "-2+3", "@SUM(A1)", "\tx"]


def test_csv_quotes_every_text_that_a_spreadsheet_would_run_as_a_formula():
    text = csv_text(["judul"], [[value] for value in DANGEROUS] + [[-5], ["aman"]])
    lines = text.splitlines()[1:]
    assert all(line.lstrip('"').startswith("'") for line in lines[:5]), lines
    assert lines[5:] == ["-5", "aman"]


def test_xlsx_stores_dangerous_text_as_text_and_numbers_as_numbers():
    data = xlsx_bytes("uji", ["judul", "nilai"], [[value, -5] for value in DANGEROUS])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [sheet.cell(row=r, column=1).value for r in range(2, 7)] == DANGEROUS
    assert {sheet.cell(row=r, column=1).data_type for r in range(2, 7)} == {"s"}
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_xlsx_drops_control_characters_instead_of_failing():
    data = xlsx_bytes("uji", ["judul", "waktu"], [["tab\x0bvertikal\x01", datetime(2026, 11, 28, 7, 30)]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "tabvertikal"
    assert sheet["B2"].value == datetime(2026, 11, 28, 7, 30)
