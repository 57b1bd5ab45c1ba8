"""Small helpers shared by the web views: loading objects under permission, pages, form errors."""
from flask import abort, request
from flask_login import current_user

from gandeng.db import db


def load_or_404(model, object_id, can_view=None):
    """The object, or 404 when it does not exist or `can_view(user, obj)` says the user may not
    even know of it (so changing an id in the address reveals nothing)."""
    obj = db.session.get(model, object_id)
    if obj is None or (can_view is not None and not can_view(current_user, obj)):
        abort(404)
    return obj


def acting_user():
    """The signed-in user itself (not Flask-Login's proxy), to hand to services as `actor`."""
    return current_user._get_current_object()


def require(allowed: bool) -> None:
    """403 unless `allowed`; for visible objects the user may not change."""
    if not allowed:
        abort(403)


def page_number() -> int:
    """The `page` query argument as a positive integer (bad input means page 1)."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def search_text() -> str:
    """The search box (`q`) of a list, trimmed and at most 200 characters."""
    return " ".join(request.args.get("q", "").split())[:200]


def show_domain_error(form, error) -> None:
    """Put a service's DomainError next to the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
