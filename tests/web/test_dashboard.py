"""The staff dashboard page and its CSV downloads through HTTP."""
import csv
import io
from datetime import datetime
from html.parser import HTMLParser

import pytest

from gandeng.collaborations import services
from tests import factories as f
from tests.conftest import login

KRICAK, BUMIJO = "34.71.01.1001", "34.71.02.1001"


class TableCells(HTMLParser):
    """The rows of the first table inside (or being) the element with the given id; each cell as
    (text, value): value is the cell's data-value (a figure's raw value) or, without one, its text."""

    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.state, self.rows, self.cell = element_id, "before", [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.state == "before" and attrs.get("id") == self.element_id:
            self.state = "seeking"
        if self.state == "seeking" and tag == "table":
            self.state = "inside"
        elif self.state == "inside" and tag == "tr":
            self.rows.append([])
        elif self.state == "inside" and tag in ("td", "th"):
            self.cell, self.text = attrs.get("data-value"), ""
            self.in_cell = True

    def handle_data(self, data):
        if self.state == "inside" and getattr(self, "in_cell", False):
            self.text += data

    def handle_endtag(self, tag):
        if self.state == "inside" and tag in ("td", "th"):
            text = " ".join(self.text.split())
            self.rows[-1].append((text, text if self.cell is None else self.cell))
            self.in_cell = False
        elif self.state == "inside" and tag == "table":
            self.state = "done"


def table_rows(html, element_id):
    parser = TableCells(element_id)
    parser.feed(html)
    return [row for row in parser.rows if row]


@pytest.fixture
def data(session):
    """One verified need of Rp1.500.000 in Kricak (created in Q2 2026) with Rp1.000.000 committed
    by a company, and one need of Rp2.000.000 in Bumijo created in Q1 2026."""
    staff = f.make_staff(session, email="petugas@contoh.id")
    kricak = f.make_kampung(session, "Kampung Uji", KRICAK)
    need = f.make_need(session, kampung=kricak, cost_rp=1_500_000, partial_ok=True)
    other = f.make_need(session, kampung=f.make_kampung(session, "Kampung Lain", BUMIJO), cost_rp=2_000_000)
    offer = f.make_offer(session, organisation=f.make_organisation(session, "PT Uji", "korporat"))
    commitment = services.approve_proposal(session, staff, f.proposal_for(session, need, offer, 1_000_000))
    need.created_at = datetime(2026, 5, 2, 3, 0)
    other.created_at = datetime(2026, 2, 2, 3, 0)
    commitment.created_at = datetime(2026, 5, 9, 3, 0)
    session.commit()
    return {"staff": staff}


def test_staff_and_admin_see_the_dashboard(client, session, data):
    login(client, data["staff"])
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "<h1" in page.text and "Dasbor program" in page.text
    client.post("/logout")
    login(client, f.make_admin(session, email="admin@contoh.id"))
    session.commit()
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_coordinators_and_partners_are_refused(client, session, role):
    user = f.make_coordinator(session) if role == "coordinator" else f.make_partner(session)
    session.commit()
    login(client, user)
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard/data/kelurahan.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/dashboard?year=2026")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/dashboard/data/status.csv").status_code == 302


def test_figures_appear_formatted_in_rupiah_and_percent(client, data):
    login(client, data["staff"])
    page = client.get("/dashboard").text
    assert 'id="headline-needed">Rp3.500.000<' in page
    assert 'id="headline-committed">Rp1.000.000<' in page
    assert 'id="headline-coverage">28,6%<' in page  # 1.000.000 / 3.500.000
    kricak = next(row for row in table_rows(page, "table-kelurahan") if row and row[0][0] == "Kricak")
    assert [text for text, _raw in kricak] == ["Kricak", "Tegalrejo", "1", "Rp1.500.000", "Rp1.000.000", "Rp0",
                                               "66,7%", "0,0%"]


def test_filters_echo_in_the_form_and_narrow_the_figures(client, data):
    login(client, data["staff"])
    page = client.get("/dashboard?year=2026&quarter=2&kemantren=34.71.01").text
    assert '<option value="2026" selected>' in page
    assert '<option value="2" selected>' in page
    assert '<option value="34.71.01" selected>Tegalrejo</option>' in page
    assert 'id="headline-needed">Rp1.500.000<' in page
    q1 = client.get("/dashboard?year=2026&quarter=1").text
    assert 'id="headline-needed">Rp2.000.000<' in q1 and 'id="headline-committed">Rp0<' in q1
    assert "/dashboard/data/status.csv?year=2026&amp;quarter=1" in q1


@pytest.mark.parametrize("query", ["year=abc&quarter=x", "year=1900&quarter=2", "year=2026&quarter=9",
                                   "quarter=3", "kemantren=%27%3Bdrop", "year=99999999999999999999"])
def test_invalid_filter_values_are_ignored_not_errors(client, data, query):
    login(client, data["staff"])
    page = client.get(f"/dashboard?{query}")
    assert page.status_code == 200
    assert client.get(f"/dashboard/data/kemantren.csv?{query}").status_code == 200
    if "year=2026" not in query:
        assert 'id="headline-needed">Rp3.500.000<' in page.text  # all time, whole city


@pytest.mark.parametrize("name,element_id", [
    ("kelurahan", "table-kelurahan"), ("category", "table-category"), ("kemantren", "table-kemantren"),
    ("programme", "table-programme"), ("partners", "table-partners"), ("status", "chart-status"),
    ("trend", "chart-trend"), ("category-coverage", "chart-category"), ("kemantren-coverage", "chart-kemantren"),
])
def test_csv_download_holds_the_rows_of_the_table_on_the_page(client, data, name, element_id):
    login(client, data["staff"])
    page = client.get("/dashboard?year=2026").text
    response = client.get(f"/dashboard/data/{name}.csv?year=2026")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"dasbor-{name}-2026.csv" in response.headers["Content-Disposition"]
    in_csv = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    on_page = table_rows(page, element_id)
    assert in_csv[0] == [text for text, _value in on_page[0]]  # the header
    assert in_csv[1:] == [[value for _text, value in row] for row in on_page[1:]]
    assert len(in_csv) > 2


def test_unknown_csv_table_is_not_found(client, data):
    login(client, data["staff"])
    assert client.get("/dashboard/data/secrets.csv").status_code == 404


def _details_before(page: str, element_id: str) -> str:
    """The opening <details ...> tag nearest before the element with this id."""
    at = page.index(f'id="{element_id}"')
    start = page.rindex("<details", 0, at)
    return page[start:page.index(">", start) + 1]


def test_long_tables_are_folded_and_short_ones_stay_open(client, data):
    """Phone walk: the 45 kelurahan stacked as cards made the dashboard ~26,000 px tall on a phone."""
    login(client, data["staff"])
    page = client.get("/dashboard").text
    assert "Tampilkan tabel (45 baris)" in page
    assert " open" not in _details_before(page, "table-kelurahan")  # 45 rows, folded
    assert " open" not in _details_before(page, "table-kemantren")  # 14 rows, folded
    assert "Tabel data (14 baris)" in page  # the chart of the 14 kemantren folds its table
    assert "<details" not in page[page.index('id="table-programme"') - 600:page.index('id="table-programme"')]
