"""Approving a proposal with an idempotency key (the `Idempotency-Key` header or the
`idempotency_key` form field): a retried request — after a timeout, a lost response or a crash —
commits once (the answer is the page: programs approve through the API, which shares the rule);
a key already spent on another proposal is refused with a message and commits nothing."""
import pytest
from sqlalchemy import func, select

from gandeng.audit.models import AuditEvent
from gandeng.collaborations import services
from gandeng.collaborations.models import Commitment
from gandeng.notifications.models import Notification
from gandeng.proposals.models import ProposalStatus
from tests import factories as f
from tests.conftest import login



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
    """(status, "category: message" of the approval's flash) of one approval from the review page."""
    headers = {"Idempotency-Key": key} if key else {}
    data = {"idempotency_key": form_key} if form_key else {}
    response = client.post(f"/review/proposals/{proposal.id}/approve", headers=headers, data=data)
    with client.session_transaction() as stored:
        flashed = stored.pop("_flashes", [])
    category, message = flashed[-1] if flashed else ("", "")  # the last: the log-in's welcome comes first
    return response.status_code, f"{category}: {message}"


def _commitment_ids(session, proposal) -> list[int]:
    session.expire_all()
    return list(session.scalars(select(Commitment.id).where(Commitment.proposal_id == proposal.id)))


def _count(session, model, *where):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_same_key_sent_twice_commits_once_and_answers_the_same_commitment(client, session, setting):
    login(client, setting["staff"])
    first = _approve(client, setting["first"], key="approve-first-0001")
    again = _approve(client, setting["first"], key="approve-first-0001")

    assert first[0] == again[0] == 302
    assert first[1].startswith("success:") and again[1] == first[1]
    assert _count(session, Commitment) == 1
    commitment = session.get(Commitment, _commitment_ids(session, setting["first"])[0])
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

    assert retry[0] == 302 and retry[1].startswith("success:")
    assert _commitment_ids(session, setting["first"]) == [made_id]
    assert _count(session, Commitment) == 1
    # Only the first request left traces: one audit row, one round of notifications.
    assert _count(session, AuditEvent, AuditEvent.action == "proposal.approve") == 1
    notified = _count(session, Notification)
    assert _approve(client, setting["first"], key="lost-response-42")[0] == 302
    assert _count(session, Notification) == notified


def test_key_from_the_form_field_is_honoured_like_the_header(client, session, setting):
    login(client, setting["staff"])
    by_form = _approve(client, setting["first"], form_key="form-field-key-7")
    by_header = _approve(client, setting["first"], key="form-field-key-7")
    assert by_form == by_header and by_form[1].startswith("success:")
    [made] = _commitment_ids(session, setting["first"])
    assert session.get(Commitment, made).idempotency_key == "form-field-key-7"


def test_same_key_for_another_proposal_is_refused_and_commits_nothing(client, session, setting):
    login(client, setting["staff"])
    assert _approve(client, setting["first"], key="one-key-one-job")[0] == 302

    status, message = _approve(client, setting["second"], key="one-key-one-job")

    assert status == 302
    assert message.startswith("danger:") and "Kunci idempotensi ini sudah dipakai" in message
    assert _count(session, Commitment) == 1
    session.refresh(setting["second"])
    assert setting["second"].status == ProposalStatus.PROPOSED


def test_key_spent_on_another_proposal_is_refused_even_when_this_one_is_approved(client, session, setting):
    login(client, setting["staff"])
    assert _approve(client, setting["first"], key="spent-key-0001")[1].startswith("success:")
    assert _approve(client, setting["second"], key="other-key-0002")[1].startswith("success:")

    status, message = _approve(client, setting["second"], key="spent-key-0001")

    assert status == 302 and "Kunci idempotensi ini sudah dipakai" in message
    assert _count(session, Commitment) == 2


def test_malformed_key_is_refused_and_nothing_is_committed(client, session, setting):
    login(client, setting["staff"])
    status, message = _approve(client, setting["first"], key="short")
    assert status == 302 and message.startswith("danger:")
    assert _count(session, Commitment) == 0
    session.refresh(setting["first"])
    assert setting["first"].status == ProposalStatus.PROPOSED


def test_approval_without_a_key_still_answers_the_same_commitment_when_repeated(client, session, setting):
    login(client, setting["staff"])
    first = _approve(client, setting["first"])
    again = _approve(client, setting["first"])
    assert first[0] == again[0] == 302 and first[1] == again[1]
    assert _count(session, Commitment) == 1
