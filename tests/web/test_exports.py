"""The /exports pages: who may download, file names, and cells that arrive as text, never as formulas."""
import csv
import io

import pytest
from openpyxl import load_workbook

from gandeng.reports import tabular
from gandeng.reports.exports import HEADERS
from tests import factories as f
from tests.conftest import login

DANGEROUS = ['=HYPERLINK("http://x","klik")', "+62 812", "@SUM(A1)", "-5"]


@pytest.fixture
def staff(session):
    user = f.make_staff(session)
    kampung = f.make_kampung(session, "Kampung Uji")
    for title in DANGEROUS:
        f.make_need(session, kampung=kampung, title=title, cost_rp=2_500_000, beneficiaries="Bu Rahasia",
                    contact_phone="0812-9999-0000")
    session.commit()
    return user


def _csv_rows(response):
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_page_offers_each_dataset_in_csv_and_xlsx(client, staff):
    login(client, staff)
    response = client.get("/exports")
    assert response.status_code == 200
    for dataset in ("needs", "offers", "collaborations"):
        assert f'action="/exports/{dataset}.csv"' in response.text
        assert f'formaction="/exports/{dataset}.xlsx"' in response.text
    assert "4 baris" in response.text  # the four needs


def test_partner_and_coordinator_may_not_download(client, session, staff):
    for user in (f.make_partner(session), f.make_coordinator(session)):
        session.commit()
        login(client, user)
        assert client.get("/exports/needs.csv").status_code == 403
        client.post("/logout")
    assert client.get("/exports/needs.csv").status_code == 302


@pytest.mark.parametrize("path", ["/exports/users.csv", "/exports/needs.pdf", "/exports/needs.CSV",
                                  "/exports/needs.csv.xlsx"])
def test_unknown_dataset_or_format_is_not_found(client, staff, path):
    login(client, staff)
    assert client.get(path).status_code == 404


def test_csv_neutralises_formulas_with_an_apostrophe(client, staff):
    login(client, staff)
    response = client.get("/exports/needs.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = _csv_rows(response)
    assert rows[0] == list(HEADERS["needs"])
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    assert titles == ["'" + title for title in DANGEROUS]
    assert [row[rows[0].index("cost_rp")] for row in rows[1:]] == ["2500000"] * 4


def test_xlsx_stores_dangerous_titles_as_text_cells(client, staff):
    login(client, staff)
    response = client.get("/exports/needs.xlsx")
    assert response.status_code == 200
    assert response.mimetype == tabular.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header == list(HEADERS["needs"])
    title_cells = [row[header.index("title")] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in title_cells] == DANGEROUS
    assert {cell.data_type for cell in title_cells} == {"s"}
    cost_cells = [row[header.index("cost_rp")] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in cost_cells] == [(2_500_000, "n")] * 4


def test_negative_numbers_stay_numbers_in_both_formats():
    header, rows = ("label", "amount"), [("-5", -5)]
    assert tabular.csv_text(header, rows).splitlines()[1] == "'-5,-5"
    sheet = load_workbook(io.BytesIO(tabular.xlsx_bytes("t", header, rows))).active
    label, amount = sheet[2]
    assert (label.value, label.data_type) == ("-5", "s")
    assert (amount.value, amount.data_type) == (-5, "n")


def test_files_are_named_after_dataset_filters_and_day(client, staff, monkeypatch):
    from datetime import date

    from gandeng.reports import export_views

    monkeypatch.setattr(export_views, "today_wib", lambda: date(2026, 11, 28))
    login(client, staff)
    response = client.get("/exports/collaborations.xlsx?status=completed&kemantren=34.71.01&year=2026&quarter=3")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="gandeng-collaborations-2026q3-34.71.01-completed-2026-11-28.xlsx"'
    response = client.get("/exports/offers.csv?status=bogus")
    assert response.headers["Content-Disposition"] == 'attachment; filename="gandeng-offers-2026-11-28.csv"'


def test_exports_carry_no_household_names_or_phones(client, staff):
    login(client, staff)
    for path in ("/exports/needs.csv", "/exports/collaborations.csv", "/exports/offers.csv"):
        text = client.get(path).data.decode("utf-8")
        assert "Bu Rahasia" not in text and "0812-9999-0000" not in text
    book = load_workbook(io.BytesIO(client.get("/exports/needs.xlsx").data))
    values = [str(cell.value) for row in book.active.iter_rows() for cell in row]
    assert not any("Rahasia" in v or "9999" in v for v in values)


def test_filtered_csv_has_only_matching_rows(client, session, staff):
    other = f.make_kampung(session, "Kampung Lain", "34.71.05.1002")  # Gedongtengen
    f.make_need(session, kampung=other, title="Talud gang", status="submitted")
    session.commit()
    login(client, staff)
    rows = _csv_rows(client.get("/exports/needs.csv?kemantren=34.71.05"))
    assert [row[rows[0].index("title")] for row in rows[1:]] == ["Talud gang"]
    rows = _csv_rows(client.get("/exports/needs.csv?status=submitted&kemantren=34.71.01"))
    assert rows == [list(HEADERS["needs"])]
