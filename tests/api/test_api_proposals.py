"""Approving and rejecting proposals through the API: 409 when stale, idempotency, reasons."""
from gandeng.offers.models import OfferStatus
from gandeng.proposals.models import ProposalStatus
from tests import factories as f
from tests.api.helpers import bearer, token_for


def _setup(session, amount=5_000_000):
    need = f.make_need(session, cost_rp=5_000_000)
    offer = f.make_offer(session, capacity_rp=10_000_000)
    proposal = f.proposal_for(session, need, offer, amount)
    staff = f.make_staff(session)
    session.commit()
    return proposal, offer, bearer(token_for(session, staff))


def test_approve_answers_the_collaboration_and_a_retry_with_the_key_commits_once(client, session):
    proposal, _, headers = _setup(session)
    headers = {**headers, "Idempotency-Key": "jss-approve-0001"}
    first = client.post(f"/api/v1/proposals/{proposal.id}/approve", headers=headers)
    second = client.post(f"/api/v1/proposals/{proposal.id}/approve", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    assert first.get_json()["amount_rp"] == 5_000_000 and first.get_json()["status"] == "awaiting_partner"


def test_approving_a_proposal_that_no_longer_fits_is_409_and_marks_it_stale(client, session):
    proposal, offer, headers = _setup(session)
    offer.status = OfferStatus.WITHDRAWN
    session.commit()
    response = client.post(f"/api/v1/proposals/{proposal.id}/approve", headers=headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "stale_proposal"
    session.expire_all()
    assert proposal.status == ProposalStatus.STALE
    listed = client.get(f"/api/v1/proposals?status=stale&need={proposal.need_id}", headers=headers).get_json()
    assert [p["id"] for p in listed["items"]] == [proposal.id]


def test_reject_needs_a_reason_and_a_decided_proposal_is_a_conflict(client, session):
    proposal, _, headers = _setup(session)
    assert client.post(f"/api/v1/proposals/{proposal.id}/reject", json={"reason": ""},
                       headers=headers).status_code == 422
    done = client.post(f"/api/v1/proposals/{proposal.id}/reject", json={"reason": "Kurang cocok."}, headers=headers)
    assert done.status_code == 200 and done.get_json()["status"] == "rejected"
    again = client.post(f"/api/v1/proposals/{proposal.id}/approve", headers=headers)
    assert again.status_code == 409


def test_matching_run_runs_in_process_and_its_summary_is_readable(client, session):
    f.make_need(session)
    f.make_offer(session)
    staff = f.make_staff(session)
    session.commit()
    headers = bearer(token_for(session, staff))
    started = client.post("/api/v1/matching/runs", json={"weights": {"text": 2}}, headers=headers)
    assert started.status_code == 202, started.text
    run = client.get(f"/api/v1/matching/runs/{started.get_json()['id']}", headers=headers).get_json()
    assert run["status"] == "done" and run["counts"]
    proposals = client.get(f"/api/v1/proposals?run={run['id']}", headers=headers).get_json()
    assert proposals["total"] >= 1
    assert set(proposals["items"][0]["breakdown"]) == {"text", "category", "geography", "urgency", "poverty",
                                                       "severity", "kind"}


def test_party_reports_progress_on_a_collaboration(client, session):
    collaboration = f.make_collaboration(session, status="in_progress")
    partner = f.make_partner(session, organisation=collaboration.offer.organisation)
    session.commit()
    response = client.post(f"/api/v1/collaborations/{collaboration.id}/progress",
                           json={"percent": 50, "text": "Separuh jalan.", "realised_rp": 1_000_000},
                           headers=bearer(token_for(session, partner)))
    assert response.status_code == 201, response.text
    body = response.get_json()
    assert body["progress_percent"] == 50 and body["realised_rp"] == 1_000_000
    assert body["reports"][-1]["text"] == "Separuh jalan."
    lower = client.post(f"/api/v1/collaborations/{collaboration.id}/progress", json={"percent": 5, "text": ""},
                        headers=bearer(token_for(session, partner)))  # a typed 5 for 50, without a word
    assert lower.status_code == 422 and "text" in lower.get_json()["error"]["fields"]


def test_a_partner_reading_its_proposals_never_sees_kms_figures(client, session):
    """Issue 13: "75% KK pemegang KMS" with `households` public gave the KMS count away."""
    need = f.make_need(session, cost_rp=5_000_000, households=4, kms_households=3)
    offer = f.make_offer(session, capacity_rp=10_000_000)
    reasons = [{"code": "kms_share", "params": {"percent": 75}, "negative": False},
               {"code": "urgency", "params": {"level": "tinggi"}, "negative": False}]
    # poverty 0.6 x min(1, 0.75 / 0.5) + 0.4 x 0.5 (received little so far) = 0.8
    f.proposal_for(session, need, offer, breakdown={"text": 0.5, "category": 1.0, "geography": 0.8,
                                                     "urgency": 0.6, "poverty": 0.8, "severity": 0.9, "kind": 1.0},
                   reasons=reasons)
    partner = f.make_partner(session, organisation=offer.organisation)
    staff = f.make_staff(session)
    session.commit()
    as_partner = client.get("/api/v1/proposals", headers=bearer(token_for(session, partner))).get_json()["items"]
    assert as_partner[0]["reasons"] == ["urgensi tinggi"]
    assert as_partner[0]["breakdown"]["poverty"] == 0.5
    as_staff = client.get("/api/v1/proposals", headers=bearer(token_for(session, staff))).get_json()["items"]
    assert as_staff[0]["reasons"] == ["75% KK pemegang KMS", "urgensi tinggi"]
    assert as_staff[0]["breakdown"]["poverty"] == 0.8
