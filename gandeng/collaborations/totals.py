"""The running totals (offers.committed_rp, needs.committed_rp) and the statuses that follow them.

Only this module changes the running totals, always with a conditional UPDATE so that the
database itself refuses to over-commit (the CHECK constraints back the condition up). The totals
always equal what `queries.committed_by_offer/need` sum from the commitments.
"""
from sqlalchemy import update

from gandeng.collaborations.models import HOLDING_STATUSES, CommitmentStatus
from gandeng.collaborations.queries import FUNDABLE_NEED_STATUSES, commitments_of_need
from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import Offer, OfferStatus

# Need statuses the collaborations drive; others (withdrawn, rejected, ...) are left alone.
FOLLOWING_NEED_STATUSES = (*FUNDABLE_NEED_STATUSES, NeedStatus.COMPLETED)
_NO_SYNC = {"synchronize_session": False}


def hold(session, need: Need, offer: Offer, amount: int) -> bool:
    """Add `amount` to both running totals if, and only if, both still have room (and the offer
    is active and the need may receive money). False, with nothing changed, when either refuses."""
    took_offer = session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.ACTIVE,
               Offer.committed_rp + amount <= Offer.capacity_rp)
        .values(committed_rp=Offer.committed_rp + amount)
        .execution_options(**_NO_SYNC)
    ).rowcount == 1
    if not took_offer:
        return False
    took_need = session.execute(
        update(Need)
        .where(Need.id == need.id, Need.status.in_(FUNDABLE_NEED_STATUSES),
               Need.committed_rp + amount <= Need.cost_rp)
        .values(committed_rp=Need.committed_rp + amount)
        .execution_options(**_NO_SYNC)
    ).rowcount == 1
    if not took_need:
        # Give the offer its money back in the same transaction: nothing changed after all.
        release_offer(session, offer, amount)
        return False
    session.expire(offer, ["committed_rp"])
    session.expire(need, ["committed_rp"])
    return True


def release_offer(session, offer: Offer, amount: int) -> None:
    """Take `amount` off the offer's running total (it can never go below zero)."""
    if amount <= 0:
        return
    done = session.execute(
        update(Offer).where(Offer.id == offer.id, Offer.committed_rp >= amount)
        .values(committed_rp=Offer.committed_rp - amount).execution_options(**_NO_SYNC)
    ).rowcount
    if done != 1:
        raise RuntimeError(f"offer {offer.id}: running total below the amount released")
    session.expire(offer, ["committed_rp"])


def release(session, need: Need, offer: Offer, amount: int) -> None:
    """Give `amount` back to the offer and take it off the need (decline, cancel)."""
    if amount <= 0:
        return
    release_offer(session, offer, amount)
    done = session.execute(
        update(Need).where(Need.id == need.id, Need.committed_rp >= amount)
        .values(committed_rp=Need.committed_rp - amount).execution_options(**_NO_SYNC)
    ).rowcount
    if done != 1:
        raise RuntimeError(f"need {need.id}: running total below the amount released")
    session.expire(need, ["committed_rp"])


def sync_offer_status(offer: Offer) -> str:
    """fully_committed when nothing is left, active again when money comes back; returns the status."""
    if offer.status == OfferStatus.ACTIVE and offer.committed_rp >= offer.capacity_rp:
        offer.status = OfferStatus.FULLY_COMMITTED
    elif offer.status == OfferStatus.FULLY_COMMITTED and offer.committed_rp < offer.capacity_rp:
        offer.status = OfferStatus.ACTIVE
    return offer.status


def is_funded(need: Need) -> bool:
    """Fully committed, or (when the coordinator accepts parts) committed at all."""
    return need.committed_rp >= need.cost_rp or (need.partial_ok and need.committed_rp > 0)


def derived_need_status(need: Need, commitments) -> str:
    """The status a need's collaborations give it:
    - no live collaboration (awaiting, in progress, completed)  -> verified
    - work started, all live ones completed and the need funded -> completed
    - work started (a partner confirmed)                        -> in_progress
    - only awaiting partners: funded -> matched, else verified.
    Declined and cancelled collaborations are ignored (the realised part of a cancelled one
    still counts in `committed_rp`, so it helps to make the need funded)."""
    live = [c for c in commitments if c.status in HOLDING_STATUSES]
    started = [c for c in live if c.status != CommitmentStatus.AWAITING_PARTNER]
    if not live:
        return NeedStatus.VERIFIED
    if started and is_funded(need) and all(c.status == CommitmentStatus.COMPLETED for c in live):
        return NeedStatus.COMPLETED
    if started:
        return NeedStatus.IN_PROGRESS
    return NeedStatus.MATCHED if is_funded(need) else NeedStatus.VERIFIED


def sync_need_status(session, need: Need) -> str:
    """Set the need's status from its collaborations (needs outside the funded life cycle, e.g.
    withdrawn, keep theirs); returns the status."""
    if need.status in FOLLOWING_NEED_STATUSES:
        session.flush()
        new = derived_need_status(need, commitments_of_need(session, need.id))
        if new != need.status:
            need.status = new
            session.flush()
    return need.status
