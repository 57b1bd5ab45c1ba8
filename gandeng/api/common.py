"""Pieces every API view uses: blueprints, documented errors, loading under permission, paging."""
from flask_babel import gettext as _
from flask_smorest import Blueprint

from gandeng.api import errors
from gandeng.api.auth import actor
from gandeng.api.errors import ApiError
from gandeng.api.schemas import ErrorSchema
from gandeng.db import db
from gandeng.paging import BadCursor, Keyset, Page, Position, keyset_page

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


def position(args: dict, keyset: Keyset) -> Position:
    """Where a list starts: the `after` cursor (422 when it is not one of this list's) or `page`."""
    after = args.get("after") or ""
    if after:
        try:
            keyset.decode(after)
        except BadCursor:
            raise ApiError(422, "invalid", _("Data tidak sah. Periksa kolom yang disebut."),
                           {"after": [_("Kursor tidak dikenal: pakai nilai `next` dari halaman sebelumnya.")]}) from None
    return Position(page=args.get("page", 1), after=after)


def page_of(query, keyset: Keyset, args: dict, options=()) -> Page:
    """One page of a select in `keyset` order at the position `args` ask for."""
    return keyset_page(db.session, query, keyset, args["per_page"], position(args, keyset), options=options)


def listing(items, page: Page) -> dict:
    """The list answer: {"items", "total", "page", "per_page", "next"}."""
    return {"items": items, "total": page.total, "page": page.page, "per_page": page.per_page,
            "next": page.next_cursor}
