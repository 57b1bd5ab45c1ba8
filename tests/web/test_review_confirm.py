"""Approving on /review asks first (amount and parties), then collapses the card in place (htmx)."""
import re

import pytest
from sqlalchemy import func, select

from gandeng.collaborations.models import Commitment
from gandeng.proposals.models import ProposalStatus
from tests import factories as f
from tests.conftest import login

HTMX = {"HX-Request": "true"}


@pytest.fixture
def queue(session):
    kampung = f.make_kampung(session, "Kampung Bausasran")
    org = f.make_organisation(session, "PT Gendong Makmur")
    w = {"staff": f.make_staff(session), "partner": f.make_partner(session, organisation=org),
         "need": f.make_need(session, kampung=kampung, title="Talut kali RT 07", cost_rp=120_000_000)}
    w["offer"] = f.make_offer(session, organisation=org, capacity_rp=200_000_000, title="CSR infrastruktur")
    w["proposal"] = f.proposal_for(session, w["need"], w["offer"], 120_000_000)
    session.commit()
    return w


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_approve_asks_first_with_the_amount_the_partner_and_the_kampung(client, session, queue):
    login(client, queue["staff"])
    url = f"/review/proposals/{queue['proposal'].id}/approve"
    part = _text(client.get(url, headers=HTMX))
    assert "<html" not in part  # a fragment for the card, not a page
    assert "Setujui kerja sama ini?" in part and "Rp120.000.000" in part
    assert "PT Gendong Makmur" in part and "Talut kali RT 07" in part and "Kampung Bausasran" in part
    assert f'hx-post="{url}"' in part and 'name="csrf_token"' in part
    assert session.scalar(select(func.count(Commitment.id))) == 0  # asking changes nothing


def test_confirmed_approval_collapses_the_card_in_place(client, session, queue):
    login(client, queue["staff"])
    proposal_id = queue["proposal"].id
    response = client.post(f"/review/proposals/{proposal_id}/approve", headers=HTMX)
    assert response.status_code == 200
    part = _text(response)
    assert "<html" not in part and f'id="usulan-{proposal_id}"' in part and 'role="status"' in part
    commitment = session.scalars(select(Commitment)).one()
    assert "Disetujui:" in part and "Rp120.000.000" in part and f"/collaborations/{commitment.id}" in part
    # The need's "Sisa" in the same card follows (out of band): nothing is missing any more.
    assert f'id="sisa-{queue["need"].id}" hx-swap-oob="true">Rp0<' in part
    session.expire_all()
    assert queue["proposal"].status == ProposalStatus.APPROVED


def test_cancel_closes_the_confirm_step_and_an_old_link_says_it_was_decided(client, session, queue):
    login(client, queue["staff"])
    url = f"/review/proposals/{queue['proposal'].id}/approve"
    assert client.get(url + "?batal=1", headers=HTMX).get_data(as_text=True) == ""
    assert client.get(url + "?batal=1").headers["Location"].endswith(f"/review#usulan-{queue['proposal'].id}")
    client.post(url, headers=HTMX)
    assert "Usulan ini sudah diputuskan." in _text(client.get(url, headers=HTMX))


def test_without_javascript_the_confirm_step_is_a_page_that_posts(client, queue):
    login(client, queue["staff"])
    url = f"/review/proposals/{queue['proposal'].id}/approve"
    page = _text(client.get(url))
    assert "<html" in page and f'method="post" action="{url}"' in page and "Rp120.000.000" in page


def test_a_stale_proposal_says_why_in_the_card(client, session, queue):
    other = f.proposal_for(session, queue["need"], f.make_offer(session, capacity_rp=200_000_000), 120_000_000)
    session.commit()
    login(client, queue["staff"])
    client.post(f"/review/proposals/{queue['proposal'].id}/approve", headers=HTMX)
    response = client.post(f"/review/proposals/{other.id}/approve", headers=HTMX)
    assert response.status_code == 200 and f'id="usulan-{other.id}"' in response.get_data(as_text=True)
    assert "Disetujui:" not in response.get_data(as_text=True)


def test_only_staff_may_open_the_confirm_step(client, queue):
    login(client, queue["partner"])
    assert client.get(f"/review/proposals/{queue['proposal'].id}/approve").status_code == 403
