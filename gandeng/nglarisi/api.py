"""JSON API of Nglarisi (contract "Nglarisi"): orders and the yearly figures. Same services as the web."""
from datetime import date

from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from gandeng.api.auth import require_login
from gandeng.api.common import blueprint, documented, listing, page_of
from gandeng.api.errors import ApiError, forbidden
from gandeng.api.schemas import PageArgsSchema, StrictSchema, list_schema, text, whole
from gandeng.accounts.models import Role
from gandeng.accounts.policies import is_staff
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.formatting import today_wib
from gandeng.nglarisi import orders, stats
from gandeng.nglarisi.models import Order
from gandeng.paging import Key, Keyset
from gandeng.reference.services import find_kelurahan

bp = blueprint("orders", "/orders", "Nglarisi: city offices order meeting food from kampung groups.")
MAX_ORDERS_PER_PAGE = 500
stats_bp = blueprint("nglarisi", "/nglarisi", "Nglarisi figures: the 60 % target and fairness across groups.")


class OrderCreateSchema(StrictSchema):
    date = text(10, required=True, metadata={"example": "2026-12-10"})
    time = text(5, required=True, metadata={"example": "11:30"})
    kelurahan = text(80, required=True, metadata={"description": "delivery kelurahan: name or code"})
    portions = whole(1, orders.MAX_PORTIONS, required=True)
    budget_rp = whole(1, orders.MAX_RP, required=True)
    note = text(1000)


class DeclineSchema(StrictSchema):
    reason = text(500)


class DeliveredSchema(StrictSchema):
    portions = whole(0, orders.MAX_PORTIONS, required=True)
    rating = whole(1, 5, required=True)
    comment = text(1000)


class PaidSchema(StrictSchema):
    paid_on = fields.Date(required=True)
    amount_rp = whole(1, orders.MAX_RP, required=True)


class StepSchema(Schema):
    action = fields.String()
    group = fields.String(allow_none=True)
    at = fields.DateTime()
    note = fields.String()
    reasons = fields.List(fields.Raw())


class OrderSchema(Schema):
    id = fields.Integer()
    office = fields.String()
    date = fields.Date()
    time = fields.String()
    kelurahan = fields.String()
    portions = fields.Integer()
    budget_rp = fields.Integer()
    note = fields.String()
    status = fields.String()
    group = fields.String(allow_none=True, metadata={"description": "the group offered to or placed with"})
    price_per_portion_rp = fields.Integer()
    value_rp = fields.Integer()
    expires_at = fields.DateTime(allow_none=True, metadata={"description": "UTC: the group answers by then"})
    portions_delivered = fields.Integer(allow_none=True)
    rating = fields.Integer(allow_none=True)
    paid_on = fields.Date(allow_none=True)
    paid_rp = fields.Integer(allow_none=True)
    overdue = fields.Boolean()
    history = fields.List(fields.Nested(StepSchema))


OrderListSchema = list_schema(OrderSchema, "OrderList")


class OrderListArgsSchema(PageArgsSchema):
    """As every list (`after`, `page`), but up to 500 a page and 500 unless asked: a client written
    when this answer was one list of at most 500 orders reads the same first page."""

    per_page = fields.Integer(load_default=MAX_ORDERS_PER_PAGE,
                              validate=validate.Range(min=1, max=MAX_ORDERS_PER_PAGE))


# Newest delivery first; the id orders orders of one day (the cursor carries both).
ORDER_ORDER = Keyset(Key(Order.deliver_on, date), Key(Order.id, int))


class GroupFigureSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kelurahan = fields.String()
    status = fields.String()
    orders = fields.Integer()
    value_rp = fields.Integer()


class OfficeFigureSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    orders = fields.Integer()
    value_rp = fields.Integer()
    budget_rp = fields.Integer(allow_none=True)
    share = fields.Float(allow_none=True)
    meets_target = fields.Boolean()


class NglarisiStatsSchema(Schema):
    year = fields.Integer()
    target_share = fields.Float()
    total_rp = fields.Integer()
    budget_rp = fields.Integer()
    city_share = fields.Float(allow_none=True)
    gini = fields.Float(allow_none=True, metadata={"description": "Gini of order value across verified groups"})
    groups = fields.List(fields.Nested(GroupFigureSchema))
    offices = fields.List(fields.Nested(OfficeFigureSchema))
    idle_groups = fields.List(fields.String(), metadata={"description": "verified groups, no order in 60 days"})


class NglarisiStatsArgsSchema(Schema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


def viewer_group_id(user) -> int | None:
    """The group a caller reads orders as: its own for a group's account, None for offices and staff."""
    if user is None or user.role != Role.GROUP or is_staff(user):
        return None
    group = orders.group_of(db.session, user)
    return group.id if group is not None else -1


def order_to_dict(order: Order, group_id: int | None = None) -> dict:
    """The order as the group `group_id` may see it (None: the office or staff, all of it). A group gets no
    `budget_rp` (omitted, not null: what the office could pay at most is not its business), only the steps
    that concern it (orders.steps_seen_by), and, once the order moved on to another group (its own decline
    answered), not that group's name, price or value either."""
    out = {
        "id": order.id, "office": order.office.name, "date": order.deliver_on, "time": order.deliver_time,
        "kelurahan": order.kelurahan.name, "portions": order.portions, "budget_rp": order.budget_rp,
        "note": order.note, "status": order.status, "group": order.group.name if order.group else None,
        "price_per_portion_rp": order.price_per_portion_rp, "value_rp": order.value_rp,
        "expires_at": order.expires_at if order.status == "offered" else None,
        "portions_delivered": order.portions_delivered, "rating": order.rating, "paid_on": order.paid_on,
        "paid_rp": order.paid_rp, "overdue": orders.is_overdue(order),
        "history": [{"action": s.action, "group": s.group.name if s.group else None, "at": s.created_at,
                     "note": s.note, "reasons": reasons} for s, reasons in orders.steps_seen_by(order, group_id)],
    }
    if group_id is not None:
        del out["budget_rp"]
        if order.group_id != group_id:
            out.update(group=None, price_per_portion_rp=None, value_rp=None, expires_at=None)
    return out


def _load(order_id: int) -> Order:
    user = require_login()
    try:
        return orders.load_order(db.session, user, order_id)
    except DomainError:
        raise ApiError(404, "not_found", _("Tidak ditemukan.")) from None


@bp.get("")
@bp.arguments(OrderListArgsSchema, location="query")
@bp.response(200, OrderListSchema)
@documented(bp, 401, 403, 422)
def list_orders(args):
    """Orders the caller may see: an office its own, a group those offered or placed with it, staff all;
    newest delivery first, 500 a page unless `per_page` says fewer; the next page with `after` = `next`."""
    user = require_login()
    if not (is_staff(user) or user.role in (Role.OFFICE, Role.GROUP)):
        raise forbidden(_("Hanya kantor, kelompok dan petugas kota yang melihat pesanan."))
    page = page_of(orders.visible_orders(db.session, user), ORDER_ORDER, args)
    group_id = viewer_group_id(user)
    return listing([order_to_dict(o, group_id) for o in page.items], page)


@bp.post("")
@bp.arguments(OrderCreateSchema)
@bp.response(201, OrderSchema)
@documented(bp, 400, 401, 403, 422)
def create_order(data):
    """An office orders; 201 with the order `offered` to the proposed group and the reasons in `history`.
    422 for a time in the past, more portions than any group can make in a day (refused, not split),
    a budget below the cheapest menu, or no group able to make it."""
    user = require_login()
    if user.role != Role.OFFICE:
        raise forbidden(_("Hanya akun kantor (OPD) yang dapat memesan."))
    kelurahan = find_kelurahan(db.session, data["kelurahan"])
    if kelurahan is None:
        raise ApiError(422, "invalid", _("Kelurahan tempat antar tidak dikenal."),
                       {"kelurahan": [_("Kelurahan tempat antar tidak dikenal.")]})
    order = orders.place_order(db.session, user, orders.OrderInput(
        deliver_on=data["date"], deliver_time=data["time"], kelurahan_code=kelurahan.code,
        portions=data["portions"], budget_rp=data["budget_rp"], note=data.get("note", "")))
    db.session.commit()
    return order_to_dict(order)


@bp.get("/<int:order_id>")
@bp.response(200, OrderSchema)
@documented(bp, 401, 404)
def get_order(order_id):
    """One order with its history (for whom may see it)."""
    return order_to_dict(_load(order_id), viewer_group_id(require_login()))


def _step(order_id: int, action) -> dict:
    """One step on an order: loaded under permission (404), `action(order, user)` (its DomainError becomes
    403/409/422 through the API's error handler), committed, the order as it now stands."""
    order, user = _load(order_id), require_login()
    action(order, user)
    db.session.commit()
    return order_to_dict(order, viewer_group_id(user))


@bp.post("/<int:order_id>/accept")
@bp.response(200, OrderSchema)
@documented(bp, 400, 401, 403, 404, 409)
def accept_order(order_id):
    """The offered group (or staff) accepts; 409 when the offer expired, moved on or was answered."""
    return _step(order_id, lambda order, user: orders.accept(db.session, user, order))


@bp.post("/<int:order_id>/decline")
@bp.arguments(DeclineSchema)
@bp.response(200, OrderSchema)
@documented(bp, 400, 401, 403, 404, 409, 422)
def decline_order(data, order_id):
    """The offered group (or staff) declines; the order moves on to the next group at once."""
    return _step(order_id, lambda order, user: orders.decline(db.session, user, order, data.get("reason", "")))


@bp.post("/<int:order_id>/delivered")
@bp.arguments(DeliveredSchema)
@bp.response(200, OrderSchema)
@documented(bp, 400, 401, 403, 404, 409, 422)
def delivered_order(data, order_id):
    """The ordering office confirms delivery: portions received, quality 1-5, comment."""
    return _step(order_id, lambda order, user: orders.mark_delivered(
        db.session, user, order, portions=data["portions"], rating=data["rating"], comment=data.get("comment", "")))


@bp.post("/<int:order_id>/paid")
@bp.arguments(PaidSchema)
@bp.response(200, OrderSchema)
@documented(bp, 400, 401, 403, 404, 409, 422)
def paid_order(data, order_id):
    """The ordering office records the payment (date, amount)."""
    return _step(order_id, lambda order, user: orders.mark_paid(db.session, user, order, paid_on=data["paid_on"],
                                                                amount_rp=data["amount_rp"]))


@stats_bp.get("/stats")
@stats_bp.arguments(NglarisiStatsArgsSchema, location="query")
@stats_bp.response(200, NglarisiStatsSchema)
@documented(stats_bp, 401, 403, 422)
def nglarisi_stats(args):
    """Staff: order value per group and per office in `year` (default this year), the Gini of order value
    across verified groups, each office's share of its food-and-drink budget against the 60 % target,
    the city's share, and verified groups without an order in 60 days."""
    user = require_login()
    if not is_staff(user):
        raise forbidden(_("Hanya petugas kota."))
    return stats.year_stats(db.session, args.get("year") or today_wib().year, today_wib()).as_dict()
