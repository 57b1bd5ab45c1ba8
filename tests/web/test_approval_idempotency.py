"""Approving a proposal with an idempotency key (the `Idempotency-Key` header or the
`idempotency_key` form field): a retried request — after a timeout, a lost response or a crash —
commits once and answers with the commitment made the first time; a key already spent on
another proposal is refused with 409."""
import pytest
from sqlalchemy import func, select

from gandeng.audit.models import AuditEvent
from gandeng.collaborations import services
from gandeng.collaborations.models import Commitment
from gandeng.notifications.models import Notification
from gandeng.proposals.models import ProposalStatus
from tests import factories as f
from tests.conftest import login

JSON = {"Accept": "application/json"}


@pytest.fixture
def setting(session):
    kampung, org = f.make_kampung(session), f.make_organisation(session, "PT Kunci Gendong")
    offer = f.make_offer(session, organisation=org, capacity_rp=20_000_000, title="CSR air bersih")
    s = {
        "staff": f.make_staff(session),
        "coordinator": f.make_coordinator(session, kampung=kampung),
        "partner": f.make_partner(session, organisation=org),
        "offer": offer,
        "first": f.proposal_for(session, f.make_need(session, kampung=kampung, cost_rp=5_000_000), offer),
        "second": f.proposal_for(session, f.make_need(session, kampung=kampung, cost_rp=4_000_000), offer),
    }
    session.commit()
    return s


def _approve(client, proposal, key=None, form_key=None):
    headers = {**JSON, **({"Idempotency-Key": key} if key else {})}
    data = {"idempotency_key": form_key} if form_key else {}
    return client.post(f"/review/proposals/{proposal.id}/approve", headers=headers, data=data)


def _count(session, model, *where):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_same_key_sent_twice_commits_once_and_answers_the_same_commitment(client, session, setting):
    login(client, setting["staff"])
    first = _approve(client, setting["first"], key="approve-first-0001")
    again = _approve(client, setting["first"], key="approve-first-0001")

    assert first.status_code == again.status_code == 200
    assert first.get_json()["commitment_id"] == again.get_json()["commitment_id"]
    assert _count(session, Commitment) == 1
    commitment = session.get(Commitment, first.get_json()["commitment_id"])
    assert commitment.idempotency_key == "approve-first-0001"
    assert session.get(type(setting["offer"]), setting["offer"].id).committed_rp == 5_000_000


def test_retry_after_a_lost_response_returns_the_commitment_made_the_first_time(client, session, setting):
    # The first request committed, then its response was lost (the server died, the network dropped).
    made = services.approve_proposal(session, setting["staff"], setting["first"],
                                     idempotency_key="lost-response-42")
    session.commit()
    made_id = made.id
    login(client, setting["staff"])

    retry = _approve(client, setting["first"], key="lost-response-42")

    assert retry.status_code == 200
    assert retry.get_json()["commitment_id"] == made_id
    assert retry.get_json()["proposal_id"] == setting["first"].id
    assert _count(session, Commitment) == 1
    # Only the first request left traces: one audit row, one round of notifications.
    assert _count(session, AuditEvent, AuditEvent.action == "proposal.approve") == 1
    notified = _count(session, Notification)
    assert _approve(client, setting["first"], key="lost-response-42").status_code == 200
    assert _count(session, Notification) == notified


def test_key_from_the_form_field_is_honoured_like_the_header(client, session, setting):
    login(client, setting["staff"])
    by_form = _approve(client, setting["first"], form_key="form-field-key-7")
    by_header = _approve(client, setting["first"], key="form-field-key-7")
    assert by_form.status_code == by_header.status_code == 200
    assert by_form.get_json()["commitment_id"] == by_header.get_json()["commitment_id"]
    assert session.get(Commitment, by_form.get_json()["commitment_id"]).idempotency_key == "form-field-key-7"


def test_same_key_for_another_proposal_answers_409_and_commits_nothing(client, session, setting):
    login(client, setting["staff"])
    assert _approve(client, setting["first"], key="one-key-one-job").status_code == 200

    response = _approve(client, setting["second"], key="one-key-one-job")

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "Kunci idempotensi ini sudah dipakai" in error["message"]
    assert _count(session, Commitment) == 1
    session.refresh(setting["second"])
    assert setting["second"].status == ProposalStatus.PROPOSED


def test_key_spent_on_another_proposal_is_refused_even_when_this_one_is_approved(client, session, setting):
    login(client, setting["staff"])
    assert _approve(client, setting["first"], key="spent-key-0001").status_code == 200
    assert _approve(client, setting["second"], key="other-key-0002").status_code == 200

    response = _approve(client, setting["second"], key="spent-key-0001")

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"
    assert _count(session, Commitment) == 2


def test_malformed_key_is_refused_and_nothing_is_committed(client, session, setting):
    login(client, setting["staff"])
    response = _approve(client, setting["first"], key="short")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_idempotency_key"
    assert _count(session, Commitment) == 0
    session.refresh(setting["first"])
    assert setting["first"].status == ProposalStatus.PROPOSED


def test_approval_without_a_key_still_answers_the_same_commitment_when_repeated(client, session, setting):
    login(client, setting["staff"])
    first = _approve(client, setting["first"])
    again = _approve(client, setting["first"])
    assert first.status_code == again.status_code == 200
    assert first.get_json()["commitment_id"] == again.get_json()["commitment_id"]
    assert _count(session, Commitment) == 1
