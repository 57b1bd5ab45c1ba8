"""Needs: list, read, create (coordinator), change, submit, withdraw; staff verify, return, reject.
Same services and policies as the web pages (gandeng.needs)."""
from flask_babel import gettext as _

from gandeng.api.auth import actor, require_login
from gandeng.api.common import blueprint, documented, listing, load, position
from gandeng.api.errors import forbidden
from gandeng.api.schemas import (
    NeedCreateSchema, NeedListArgsSchema, NeedListSchema, NeedSchema, NeedWriteSchema, OptionalReasonSchema,
    ReasonSchema,
)
from gandeng.api.serializers import need_to_dict
from gandeng.db import db
from gandeng.needs import policies, services
from gandeng.needs.models import Need
from gandeng.needs.queries import NEED_ORDER, NeedFilters, page_of_needs

bp = blueprint("needs", "/needs", "Needs of kampung: the public see verified needs without personal data.")


def _out(need: Need) -> dict:
    return need_to_dict(need, need.committed_rp, policies.can_view_private(actor(), need))


def service_data(data: dict) -> dict:
    """API fields -> the service's field names."""
    data = dict(data)
    if "category" in data:
        data["category_code"] = data.pop("category")
    return data


@bp.get("")
@bp.arguments(NeedListArgsSchema, location="query")
@bp.response(200, NeedListSchema)
@documented(bp, 401, 422)
def list_needs(args):
    """Needs the caller may see, newest first; filters `status`, `category` (code), `kelurahan`
    and `kemantren` (codes); search `q`; next page with `after` = the answer's `next`."""
    user = actor()
    filters = NeedFilters(status=args.get("status", ""), category=args.get("category", ""),
                          kemantren=args.get("kemantren", ""), kelurahan=args.get("kelurahan", ""),
                          q=args.get("q", ""))
    page = page_of_needs(db.session, user, filters, position(args, NEED_ORDER), args["per_page"])
    items = [need_to_dict(n, page.committed_rp(n), policies.can_view_private(user, n)) for n in page.items]
    return listing(items, page)


@bp.post("")
@bp.arguments(NeedCreateSchema)
@bp.response(201, NeedSchema)
@documented(bp, 400, 401, 403, 422)
def create_need(data):
    """A coordinator writes a need for their own kampung: a draft, or submitted with `"submit": true`."""
    user = require_login()
    if not policies.can_create_need(user):
        raise forbidden(_("Hanya koordinator kampung yang dapat menulis kebutuhan."))
    submit = data.pop("submit", False)
    need = services.create_need(db.session, user, user.kampung, service_data(data))
    if submit:
        services.submit_need(db.session, user, need)
    db.session.commit()
    return _out(need)


@bp.get("/<int:need_id>")
@bp.response(200, NeedSchema)
@documented(bp, 401, 404)
def get_need(need_id):
    """One need; personal fields only for staff and its own coordinator."""
    return _out(load(Need, need_id, policies.can_view_need))


@bp.patch("/<int:need_id>")
@bp.arguments(NeedWriteSchema)
@bp.response(200, NeedSchema)
@documented(bp, 400, 401, 403, 404, 422)
def update_need(data, need_id):
    """Change fields (any subset): the own coordinator while draft, submitted or returned; staff
    while submitted, returned or verified."""
    user = require_login()
    need = load(Need, need_id, policies.can_view_need)
    services.update_need(db.session, user, need, service_data(data))
    db.session.commit()
    return _out(need)


def _act(need_id, action, *args):
    user = require_login()
    need = load(Need, need_id, policies.can_view_need)
    action(db.session, user, need, *args)
    db.session.commit()
    return _out(need)


@bp.post("/<int:need_id>/submit")
@bp.response(200, NeedSchema)
@documented(bp, 400, 401, 403, 404, 422)
def submit_need(need_id):
    """The own coordinator sends a draft or returned need to staff."""
    return _act(need_id, services.submit_need)


@bp.post("/<int:need_id>/withdraw")
@bp.arguments(OptionalReasonSchema)
@bp.response(200, NeedSchema)
@documented(bp, 400, 401, 403, 404, 422)
def withdraw_need(data, need_id):
    """The own coordinator (or staff) takes the need back; not once partners have committed."""
    return _act(need_id, services.withdraw_need, data.get("reason", ""))


@bp.post("/<int:need_id>/verify")
@bp.response(200, NeedSchema)
@documented(bp, 400, 401, 403, 404, 422)
def verify_need(need_id):
    """Staff verify a submitted need: it becomes public and can be matched."""
    return _act(need_id, services.verify_need)


@bp.post("/<int:need_id>/return")
@bp.arguments(ReasonSchema)
@bp.response(200, NeedSchema)
@documented(bp, 400, 401, 403, 404, 422)
def return_need(data, need_id):
    """Staff return a submitted need to its coordinator with `reason`."""
    return _act(need_id, services.return_need, data["reason"])


@bp.post("/<int:need_id>/reject")
@bp.arguments(ReasonSchema)
@bp.response(200, NeedSchema)
@documented(bp, 400, 401, 403, 404, 422)
def reject_need(data, need_id):
    """Staff refuse a submitted need for good, with `reason`."""
    return _act(need_id, services.reject_need, data["reason"])
