"""The engine's next-best offers on /review, and switching a proposal to one of them.

A run stores, on each proposal, the offers the engine ranked next for the same need and why they
lost (`Proposal.alternatives`). Staff see them under the need's card (templates/review/
_alternatives.html) and may switch in one step: a new proposal for the alternative offer, carrying
the engine's score and reasons, approved at once (a manual match with the engine's reasons); the
proposal switched from is superseded.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotFound
from gandeng.offers.models import Offer
from gandeng.proposals import policies
from gandeng.proposals.models import Proposal, ProposalStatus
from gandeng.reason_text import visible_reasons
from gandeng.transactions import begin_write

MAX_SHOWN = 3


@dataclass(frozen=True)
class AlternativeRow:
    """One next-best offer as the review page shows it."""

    proposal: Proposal        # the open proposal it would replace
    offer: Offer
    score: float
    breakdown: dict
    reasons: list
    lost: list
    remaining_rp: int

    @property
    def fits(self) -> bool:
        """The offer still holds the proposal's amount."""
        return self.remaining_rp >= self.proposal.amount_rp


def alternatives_for(session, proposals: list[Proposal]) -> list[AlternativeRow]:
    """Up to MAX_SHOWN next-best offers for the need of these open proposals, best first; offers
    already proposed for the need are left out."""
    if not proposals:
        return []
    source = next((p for p in proposals if p.alternatives), None)
    if source is None:
        return []
    taken = {p.offer_id for p in proposals}
    stored = [a for a in source.alternatives if a.get("offer_id") not in taken][:MAX_SHOWN]
    if not stored:
        return []
    ids = [a["offer_id"] for a in stored]
    offers = {o.id: o for o in session.scalars(
        select(Offer).where(Offer.id.in_(ids)).options(selectinload(Offer.organisation)))}
    rows = []
    for a in stored:
        offer = offers.get(a["offer_id"])
        if offer is None:
            continue
        rows.append(AlternativeRow(
            proposal=source, offer=offer, score=float(a.get("score", 0.0)), breakdown=a.get("breakdown") or {},
            reasons=a.get("reasons") or [], lost=a.get("lost") or [],
            remaining_rp=max(int(offer.capacity_rp) - int(offer.committed_rp), 0),
        ))
    return rows


def switch_to_alternative(session, actor, proposal: Proposal, offer_id: int):
    """Approve the engine's alternative `offer_id` instead of `proposal`: a new proposal for the
    same need and amount with the engine's score and reasons, approved at once; the old one is
    superseded. Raises NotFound for an offer that is not one of its alternatives, Conflict for a
    decided proposal (ProposalBusy while a matching run is replacing it), and the approval's
    StaleProposal when the offer no longer holds the amount.
    Flushes, never commits."""
    from gandeng.collaborations import services as collaborations

    if not policies.can_review_proposals(actor):
        raise DomainError(_("Hanya petugas kota yang dapat menyetujui usulan."))
    begin_write(session)
    proposal = collaborations.lock_proposal(session, proposal.id)  # ProposalBusy while a run replaces it
    if proposal.status != ProposalStatus.PROPOSED:
        raise collaborations.already_decided(proposal)
    chosen = next((a for a in proposal.alternatives or [] if a.get("offer_id") == offer_id), None)
    if chosen is None:
        raise NotFound(_("Penawaran ini bukan alternatif dari usulan tersebut."))
    switched = Proposal(
        run_id=proposal.run_id, need_id=proposal.need_id, offer_id=offer_id, amount_rp=proposal.amount_rp,
        score=min(max(float(chosen.get("score", 0.0)), 0.0), 1.0), breakdown=chosen.get("breakdown") or {},
        reasons=list(chosen.get("reasons") or []) + [{"code": "switched", "params": {"from_offer": proposal.offer_id},
                                                      "negative": False}],
        alternatives=[], status=ProposalStatus.PROPOSED,
    )
    session.add(switched)
    session.flush()
    commitment = collaborations.approve_proposal(session, actor, switched)
    proposal.status = ProposalStatus.SUPERSEDED
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decided_at = utcnow()
    proposal.reason = _("Diganti dengan alternatif: penawaran #%(id)d.", id=offer_id)
    session.flush()
    record(session, actor, "proposal.switch", switched,
           before={"proposal_id": proposal.id, "offer_id": proposal.offer_id},
           after={"proposal_id": switched.id, "offer_id": offer_id, "commitment_id": commitment.id})
    return commitment


def register(bp) -> None:
    """Template helpers on the proposals blueprint (no change to the app factory)."""

    @bp.app_template_filter("visible_reasons")
    def _visible(reasons):
        return visible_reasons(reasons, policies.can_review_proposals(current_user))

    @bp.app_template_global("engine_alternatives")
    def _alternatives(proposals):
        from gandeng.db import db

        return alternatives_for(db.session, list(proposals))
