"""Approving proposals and matching by hand: the amount is committed exactly once, never past what
an offer or a need can take, and the running totals always equal the sums of the commitments."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from gandeng.audit.models import AuditEvent
from gandeng.collaborations import services
from gandeng.collaborations.models import Commitment
from gandeng.collaborations.queries import committed_by_need, committed_by_offer, running_totals_agree
from gandeng.errors import Conflict, DomainError, NotAllowed
from gandeng.formatting import today_wib
from gandeng.needs.models import NeedStatus
from gandeng.notifications.models import Channel, Notification, OutboxMessage
from gandeng.offers.models import OfferStatus
from gandeng.proposals import decisions
from gandeng.proposals.models import ProposalStatus
from tests import factories as f


def _audit_rows(session, action):
    return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def _assert_totals_agree(session, *objects):
    session.flush()
    for obj in objects:
        session.refresh(obj)
    assert running_totals_agree(session) == []


def test_approving_commits_the_amount_to_offer_and_need(session):
    staff, need, offer = f.make_staff(session), f.make_need(session, cost_rp=10_000_000), f.make_offer(session)
    proposal = f.proposal_for(session, need, offer, 4_000_000)

    commitment = services.approve_proposal(session, staff, proposal)

    assert commitment.amount_rp == 4_000_000 and commitment.status == "awaiting_partner"
    assert commitment.proposal_id == proposal.id and commitment.created_by_id == staff.id
    assert proposal.status == ProposalStatus.APPROVED and proposal.decided_by_id == staff.id
    assert committed_by_offer(session, [offer.id])[offer.id] == 4_000_000
    assert committed_by_need(session, [need.id])[need.id] == 4_000_000
    _assert_totals_agree(session, offer, need)
    assert (offer.committed_rp, need.committed_rp) == (4_000_000, 4_000_000)


def test_approving_the_same_proposal_twice_commits_once(session):
    staff, need, offer = f.make_staff(session), f.make_need(session), f.make_offer(session)
    proposal = f.proposal_for(session, need, offer, 5_000_000)

    first = services.approve_proposal(session, staff, proposal)
    second = services.approve_proposal(session, staff, proposal)

    assert first.id == second.id
    assert session.scalar(select(func.count(Commitment.id))) == 1
    assert committed_by_offer(session, [offer.id])[offer.id] == 5_000_000
    assert _audit_rows(session, "proposal.approve") == 1


def test_a_retried_request_with_the_same_key_returns_the_first_commitment(session):
    staff, need, offer = f.make_staff(session), f.make_need(session), f.make_offer(session)
    first = services.manual_match(session, staff, need, offer, 2_000_000, idempotency_key="form-key-123")
    again = services.manual_match(session, staff, need, offer, 2_000_000, idempotency_key="form-key-123")
    assert first.id == again.id
    assert committed_by_need(session, [need.id])[need.id] == 2_000_000
    with pytest.raises(Conflict):
        services.manual_match(session, staff, need, offer, 3_000_000, idempotency_key="form-key-123")


def test_proposal_larger_than_what_is_left_of_the_offer_is_stale_and_changes_nothing(session):
    staff, offer = f.make_staff(session), f.make_offer(session, capacity_rp=10_000_000)
    first = f.proposal_for(session, f.make_need(session, cost_rp=8_000_000), offer, 8_000_000)
    late = f.proposal_for(session, f.make_need(session, cost_rp=5_000_000), offer, 5_000_000)
    services.approve_proposal(session, staff, first)

    with pytest.raises(services.StaleProposal) as refused:
        services.approve_proposal(session, staff, late)

    assert "Rp2.000.000" in refused.value.message and refused.value.status == 409
    assert late.status == ProposalStatus.PROPOSED  # the caller decides to mark it
    assert session.scalar(select(func.count(Commitment.id))) == 1
    assert decisions.mark_stale(session, staff, late, refused.value.message) is True
    assert late.status == ProposalStatus.STALE and "Rp2.000.000" in late.reason
    assert decisions.mark_stale(session, staff, late, "again") is False  # one audit row per transition
    assert _audit_rows(session, "proposal.stale") == 1
    with pytest.raises(services.StaleProposal):
        services.approve_proposal(session, staff, late)
    _assert_totals_agree(session, offer)


def test_proposal_larger_than_what_is_left_of_the_need_is_stale(session):
    staff, need = f.make_staff(session), f.make_need(session, cost_rp=10_000_000)
    services.approve_proposal(session, staff, f.proposal_for(session, need, f.make_offer(session), 7_000_000))
    with pytest.raises(services.StaleProposal, match="Rp3.000.000"):
        services.approve_proposal(session, staff, f.proposal_for(session, need, f.make_offer(session), 4_000_000))


@pytest.mark.parametrize("spoil, words", [
    (lambda s, need, offer: setattr(offer, "status", OfferStatus.WITHDRAWN), "tidak aktif"),
    (lambda s, need, offer: setattr(offer, "valid_until", today_wib() - timedelta(days=1)), "berlaku"),
    (lambda s, need, offer: setattr(offer.organisation, "verified_at", None), "diverifikasi"),
    (lambda s, need, offer: setattr(need, "status", NeedStatus.SUBMITTED), "tidak lagi menunggu"),
    (lambda s, need, offer: setattr(need, "status", NeedStatus.WITHDRAWN), "tidak lagi menunggu"),
])
def test_proposal_whose_offer_or_need_can_no_longer_take_it_is_stale(session, spoil, words):
    staff, need, offer = f.make_staff(session), f.make_need(session), f.make_offer(session)
    proposal = f.proposal_for(session, need, offer, 1_000_000)
    spoil(session, need, offer)
    session.flush()
    with pytest.raises(services.StaleProposal, match=words):
        services.approve_proposal(session, staff, proposal)
    assert session.scalar(select(func.count(Commitment.id))) == 0


def test_offer_valid_until_today_in_wib_still_commits(session):
    staff, need = f.make_staff(session), f.make_need(session)
    offer = f.make_offer(session, valid_until=today_wib())
    assert services.manual_match(session, staff, need, offer, 1_000_000).amount_rp == 1_000_000


def test_need_without_partial_ok_is_funded_by_several_offers_and_matched_only_when_full(session):
    staff, need = f.make_staff(session), f.make_need(session, cost_rp=15_000_000, partial_ok=False)
    parts = [f.proposal_for(session, need, f.make_offer(session), amount) for amount in (6_000_000, 9_000_000)]

    services.approve_proposal(session, staff, parts[0])
    assert need.status == NeedStatus.VERIFIED  # 6 of 15 million: not matched yet, still open
    services.approve_proposal(session, staff, parts[1])
    assert need.status == NeedStatus.MATCHED
    with pytest.raises(services.StaleProposal, match="terdanai penuh"):
        services.approve_proposal(session, staff, f.proposal_for(session, need, f.make_offer(session), 1))


def test_partial_ok_need_is_matched_by_any_commitment_and_stays_open(session):
    staff, need = f.make_staff(session), f.make_need(session, cost_rp=15_000_000, partial_ok=True)
    services.manual_match(session, staff, need, f.make_offer(session), 5_000_000)
    assert need.status == NeedStatus.MATCHED
    services.manual_match(session, staff, need, f.make_offer(session), 10_000_000)
    assert committed_by_need(session, [need.id])[need.id] == 15_000_000


def test_offer_is_fully_committed_when_nothing_is_left(session):
    staff, offer = f.make_staff(session), f.make_offer(session, capacity_rp=10_000_000)
    services.manual_match(session, staff, f.make_need(session, cost_rp=10_000_000), offer, 10_000_000)
    assert offer.status == OfferStatus.FULLY_COMMITTED
    with pytest.raises(Conflict, match="habis"):
        services.manual_match(session, staff, f.make_need(session), offer, 1)


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_only_staff_approve_or_match_by_hand(session, role):
    actor = f.make_coordinator(session) if role == "coordinator" else f.make_partner(session)
    need, offer = f.make_need(session), f.make_offer(session)
    with pytest.raises(NotAllowed):
        services.approve_proposal(session, actor, f.proposal_for(session, need, offer, 1_000_000))
    with pytest.raises(NotAllowed):
        services.manual_match(session, actor, need, offer, 1_000_000)
    assert session.scalar(select(func.count(Commitment.id))) == 0


@pytest.mark.parametrize("amount", [0, -5, None, "1000"])
def test_manual_match_needs_a_positive_whole_amount(session, amount):
    with pytest.raises(DomainError) as refused:
        services.manual_match(session, f.make_staff(session), f.make_need(session), f.make_offer(session), amount)
    assert refused.value.field == "amount_rp"


def test_manual_match_writes_one_audit_row_and_tells_the_partner_first(session):
    staff, kampung, org = f.make_staff(session), f.make_kampung(session), f.make_organisation(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    partner = f.make_partner(session, organisation=org)
    need = f.make_need(session, kampung=kampung, beneficiaries="Bu Sarinah, Pak Wagiman")
    commitment = services.manual_match(session, staff, need, f.make_offer(session, organisation=org), 3_000_000)

    rows = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "commitments")).all()
    assert [r.action for r in rows] == ["collaboration.manual_match"]
    assert rows[0].after["amount_rp"] == 3_000_000 and rows[0].actor_id == staff.id
    # Issue 14: the coordinator hears only once the partner confirms.
    told = {n.user_id: n for n in session.scalars(select(Notification))}
    assert set(told) == {partner.id}
    assert all(n.link == f"/collaborations/{commitment.id}" for n in told.values())
    assert all("Sarinah" not in n.message for n in told.values())
    mails = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.EMAIL))
    assert {m.to_address for m in mails} == {partner.email}
    assert coordinator.id not in told


def test_rejected_proposal_cannot_be_approved_and_needs_a_reason(session):
    staff, proposal = f.make_staff(session), f.proposal_for(session, f.make_need(session), f.make_offer(session), 1)
    with pytest.raises(DomainError):
        decisions.reject(session, staff, proposal, "  ")
    decisions.reject(session, staff, proposal, "Lokasi di luar jangkauan mitra.")
    assert proposal.status == ProposalStatus.REJECTED
    with pytest.raises(Conflict) as refused:
        services.approve_proposal(session, staff, proposal)
    assert not isinstance(refused.value, services.StaleProposal)  # a rejection is not marked stale


def test_database_refuses_a_running_total_past_capacity_even_without_the_service(session):
    offer = f.make_offer(session, capacity_rp=1_000_000)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE offers SET committed_rp = 1000001 WHERE id = :id"), {"id": offer.id})
        session.flush()
    session.rollback()
