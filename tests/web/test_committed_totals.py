"""One committed figure (issue 16 point 12): pages, the API, exports and the matcher read the running
totals `needs.committed_rp` / `offers.committed_rp`; the sums over commitments are the health check
that `/healthz?deep=1` runs for staff, naming the rows that disagree."""
import pytest
from sqlalchemy import update

from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.proposals.adapter import load_needs, load_offers
from gandeng.formatting import today_wib
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def funded(session):
    """A need of Rp15 juta with Rp4 juta committed from an offer of Rp50 juta, through the services."""
    need, offer = f.make_need(session), f.make_offer(session)
    f.make_collaboration(session, need, offer, amount_rp=4_000_000)
    session.commit()
    return need, offer


def _drift(session, model, object_id, stored_rp):
    """A running total set behind the services' back (as a bad manual fix in the database would)."""
    session.execute(update(model).where(model.id == object_id).values(committed_rp=stored_rp))
    session.commit()
    session.expire_all()


@pytest.mark.parametrize("role", [None, "coordinator", "partner"])
def test_deep_health_check_is_for_staff_only(client, session, role):
    if role:
        login(client, getattr(f, f"make_{role}")(session))
    response = client.get("/healthz?deep=1")
    assert response.status_code == 403
    assert "committed_totals" not in response.text
    assert client.get("/healthz").status_code == 200  # the load balancer's plain check stays open


def test_deep_health_check_is_ok_when_running_totals_equal_the_sums(client, session, funded):
    login(client, f.make_staff(session))
    response = client.get("/healthz?deep=1")
    assert response.status_code == 200
    assert response.get_json() == {"database": "ok", "redis": "not configured", "committed_totals": "ok"}


def test_deep_health_check_names_the_rows_that_disagree(client, session, funded):
    need, offer = funded
    _drift(session, Need, need.id, 6_000_000)
    _drift(session, Offer, offer.id, 1_000_000)
    login(client, f.make_staff(session))
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503
    body = response.get_json()
    assert body["committed_totals"] == "disagree"
    assert body["disagreeing"] == [
        {"kind": "offer", "id": offer.id, "stored_rp": 1_000_000, "summed_rp": 4_000_000},
        {"kind": "need", "id": need.id, "stored_rp": 6_000_000, "summed_rp": 4_000_000},
    ]
    assert "Sarinah" not in response.text  # ids and Rupiah only, never the beneficiaries
    assert client.get("/healthz").status_code == 200  # the plain check does not sum anything


def test_pages_api_exports_and_matcher_read_the_running_totals(client, session, funded):
    """With a running total changed behind the services' back, every reader shows that figure (they
    showed the sum of the commitments before): one figure everywhere, the sums only in the check."""
    need, offer = funded
    _drift(session, Need, need.id, 6_000_000)
    _drift(session, Offer, offer.id, 7_000_000)
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    assert client.get(f"/api/v1/needs/{need.id}").get_json()["committed_rp"] == 6_000_000
    assert client.get(f"/api/v1/offers/{offer.id}").get_json()["remaining_rp"] == 43_000_000
    assert "Rp6.000.000" in client.get(f"/needs/{need.id}").text
    export = client.get("/exports/needs.csv").text
    assert "6000000" in export and "4000000" not in export
    matcher_need = next(n for n in load_needs(session, {}) if n.id == need.id)
    assert matcher_need.remaining_rp == 9_000_000
    matcher_offer = next(o for o in load_offers(session, today_wib()) if o.id == offer.id)
    assert matcher_offer.remaining_rp == 43_000_000
