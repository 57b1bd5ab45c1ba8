"""Commitments: approving a proposal (staff decide through gandeng.proposals.decisions), matching by hand.
(The collaboration's later life — confirm, decline, progress, completion, cancel — is in
`lifecycle`, re-exported here.)

Rules of a commitment (approval and manual match alike):
- staff only; the amount is more than Rp0;
- the offer is active, still valid (valid_until >= today in WIB) and its organisation verified;
- the need is verified, matched or in progress (a partial_ok need stays open while money is
  missing; a need whose partner declined after work started can receive a replacement);
- the amount fits both what is left of the offer and what is left of the need.
A need without partial_ok may be committed in several parts (the matcher proposes a set that
reaches the full cost, and staff approve them one by one): each part only has to fit the
remaining cost; the need becomes `matched` when the parts reach the cost.
Over-commitment is impossible: the write lock is taken before the reads (gandeng.transactions),
the running totals move only by conditional UPDATEs, and CHECK constraints back them up.
"""
import re

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from gandeng.audit.services import record
from gandeng.collaborations import parties, policies, totals
from gandeng.collaborations.lifecycle import (  # noqa: F401  (one import point for callers)
    MAX_REASON, cancel_collaboration, clean_reason, confirm_collaboration, confirm_completion,
    decline_collaboration, report_completion, report_progress,
)
from gandeng.collaborations.models import Commitment
from gandeng.collaborations.queries import (
    FUNDABLE_NEED_STATUSES, commitment_of_proposal, commitment_with_key,
)
from gandeng.db import utcnow
from gandeng.errors import Conflict, DomainError, NotAllowed, NotFound
from gandeng.formatting import rupiah, today_wib
from gandeng.needs.models import Need
from gandeng.offers.models import Offer, OfferStatus
from gandeng.proposals.models import Proposal, ProposalStatus
from gandeng.transactions import RowBusy, begin_write, locked

KEY_PATTERN = re.compile(r"[A-Za-z0-9_\-:.]{8,80}")


class StaleProposal(Conflict):
    """The proposal no longer fits its offer or need; nothing was changed. Callers go through
    gandeng.proposals.decisions.approve, which marks it stale before the caller commits."""


def _require_staff(actor, message):
    if not policies.can_approve_proposals(actor):
        raise NotAllowed(message)


def clean_key(key) -> str | None:
    """A client's idempotency key (8–80 letters, digits, `-_:.`), or None when not given."""
    if key in (None, ""):
        return None
    key = str(key).strip()
    if not KEY_PATTERN.fullmatch(key):
        raise DomainError(_("Kunci idempotensi tidak sah."), "idempotency_key")
    return key


def _key_reused() -> Conflict:
    return Conflict(_("Kunci idempotensi ini sudah dipakai untuk kerja sama lain."), "idempotency_key")


def fit_problem(need: Need, offer: Offer, amount: int, today=None) -> tuple[str, str] | None:
    """Why `amount` of `offer` cannot go to `need` now, as (message, field), or None if it can."""
    today = today or today_wib()
    offer_left = offer.capacity_rp - offer.committed_rp
    need_left = need.cost_rp - need.committed_rp
    if offer.status == OfferStatus.FULLY_COMMITTED or offer_left <= 0:
        return _("Penawaran ini sudah habis terpakai."), "offer_id"
    if offer.status != OfferStatus.ACTIVE:
        return _("Penawaran ini tidak aktif lagi."), "offer_id"
    if offer.valid_until is not None and offer.valid_until < today:
        return _("Masa berlaku penawaran sudah lewat."), "offer_id"
    if not offer.organisation.is_verified:
        return _("Organisasi mitra belum diverifikasi."), "offer_id"
    if need.status not in FUNDABLE_NEED_STATUSES:
        return _("Kebutuhan ini tidak lagi menunggu dana."), "need_id"
    if need_left <= 0:
        return _("Kebutuhan ini sudah terdanai penuh."), "need_id"
    if amount > offer_left:
        return _("Sisa penawaran tinggal %(left)s, kurang dari %(amount)s.",
                 left=rupiah(offer_left), amount=rupiah(amount)), "amount_rp"
    if amount > need_left:
        return _("Sisa kebutuhan tinggal %(left)s, kurang dari %(amount)s.",
                 left=rupiah(need_left), amount=rupiah(amount)), "amount_rp"
    return None


def _existing(session, proposal_id, key):
    found = commitment_of_proposal(session, proposal_id) if proposal_id else None
    return found or (commitment_with_key(session, key) if key else None)


def _commit(session, actor, need_id, offer_id, amount, proposal, key, refuse):
    """Lock offer and need, check the rules, insert the commitment and move both running totals,
    all or nothing (a savepoint). Returns (commitment, before, created); `refuse(message, field)`
    builds the exception raised when the amount does not fit."""
    offer = locked(session, Offer, offer_id)
    need = locked(session, Need, need_id)
    if offer is None or need is None:
        raise NotFound(_("Kebutuhan atau penawaran tidak ditemukan."))
    problem = fit_problem(need, offer, amount)
    if problem:
        raise refuse(*problem)
    before = {"need_status": need.status, "offer_status": offer.status}
    savepoint = session.begin_nested()
    try:
        commitment = Commitment(
            need_id=need.id, offer_id=offer.id, proposal_id=getattr(proposal, "id", None),
            idempotency_key=key, amount_rp=amount, created_by_id=getattr(actor, "id", None),
        )
        session.add(commitment)
        session.flush()
        held = totals.hold(session, need, offer, amount)
    except IntegrityError:
        # Another transaction committed the same proposal or key first: commit once, answer with it.
        savepoint.rollback()
        existing = _existing(session, getattr(proposal, "id", None), key)
        if existing is None:
            raise
        return existing, before, False
    if not held:
        savepoint.rollback()
        raise refuse(_("Jumlah ini tidak lagi muat di penawaran atau kebutuhan."), "amount_rp")
    savepoint.commit()
    totals.sync_offer_status(offer)
    totals.sync_need_status(session, need)
    return commitment, before, True


def _after(commitment) -> dict:
    return {
        "commitment_id": commitment.id, "amount_rp": commitment.amount_rp,
        "need_id": commitment.need_id, "offer_id": commitment.offer_id,
        "need_status": str(commitment.need.status), "offer_status": str(commitment.offer.status),
    }


def _announce(session, actor, commitment) -> None:
    title = commitment.need.title
    amount = rupiah(commitment.amount_rp)
    parties.tell_partner(
        session, actor, "collaboration.approved", commitment,
        _l("Petugas kota menyetujui %(amount)s dari penawaran Anda untuk kebutuhan “%(title)s”. "
          "Mohon konfirmasi atau tolak.", amount=amount, title=title),
        email_subject=_l("Kerja sama baru menunggu konfirmasi Anda"),
    )
    # The coordinators hear only once the partner confirms (lifecycle.confirm_collaboration): a commitment
    # the partner may still decline is no news for a kampung yet (issue 14).


# How long an approval waits for a proposal another transaction holds: a matching run holds the
# open proposals it supersedes from the start of its engine to its commit (seconds at city scale,
# a minute or more at national scale), and a page must not hang that long.
PROPOSAL_WAIT_S = 3.0


class ProposalBusy(Conflict):
    """The proposal is held by a matching run that is replacing it (PostgreSQL); nothing changed."""


def lock_proposal(session, proposal_id: int) -> Proposal | None:
    """The proposal read afresh and locked for a staff decision (after begin_write). A matching run
    holds the open proposals it replaces until its commit: wait at most PROPOSAL_WAIT_S for it,
    then raise ProposalBusy (the transaction must be rolled back)."""
    try:
        return locked(session, Proposal, proposal_id, wait_s=PROPOSAL_WAIT_S)
    except RowBusy:
        raise ProposalBusy(_("Pencocokan baru sedang menyimpan usulan yang akan menggantikan usulan ini. "
                             "Tunggu sebentar, lalu buka antrean lagi.")) from None


def already_decided(proposal: Proposal) -> Conflict:
    """The refusal for deciding on a proposal that is no longer open, saying why."""
    if proposal.status == ProposalStatus.SUPERSEDED:
        return Conflict(_("Usulan ini sudah diganti oleh hasil pencocokan yang lebih baru. "
                          "Lihat usulan terbarunya di antrean."))
    return Conflict(_("Usulan ini sudah diputuskan sebelumnya."))


def approve_proposal(session, actor, proposal: Proposal, idempotency_key=None) -> Commitment:
    """Commit the proposal's amount of its offer to its need, in one transaction that cannot
    over-commit. Approving an approved proposal (or repeating a key) returns the same commitment.
    Raises StaleProposal, with nothing changed, when it no longer fits; ProposalBusy while a
    matching run is replacing it (lock_proposal)."""
    _require_staff(actor, _("Hanya petugas kota yang dapat menyetujui usulan."))
    key = clean_key(idempotency_key)
    begin_write(session)
    proposal = lock_proposal(session, proposal.id)
    if proposal is None:
        raise NotFound(_("Usulan tidak ditemukan."))
    # The key is checked first: a key already spent on another proposal is refused even when
    # this proposal has been approved meanwhile.
    keyed = commitment_with_key(session, key) if key else None
    if keyed is not None and keyed.proposal_id != proposal.id:
        raise _key_reused()
    existing = keyed or commitment_of_proposal(session, proposal.id)
    if existing is not None:
        return existing
    if proposal.status == ProposalStatus.STALE:
        raise StaleProposal(proposal.reason or _("Usulan ini sudah tidak sesuai lagi."))
    if proposal.status != ProposalStatus.PROPOSED:
        raise already_decided(proposal)

    def refuse(message, _field):
        return StaleProposal(message)

    commitment, before, created = _commit(session, actor, proposal.need_id, proposal.offer_id,
                                          proposal.amount_rp, proposal, key, refuse)
    if not created:
        if commitment.proposal_id != proposal.id:  # the key won a race for another proposal
            raise _key_reused()
        return commitment
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decided_at = utcnow()
    session.flush()
    record(session, actor, "proposal.approve", commitment,
           before={"proposal_id": proposal.id, "proposal_status": str(ProposalStatus.PROPOSED), **before},
           after={"proposal_status": str(ProposalStatus.APPROVED), **_after(commitment)},
           note=f"usulan #{proposal.id}")  # stored text: Indonesian, as staff read the log
    _announce(session, actor, commitment)
    return commitment


def manual_match(session, actor, need: Need, offer: Offer, amount_rp, idempotency_key=None) -> Commitment:
    """Staff commit `amount_rp` of `offer` to `need` by hand, under the same rules as an approval.
    A repeated form (same idempotency key) returns the commitment made the first time."""
    _require_staff(actor, _("Hanya petugas kota yang dapat mencocokkan secara manual."))
    if isinstance(amount_rp, bool) or not isinstance(amount_rp, int) or amount_rp <= 0:
        raise DomainError(_("Jumlah harus lebih dari Rp0."), "amount_rp")
    key = clean_key(idempotency_key)
    begin_write(session)
    existing = commitment_with_key(session, key) if key else None
    if existing is not None:
        if (existing.need_id, existing.offer_id, existing.amount_rp) != (need.id, offer.id, amount_rp):
            raise Conflict(_("Kunci idempotensi ini sudah dipakai untuk kerja sama lain."), "idempotency_key")
        return existing
    commitment, before, created = _commit(session, actor, need.id, offer.id, amount_rp, None, key, Conflict)
    if not created:
        return commitment
    record(session, actor, "collaboration.manual_match", commitment, before=before, after=_after(commitment))
    _announce(session, actor, commitment)
    return commitment
