"""Collaborations (approved commitments): the two parties and staff see them; parties report progress."""
from gandeng.api.auth import require_login
from gandeng.api.common import blueprint, documented, listing, load, position
from gandeng.api.schemas import (
    CollaborationListArgsSchema, CollaborationListSchema, CollaborationSchema, ProgressCreateSchema,
)
from gandeng.api.serializers import collaboration_to_dict
from gandeng.collaborations import policies, services
from gandeng.collaborations.models import Commitment
from gandeng.collaborations.queries import COLLABORATION_ORDER, page_of_collaborations
from gandeng.db import db

bp = blueprint("collaborations", "/collaborations", "Collaborations and their progress reports.")


@bp.get("")
@bp.arguments(CollaborationListArgsSchema, location="query")
@bp.response(200, CollaborationListSchema)
@documented(bp, 401, 422)
def list_collaborations(args):
    """Collaborations the caller is party to (staff: all), newest first; filter `status`; search `q`
    (the need's or the offer's side); next page with `after` = the answer's `next`."""
    user = require_login()
    page = page_of_collaborations(db.session, user, args.get("status", ""), position(args, COLLABORATION_ORDER),
                                  args["per_page"], q=args.get("q", ""))
    return listing([collaboration_to_dict(c) for c in page.items], page)


@bp.get("/<int:collaboration_id>")
@bp.response(200, CollaborationSchema)
@documented(bp, 401, 404)
def get_collaboration(collaboration_id):
    """One collaboration with its progress reports."""
    require_login()
    return collaboration_to_dict(load(Commitment, collaboration_id, policies.can_view_collaboration), True)


@bp.post("/<int:collaboration_id>/progress")
@bp.arguments(ProgressCreateSchema)
@bp.response(201, CollaborationSchema)
@documented(bp, 400, 401, 403, 404, 422)
def report_progress(data, collaboration_id):
    """A party (partner or coordinator) reports progress while the work is in progress: `percent`,
    `text`, and the total Rupiah realised so far (`realised_rp`). Photos: on the web page."""
    user = require_login()
    commitment = load(Commitment, collaboration_id, policies.can_view_collaboration)
    services.report_progress(db.session, user, commitment, data["percent"], data.get("text", ""),
                             data.get("realised_rp"))
    db.session.commit()
    return collaboration_to_dict(commitment, True)
