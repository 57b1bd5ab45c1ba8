"""Pieces every API view uses: blueprints, documented errors, loading under permission, paging."""
from flask_smorest import Blueprint
from sqlalchemy import func, select

from gandeng.api import errors
from gandeng.api.auth import actor
from gandeng.api.schemas import ErrorSchema
from gandeng.db import db

MAX_ID = 2**63 - 1

ERROR_TEXT = {
    400: "Bad request (malformed JSON, or a cookie session without X-CSRFToken)",
    401: "No token, or a bad, revoked or expired token",
    403: "Signed in but not allowed",
    404: "Not found, or not visible to the caller",
    409: "Conflict with the current state (e.g. a stale proposal)",
    422: "Validation failed: `fields` maps each field to its messages",
    429: "Rate limit exceeded",
}
BLUEPRINTS: list[Blueprint] = []


def blueprint(name: str, rule: str, description: str) -> Blueprint:
    bp = Blueprint(f"api_{name}", __name__, url_prefix=f"/api/v1{rule}", description=description)
    errors.register(bp)
    BLUEPRINTS.append(bp)
    return bp


def documented(bp: Blueprint, *codes: int):
    """Document error responses `codes` (plus 429, always possible) on a view."""
    def decorate(view):
        for code in sorted(set(codes) | {429}):
            view = bp.alt_response(code, schema=ErrorSchema, description=ERROR_TEXT[code])(view)
        return view
    return decorate


def load(model, object_id: int, can_view=None):
    """The object, or 404 when missing or when `can_view(user, obj)` says the caller may not see it."""
    obj = db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None
    if obj is None or (can_view is not None and not can_view(actor(), obj)):
        raise errors.not_found()
    return obj


def page_of(query, page: int, per_page: int, options=()):
    """(items, total, page) of a select; a page past the end is the last page (as the web lists do)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = min(max(page, 1), max(1, -(-total // per_page)))
    items = list(db.session.scalars(query.options(*options).limit(per_page).offset((page - 1) * per_page)))
    return items, total, page


def listing(items, total, page, per_page) -> dict:
    return {"items": items, "total": total, "page": page, "per_page": per_page}
