"""Matching runs (staff) and proposals: list (staff; partners and coordinators those involving them),
approve and reject (staff). Same services as the web's /matching and /review pages."""
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from gandeng.api.auth import require_login
from gandeng.api.common import blueprint, documented, listing, load, page_of
from gandeng.api.errors import ApiError, forbidden
from gandeng.api.queries import PROPOSAL_ORDER, filtered_proposals
from gandeng.api.schemas import (
    CollaborationSchema, IdempotencyHeaderSchema, ProposalListArgsSchema, ProposalListSchema, ProposalSchema,
    ReasonSchema, RunCreateSchema, RunSchema,
)
from gandeng.api.serializers import collaboration_to_dict, proposal_to_dict, run_to_dict
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.proposals import decisions, jobs, policies, runs
from gandeng.proposals.models import MatchingRun, Proposal

runs_bp = blueprint("matching", "/matching", "Matching runs (staff).")
bp = blueprint("proposals", "/proposals", "Proposals of the matcher; staff approve or reject them.")


def _staff_only(user) -> None:
    if not policies.can_run_matching(user):
        raise forbidden(_("Hanya petugas kota yang dapat menjalankan pencocokan."))


@runs_bp.post("/runs")
@runs_bp.arguments(RunCreateSchema)
@runs_bp.response(202, RunSchema)
@documented(runs_bp, 400, 401, 403, 409, 422)
def start_run(data):
    """Start a matching run (optional `weights`); with REDIS_URL it is queued for the worker, else it
    runs before the answer. Poll GET /matching/runs/{id}. 409 while another run is going."""
    user = require_login()
    _staff_only(user)
    try:
        run = runs.create_run(db.session, user, data or None)
    except DomainError as error:
        if error.field:  # bad weights
            raise
        db.session.rollback()
        raise ApiError(409, "run_in_progress", error.message) from None
    db.session.commit()  # the worker must find the row
    jobs.start_run(db.session, run)
    return run_to_dict(db.session.get(MatchingRun, run.id))


@runs_bp.get("/runs/<int:run_id>")
@runs_bp.response(200, RunSchema)
@documented(runs_bp, 401, 403, 404)
def get_run(run_id):
    """A run's status, progress and summary (counts, proposed Rupiah, seconds). A run whose worker
    stopped (silent for a minute) answers `failed` with stage `stopped` (or `lost` if never taken)."""
    _staff_only(require_login())
    jobs.reap(db.session)
    return run_to_dict(load(MatchingRun, run_id))


@bp.get("")
@bp.arguments(ProposalListArgsSchema, location="query")
@bp.response(200, ProposalListSchema)
@documented(bp, 401, 422)
def list_proposals(args):
    """Proposals, newest first: staff all; a partner those on their organisation's offers; a coordinator
    those for their kampung's needs. Filters `status`, `run`, `need`, `offer`."""
    user = require_login()
    query = filtered_proposals(user, args.get("status", ""), args.get("run"), args.get("need"), args.get("offer"))
    page = page_of(query, PROPOSAL_ORDER, args, (selectinload(Proposal.need), selectinload(Proposal.offer)))
    staff = policies.can_review_proposals(user)
    return listing([proposal_to_dict(p, staff) for p in page.items], page)


@bp.post("/<int:proposal_id>/approve")
@bp.arguments(IdempotencyHeaderSchema, location="headers")
@bp.response(200, CollaborationSchema)
@documented(bp, 400, 401, 403, 404, 409, 422)
def approve(headers, proposal_id):
    """Commit the proposal's `amount_rp` of the offer to the need; answers the collaboration. 409
    (`stale_proposal`) when it no longer fits (the proposal is then marked stale); 409
    (`proposal_busy`) while a matching run is storing the proposals that replace it. A retry with
    the same `Idempotency-Key` header answers the same collaboration."""
    user = require_login()
    proposal = load(Proposal, proposal_id)
    try:
        commitment = decisions.approve(db.session, user, proposal, idempotency_key=headers.get("idempotency_key"))
    except decisions.StaleProposal as error:
        db.session.commit()  # keeps the stale mark decisions.approve made
        raise ApiError(409, "stale_proposal", error.message) from None
    db.session.commit()
    return collaboration_to_dict(commitment)


@bp.post("/<int:proposal_id>/reject")
@bp.arguments(ReasonSchema)
@bp.response(200, ProposalSchema)
@documented(bp, 400, 401, 403, 404, 409, 422)
def reject(data, proposal_id):
    """Refuse the proposal with `reason`; the matcher never proposes the pair again."""
    user = require_login()
    proposal = load(Proposal, proposal_id)
    decisions.reject(db.session, user, proposal, data["reason"])
    db.session.commit()
    return proposal_to_dict(proposal)
