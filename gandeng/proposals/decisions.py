"""Staff decisions on a matching proposal — approve, reject, mark stale — in one place for the web
approve button, the review queue's "approve selected" and the API."""
from flask_babel import gettext as _

from gandeng.audit.services import record
from gandeng.collaborations import policies
from gandeng.collaborations.lifecycle import clean_reason
from gandeng.collaborations.models import Commitment
from gandeng.collaborations.rules import MAX_REASON
from gandeng.collaborations.services import (ProposalBusy, StaleProposal, already_decided, approve_proposal,
                                             lock_proposal)
from gandeng.db import utcnow
from gandeng.errors import NotAllowed
from gandeng.proposals.models import Proposal, ProposalStatus
from gandeng.transactions import begin_write

__all__ = ["ProposalBusy", "StaleProposal", "approve", "reject", "mark_stale"]


def _require_staff(actor, message):
    if not policies.can_approve_proposals(actor):
        raise NotAllowed(message)


def approve(session, actor, proposal: Proposal, idempotency_key=None) -> Commitment:
    """Commit the proposal's amount (gandeng.collaborations.services.approve_proposal). When it no
    longer fits, the proposal is marked stale in the same transaction — approve_proposal still holds
    the write lock and changed nothing, so nobody can slip in between — and StaleProposal is raised:
    the caller commits (so the mark survives) and tells the user; it must not roll back first."""
    try:
        return approve_proposal(session, actor, proposal, idempotency_key=idempotency_key)
    except StaleProposal as error:
        mark_stale(session, actor, proposal, error.message)
        raise


def mark_stale(session, actor, proposal: Proposal, reason: str) -> bool:
    """Mark a still open proposal stale (it no longer fits); True if it changed (one audit row per
    transition)."""
    if actor is not None:
        _require_staff(actor, _("Hanya petugas kota yang dapat mengubah usulan."))
    if proposal.status != ProposalStatus.PROPOSED:
        return False
    proposal.status = ProposalStatus.STALE
    proposal.reason = (reason or "")[:MAX_REASON]
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decided_at = utcnow()
    session.flush()
    record(session, actor, "proposal.stale", proposal, before={"status": str(ProposalStatus.PROPOSED)},
           after={"status": str(ProposalStatus.STALE)}, note=proposal.reason)
    return True


def reject(session, actor, proposal: Proposal, reason: str) -> None:
    """Staff refuse a proposal with a reason; the matcher never proposes that pair again. Raises
    ProposalBusy while a matching run is replacing it."""
    _require_staff(actor, _("Hanya petugas kota yang dapat menolak usulan."))
    reason = clean_reason(reason)
    begin_write(session)
    proposal = lock_proposal(session, proposal.id)
    if proposal.status not in (ProposalStatus.PROPOSED, ProposalStatus.STALE):
        raise already_decided(proposal)
    before = proposal.status
    proposal.status = ProposalStatus.REJECTED
    proposal.reason = reason
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decided_at = utcnow()
    session.flush()
    record(session, actor, "proposal.reject", proposal, before={"status": str(before)},
           after={"status": str(ProposalStatus.REJECTED)}, note=reason)
