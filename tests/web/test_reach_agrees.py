"""One set of figures: home, /public and /dashboard say the same "sudah dibantu" (reached) on the same data."""
import re

import pytest

from gandeng.collaborations import services
from gandeng.reports.reach import reach
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def city(session):
    """Four kampung in three kelurahan: work started in two (one completed, 12 beneficiaries), one
    only approved (the partner has not agreed yet), one declined."""
    staff = f.make_staff(session)
    offer = f.make_offer(session, capacity_rp=500_000_000)
    kampung = [f.make_kampung(session, "Kampung Satu", "34.71.01.1001"),
               f.make_kampung(session, "Kampung Dua", "34.71.01.1002"),
               f.make_kampung(session, "Kampung Tiga", "34.71.01.1002"),
               f.make_kampung(session, "Kampung Empat", "34.71.02.1001")]
    needs = [f.make_need(session, kampung=k, cost_rp=10_000_000) for k in kampung]
    f.make_completed_collaboration(session, needs[0], offer, beneficiaries=12)
    f.make_collaboration(session, need=needs[1], offer=offer, staff=staff, status="in_progress")
    f.make_collaboration(session, need=needs[2], offer=offer, staff=staff)  # awaiting the partner
    declined = f.make_collaboration(session, need=needs[3], offer=offer, staff=staff)
    services.decline_collaboration(session, f.make_partner(session, organisation=offer.organisation), declined,
                                   "Tidak ada tenaga bulan ini.")
    session.commit()
    return {"staff": staff}


def _figure(html: str, label: str) -> int:
    """The number shown beside `label` (a card on home and /public, a table row on /dashboard)."""
    text = re.sub(r"<[^>]+>", " ", html)
    found = re.search(re.escape(label) + r"\s+(\d+)", re.sub(r"\s+", " ", text))
    assert found, f"{label!r} not on the page"
    return int(found.group(1))


def test_reach_counts_kampung_where_work_started(session, city):
    found = reach(session)
    assert (found.kampung, found.kelurahan, found.beneficiaries) == (2, 2, 12)


def test_home_public_and_dashboard_agree_on_the_kampung_helped(client, session, city):
    home = _figure(client.get("/").get_data(as_text=True), "Kampung sudah dibantu")
    public = _figure(client.get("/public").get_data(as_text=True), "Kampung sudah dibantu")
    login(client, city["staff"])
    dashboard_html = client.get("/dashboard").get_data(as_text=True)
    dashboard = _figure(dashboard_html, "Kampung sudah dibantu")
    assert home == public == dashboard == reach(session).kampung == 2
    assert _figure(dashboard_html, "Penerima manfaat yang sudah dibantu") == reach(session).beneficiaries == 12
