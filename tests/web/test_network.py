"""The /network page and its edge list: staff only, ranking, where partners work, who is left out."""
import csv
import io
from datetime import datetime

import pytest

from tests import factories as f
from tests.conftest import login


@pytest.fixture
def staff(session):
    """PT Bank works in two kampung of Kricak, Komunitas in one; Kampung Sunyi (Bener) has nobody."""
    user = f.make_staff(session)
    anggrek = f.make_kampung(session, "Kampung Anggrek", "34.71.01.1001")
    bougenvil = f.make_kampung(session, "Kampung Bougenvil", "34.71.01.1001")
    f.make_kampung(session, "Kampung Sunyi", "34.71.01.1004")
    bank = f.make_offer(session, organisation=f.make_organisation(session, "PT Bank Jaringan"), capacity_rp=90_000_000)
    community = f.make_offer(session, organisation=f.make_organisation(session, "Komunitas Guyub", "komunitas"))
    for kampung, offer, amount, year in ((anggrek, bank, 2_000_000, 2026), (bougenvil, bank, 3_000_000, 2026),
                                         (anggrek, community, 7_500_000, 2025)):
        made = f.make_collaboration(session, f.make_need(session, kampung=kampung), offer, amount, staff=user)
        made.created_at = datetime(year, 5, 1, 3, 0)
    session.commit()
    return user


def test_network_page_ranks_partners_and_lists_who_is_left_out(client, staff):
    login(client, staff)
    response = client.get("/network")
    assert response.status_code == 200
    text = response.text
    assert text.index("PT Bank Jaringan") < text.index("Komunitas Guyub")  # 2 kampung before 1
    assert "Rp5.000.000" in text and "Rp7.500.000" in text
    unreached = text[text.index('id="unreached-kampung-title"'):text.index('id="unreached-kelurahan-title"')]
    assert "Kampung Sunyi" in unreached and "Bener" in unreached and "Kampung Anggrek" not in unreached
    kelurahan = text[text.index('id="unreached-kelurahan-title"'):]
    assert "Kricak" not in kelurahan and "Karangwaru" in kelurahan
    assert 'href="/network/edges.csv"' in text


def test_year_filter_shows_only_that_years_partners(client, staff):
    login(client, staff)
    text = client.get("/network?year=2025").text
    assert "Komunitas Guyub" in text and "PT Bank Jaringan" not in text
    assert 'href="/network/edges.csv?year=2025"' in text
    assert '<option value="2025" selected>' in text


def test_edge_list_csv_has_one_row_per_organisation_and_kampung(client, staff):
    login(client, staff)
    response = client.get("/network/edges.csv?year=2026")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="gandeng-network-edges-2026-')
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8").lstrip("\ufeff"))))
    assert [(r["organisation"], r["kampung"], r["kelurahan"], r["kemantren"], r["collaborations"], r["amount_rp"])
            for r in rows] == [
        ("PT Bank Jaringan", "Kampung Anggrek", "Kricak", "Tegalrejo", "1", "2000000"),
        ("PT Bank Jaringan", "Kampung Bougenvil", "Kricak", "Tegalrejo", "1", "3000000"),
    ]


def test_only_staff_see_the_network(client, session, staff):
    assert client.get("/network").status_code == 302
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    assert client.get("/network").status_code == 403
    assert client.get("/network/edges.csv").status_code == 403
