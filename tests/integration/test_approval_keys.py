"""approve_proposal's idempotency key at the service: one key, one proposal, one commitment —
also when another transaction spent the key between our check and our insert."""
import pytest
from sqlalchemy import func, select

from gandeng.collaborations import services
from gandeng.collaborations.models import Commitment
from gandeng.errors import Conflict
from gandeng.proposals.models import ProposalStatus
from tests import factories as f


@pytest.fixture
def two_proposals(session):
    offer = f.make_offer(session, capacity_rp=20_000_000)
    first = f.proposal_for(session, f.make_need(session, cost_rp=3_000_000), offer)
    second = f.proposal_for(session, f.make_need(session, cost_rp=2_000_000), offer)
    staff = f.make_staff(session)
    session.commit()
    return staff, first, second


def test_key_spent_by_a_concurrent_approval_of_another_proposal_is_refused(session, two_proposals, monkeypatch):
    staff, first, second = two_proposals
    spent = services.approve_proposal(session, staff, first, idempotency_key="race-key-0001")
    session.commit()
    real = services.commitment_with_key
    calls = []

    def missed_once(s, key):
        # The first look-up runs "before" the other transaction committed: it sees nothing.
        calls.append(key)
        return None if len(calls) == 1 else real(s, key)

    monkeypatch.setattr(services, "commitment_with_key", missed_once)

    with pytest.raises(Conflict) as refused:
        services.approve_proposal(session, staff, second, idempotency_key="race-key-0001")
    session.rollback()

    assert refused.value.field == "idempotency_key"
    assert len(calls) == 2  # the insert hit the unique key, and the key's owner was looked up
    assert session.scalar(select(func.count(Commitment.id))) == 1
    assert session.get(Commitment, spent.id).proposal_id == first.id
    session.refresh(second)
    assert second.status == ProposalStatus.PROPOSED


def test_repeated_key_for_the_same_proposal_returns_the_first_commitment(session, two_proposals):
    staff, first, _second = two_proposals
    made = services.approve_proposal(session, staff, first, idempotency_key="same-key-0001")
    session.commit()
    again = services.approve_proposal(session, staff, first, idempotency_key="same-key-0001")
    assert again.id == made.id
    assert session.scalar(select(func.count(Commitment.id))) == 1
