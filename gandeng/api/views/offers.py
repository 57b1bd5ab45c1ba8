"""Offers: list, read, create (partner), change, activate, withdraw. Same services and policies as the web."""
from flask_babel import gettext as _

from gandeng.api.auth import actor, require_login
from gandeng.api.common import blueprint, documented, listing, load, page_of
from gandeng.api.errors import forbidden
from gandeng.api.schemas import (
    OfferCreateSchema, OfferListArgsSchema, OfferListSchema, OfferSchema, OfferWriteSchema, OptionalReasonSchema,
)
from gandeng.api.serializers import offer_to_dict
from gandeng.db import db
from gandeng.offers import policies, queries, services
from gandeng.offers.models import Offer

bp = blueprint("offers", "/offers", "Offers of companies, campuses and communities.")


def _out(offer: Offer) -> dict:
    return offer_to_dict(offer, offer.committed_rp, services.display_status(offer))


@bp.get("")
@bp.arguments(OfferListArgsSchema, location="query")
@bp.response(200, OfferListSchema)
@documented(bp, 401, 422)
def list_offers(args):
    """Offers the caller may see, newest first; filters `status` (as shown: an active offer past its
    date is `expired`), `kind`, `category` (offers without categories serve all), `org_type`; search
    `q`; next page with `after` = the answer's `next`."""
    query = queries.filter_offers(queries.visible_offers(actor()), kind=args.get("kind"),
                                  category=args.get("category"), status=args.get("status"),
                                  org_type=args.get("org_type"), q=args.get("q"))
    page = page_of(query, queries.OFFER_ORDER, args, queries.card_loads())
    data = [offer_to_dict(o, o.committed_rp, services.display_status(o)) for o in page.items]
    return listing(data, page)


@bp.post("")
@bp.arguments(OfferCreateSchema)
@bp.response(201, OfferSchema)
@documented(bp, 400, 401, 403, 422)
def create_offer(data):
    """A partner writes an offer of their organisation: a draft, or published with `"activate": true`
    (all or nothing: refused with 422 when the organisation is not verified yet)."""
    user = require_login()
    if not policies.can_create_offer(user):
        raise forbidden(_("Hanya mitra yang dapat menulis penawaran."))
    activate = data.pop("activate", False)
    offer = services.create_offer(db.session, user, user.organisation, data)
    if activate:
        services.activate_offer(db.session, user, offer)
    db.session.commit()
    return _out(offer)


@bp.get("/<int:offer_id>")
@bp.response(200, OfferSchema)
@documented(bp, 401, 404)
def get_offer(offer_id):
    """One offer: published offers for anyone; drafts and withdrawn ones for its organisation and staff."""
    return _out(load(Offer, offer_id, policies.can_view_offer))


@bp.patch("/<int:offer_id>")
@bp.arguments(OfferWriteSchema)
@bp.response(200, OfferSchema)
@documented(bp, 400, 401, 403, 404, 422)
def update_offer(data, offer_id):
    """Change fields (any subset): its organisation's partners and staff, while draft or active."""
    user = require_login()
    offer = load(Offer, offer_id, policies.can_view_offer)
    services.update_offer(db.session, user, offer, data)
    db.session.commit()
    return _out(offer)


@bp.post("/<int:offer_id>/activate")
@bp.response(200, OfferSchema)
@documented(bp, 400, 401, 403, 404, 422)
def activate_offer(offer_id):
    """Publish a draft offer (the organisation must be verified)."""
    user = require_login()
    offer = load(Offer, offer_id, policies.can_view_offer)
    services.activate_offer(db.session, user, offer)
    db.session.commit()
    return _out(offer)


@bp.post("/<int:offer_id>/withdraw")
@bp.arguments(OptionalReasonSchema)
@bp.response(200, OfferSchema)
@documented(bp, 400, 401, 403, 404, 422)
def withdraw_offer(data, offer_id):
    """Take the offer off the table; approved commitments stay."""
    user = require_login()
    offer = load(Offer, offer_id, policies.can_view_offer)
    services.withdraw_offer(db.session, user, offer, data.get("reason", ""))
    db.session.commit()
    return _out(offer)
