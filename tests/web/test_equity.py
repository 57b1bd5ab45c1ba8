"""The equity page, its map data and CSV downloads: staff only, the same figures everywhere,
left-behind kelurahan highlighted with a text badge (not colour only)."""
import csv
import io
from html.parser import HTMLParser

import pytest

from gandeng.reference.models import Kelurahan
from tests import factories as f
from tests.conftest import login
from tests.integration.equity_world import GOWONGAN, KARANGWARU, KRICAK, TEGALREJO, M, build_equity_world

FIGURE_KEYS = ["per_kms_rp", "committed_rp", "realised_rp", "needed_rp", "needs", "collaborations",
               "kms_households", "coverage_percent"]


class EquityTable(HTMLParser):
    """Rows of the equity table: code -> {"class", "name", values by key, "badge"}."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.key, self.in_name, self.in_badge = {}, None, None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-code" in attrs:
            self.row = {"class": attrs.get("class") or "", "name": "", "badge": ""}
            self.rows[attrs["data-code"]] = self.row
        elif self.row is not None and tag == "td" and "data-key" in attrs:
            self.row[attrs["data-key"]] = attrs["data-value"]
        elif self.row is not None and tag == "th":
            self.in_name = True
        elif self.row is not None and tag == "span" and "badge" in (attrs.get("class") or ""):
            self.in_badge = True

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None
        self.in_name = self.in_name and tag != "th"
        self.in_badge = self.in_badge and tag != "span"

    def handle_data(self, data):
        if self.row is not None and self.in_name and not self.row["name"]:
            self.row["name"] = data.strip()  # the kelurahan; its kemantren follows in a span
        if self.row is not None and self.in_badge:
            self.row["badge"] += data.strip()


def table_of(html: str) -> dict:
    parser = EquityTable()
    parser.feed(html)
    return parser.rows


def csv_rows(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def world(session):
    found = build_equity_world(session)
    session.commit()
    return found


def test_anonymous_is_sent_to_login(client, world):
    for path in ("/dashboard/equity", "/dashboard/map.json", "/dashboard/equity.csv", "/dashboard/equity/gini.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_coordinator_and_partner_are_refused(client, session, world):
    coordinator = f.make_coordinator(session)
    session.commit()
    for user in (coordinator, world["partner"]):
        login(client, user)
        assert client.get("/dashboard/equity").status_code == 403
        assert client.get("/dashboard/map.json").status_code == 403
        client.post("/logout")


def test_admin_sees_the_page(client, session, world):
    admin = f.make_admin(session)
    session.commit()
    login(client, admin)
    assert client.get("/dashboard/equity").status_code == 200


def test_map_data_has_every_kelurahan_and_the_table_figures(client, session, world):
    login(client, world["staff"])
    data = client.get("/dashboard/map.json").get_json()
    assert [figure["key"] for figure in data["figures"]] == FIGURE_KEYS
    assert {figure["kind"] for figure in data["figures"]} == {"rupiah", "number", "percent"}
    codes = set(session.scalars(Kelurahan.__table__.select().with_only_columns(Kelurahan.code)))
    assert set(data["kelurahan"]) == codes and len(codes) == 45
    kricak = data["kelurahan"][KRICAK]
    assert (kricak["name"], kricak["kemantren"]) == ("Kricak", "Tegalrejo")
    assert kricak["values"] == {
        "per_kms_rp": 1_666_667, "committed_rp": 10 * M, "realised_rp": 3 * M, "needed_rp": 15 * M,
        "needs": 2, "collaborations": 2, "kms_households": 6, "coverage_percent": 66.7,
    }
    assert data["kelurahan"]["34.71.01.1004"]["values"]["per_kms_rp"] is None  # Bener: no KMS households
    table = table_of(client.get("/dashboard/equity").get_data(as_text=True))
    for code, place in data["kelurahan"].items():
        for key, value in place["values"].items():
            assert table[code][key] == ("" if value is None else str(value))


def test_map_data_follows_the_period(client, world):
    login(client, world["staff"])
    data = client.get("/dashboard/map.json?year=2025&quarter=1").get_json()
    assert data["kelurahan"][KRICAK]["values"]["committed_rp"] == 8 * M
    assert data["kelurahan"][KARANGWARU]["values"]["per_kms_rp"] == 500_000
    page = client.get("/dashboard/equity?year=2025&quarter=1").get_data(as_text=True)
    assert 'data-map-data="/dashboard/map.json?year=2025&amp;quarter=1"' in page
    assert 'href="/dashboard/equity.csv?year=2025&amp;quarter=1"' in page


def test_csv_equals_the_table(client, world):
    login(client, world["staff"])
    table = table_of(client.get("/dashboard/equity").get_data(as_text=True))
    rows = csv_rows(client.get("/dashboard/equity.csv"))
    assert len(rows) == len(table) == 45
    assert [row["kode_kelurahan"] for row in rows] == list(table)  # same order
    columns = dict(zip(FIGURE_KEYS, ["rp_per_kk_kms", "rp_komitmen", "rp_terealisasi", "rp_dibutuhkan",
                                     "kebutuhan", "kerja_sama", "kk_kms", "cakupan_persen"]))
    for row in rows:
        shown = table[row["kode_kelurahan"]]
        assert row["kelurahan"] == shown["name"]
        assert {key: row[column] for key, column in columns.items()} == {key: shown[key] for key in FIGURE_KEYS}
        assert (row["status"] == "tertinggal") == (shown["badge"] == "Perlu perhatian")


def test_csv_follows_the_period(client, world):
    login(client, world["staff"])
    response = client.get("/dashboard/equity.csv?year=2025&quarter=1")
    assert 'filename="pemerataan-kelurahan-2025-1.csv"' in response.headers["Content-Disposition"]
    rows = {row["kode_kelurahan"]: row for row in csv_rows(response)}
    assert rows[KRICAK]["rp_komitmen"] == str(8 * M)
    assert {code for code, row in rows.items() if row["status"] == "tertinggal"} == {TEGALREJO}


def test_left_behind_rows_are_highlighted_with_a_text_badge(client, world):
    login(client, world["staff"])
    page = client.get("/dashboard/equity").get_data(as_text=True)
    table = table_of(page)
    highlighted = {code for code, row in table.items() if "gg-left-behind" in row["class"]}
    assert highlighted == {GOWONGAN, TEGALREJO}
    assert all(table[code]["badge"] == "Perlu perhatian" for code in highlighted)
    assert table[KARANGWARU]["badge"] == "" and "gg-left-behind" not in table[KARANGWARU]["class"]
    assert list(table)[:2] == [GOWONGAN, TEGALREJO]  # listed first
    summary = page.split('id="equity-left-behind"')[1].split("</ul>")[0]
    assert "Gowongan" in summary and "Tegalrejo" in summary and "Karangwaru" not in summary


def test_page_shows_city_figure_gini_and_scripts(client, world):
    login(client, world["staff"])
    page = client.get("/dashboard/equity").get_data(as_text=True)
    assert "Rp700.000" in page.split('id="equity-city-figure"')[1][:200]
    assert "0,686" in page.split('id="equity-gini"')[1][:100]  # 24/35
    assert "vendor/leaflet-1.9.4/leaflet.js" in page and "js/map.js" in page and "js/charts.js" in page
    assert "style=" not in page
    # no personal data of single needs
    assert "Sarinah" not in page and "081234567890" not in page


def test_gini_csv_equals_the_chart_table(client, world):
    login(client, world["staff"])
    rows = csv_rows(client.get("/dashboard/equity/gini.csv"))
    assert [list(row) for row in rows[:1]] == [["triwulan", "indeks_gini"]]
    assert [(row["triwulan"], row["indeks_gini"]) for row in rows[:4]] == [
        ("TW1 2025", "66.4"), ("TW2 2025", "57.1"), ("TW3 2025", "68.6"), ("TW4 2025", "68.6")]
    page = client.get("/dashboard/equity").get_data(as_text=True)
    chart = page.split('id="equity-gini-series"')[1].split("</figure>")[0]
    for row in rows:
        assert f'<th scope="row">{row["triwulan"]}</th>' in chart
        assert f'data-value="{row["indeks_gini"]}"' in chart
