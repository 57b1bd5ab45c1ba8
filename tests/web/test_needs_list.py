"""The list of needs: cards, filters by status, category and area, paging that keeps the filters."""
import re

import pytest

from gandeng.needs.models import NeedStatus
from tests import factories as f
from tests.conftest import login

KRICAK = "34.71.01.1001"          # kemantren Tegalrejo
PRINGGOKUSUMAN = "34.71.05.1002"  # kemantren Gedongtengen


@pytest.fixture
def needs(session):
    kricak = f.make_kampung(session, "Kampung Anggrek", KRICAK)
    pringgo = f.make_kampung(session, "Kampung Melati", PRINGGOKUSUMAN)
    made = {
        "water": f.make_need(session, kampung=kricak, title="Sumur bor Anggrek", category_code="sanitation",
                             cost_rp=4_000_000),
        "house": f.make_need(session, kampung=pringgo, title="Bedah rumah Melati", category_code="housing"),
        "draft": f.make_need(session, kampung=kricak, title="Draf Anggrek", status=NeedStatus.DRAFT),
        "other_draft": f.make_need(session, kampung=pringgo, title="Draf Melati", status=NeedStatus.DRAFT),
        "submitted": f.make_need(session, kampung=pringgo, title="Diajukan Melati", status=NeedStatus.SUBMITTED),
        "coordinator": f.make_coordinator(session, kampung=kricak),
        "staff": f.make_staff(session),
    }
    session.commit()
    return made


def test_list_shows_cards_with_place_category_money_and_status(client, needs):
    page = client.get("/needs").text
    assert "Sumur bor Anggrek" in page and "Bedah rumah Melati" in page
    for text in ("Kampung Anggrek", "Kricak", "Tegalrejo", "Sanitasi &amp; air bersih", "Rp4.000.000",
                 "Terverifikasi", "Urgensi"):
        assert text in page
    assert "Draf Anggrek" not in page and "Diajukan Melati" not in page


def test_list_filters_by_kemantren_and_kelurahan(client, needs):
    by_kemantren = client.get("/needs?kemantren=34.71.05").text
    assert "Bedah rumah Melati" in by_kemantren and "Sumur bor Anggrek" not in by_kemantren
    by_kelurahan = client.get(f"/needs?kelurahan={KRICAK}").text
    assert "Sumur bor Anggrek" in by_kelurahan and "Bedah rumah Melati" not in by_kelurahan


def test_list_filters_by_category(client, needs):
    page = client.get("/needs?category=housing").text
    assert "Bedah rumah Melati" in page and "Sumur bor Anggrek" not in page


def test_public_status_filter_offers_only_public_statuses_and_ignores_others(client, needs):
    page = client.get("/needs").text
    assert 'value="verified"' in page and 'value="draft"' not in page and 'value="submitted"' not in page
    sneaky = client.get("/needs?status=draft").text
    assert "Draf Anggrek" not in sneaky and "Draf Melati" not in sneaky


def test_staff_filters_submitted_needs_but_never_sees_drafts(client, needs):
    login(client, needs["staff"])
    page = client.get("/needs?status=submitted").text
    assert "Diajukan Melati" in page and "Sumur bor Anggrek" not in page
    assert 'value="draft"' not in page
    assert "Draf Anggrek" not in client.get("/needs").text


def test_coordinator_sees_own_drafts_and_the_my_kampung_filter(client, needs):
    login(client, needs["coordinator"])
    page = client.get("/needs").text
    assert "Tulis kebutuhan baru" in page and "Kebutuhan kampung saya" in page
    assert "Draf Anggrek" in page and "Draf Melati" not in page
    mine = client.get("/needs?mine=1").text
    assert "Draf Anggrek" in mine and "Sumur bor Anggrek" in mine and "Bedah rumah Melati" not in mine


def test_visitors_do_not_get_the_write_button(client, needs):
    page = client.get("/needs").text
    assert "Tulis kebutuhan baru" not in page and "Kebutuhan kampung saya" not in page


def test_paging_keeps_the_filters(app, client, session, needs):
    app.config["PER_PAGE"] = 2
    kampung = f.make_kampung(session, "Kampung Kenanga", KRICAK)
    for n in range(3):
        f.make_need(session, kampung=kampung, title=f"Tandon Kenanga {n}", category_code="sanitation")
    session.commit()
    first = client.get("/needs?category=sanitation").text
    assert "4 kebutuhan ditemukan." in first
    assert "Halaman 1 dari 2" in first
    link = re.search(r'rel="next" href="(/needs\?[^"]*after=[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "category=sanitation" in link
    second = client.get(link).text
    assert "Halaman 2 dari 2" in second
    titles = re.findall(r"(Tandon Kenanga \d|Sumur bor Anggrek)", first + second)
    assert sorted(set(titles)) == ["Sumur bor Anggrek", "Tandon Kenanga 0", "Tandon Kenanga 1", "Tandon Kenanga 2"]
    assert "Bedah rumah Melati" not in first + second


def test_bad_page_and_filter_values_fall_back_quietly(client, needs):
    response = client.get("/needs?page=abc&status=bogus&kemantren=99")
    assert response.status_code == 200
    assert "Sumur bor Anggrek" in response.text and "Bedah rumah Melati" in response.text


def test_list_page_runs_no_query_per_card(app, client, session, needs):
    from sqlalchemy import event

    from gandeng.db import db

    def queries_for_list():
        seen = []
        listener = lambda *args, **kwargs: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/needs").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = queries_for_list()
    for n in range(6):
        f.make_need(session, kampung=f.make_kampung(session, f"Kampung Baru {n}", PRINGGOKUSUMAN),
                    category_code="education", title=f"Les anak {n}")
    session.commit()
    assert queries_for_list() == few
