"""Read-only queries over needs."""
from sqlalchemy import func, select

from gandeng.needs.models import PUBLIC_STATUSES, Need
from gandeng.offers.models import Offer, OfferStatus


def public_totals(session) -> dict:
    """City figures anyone may see: verified needs, Rupiah needed, active offers, kelurahan reached."""
    needs, cost, kelurahan = session.execute(
        select(
            func.count(Need.id),
            func.coalesce(func.sum(Need.cost_rp), 0),
            func.count(func.distinct(Need.kelurahan_code)),
        ).where(Need.status.in_(PUBLIC_STATUSES))
    ).one()
    offers = session.scalar(select(func.count(Offer.id)).where(Offer.status == OfferStatus.ACTIVE))
    return {"needs": needs, "cost_rp": int(cost), "offers": offers, "kelurahan": kelurahan}


def visible_needs(user):
    """A select of the needs `user` may see in lists (same rules as `policies.can_view_need`)."""
    from sqlalchemy import and_, or_

    from gandeng.needs import policies
    from gandeng.needs.models import NeedStatus

    query = select(Need)
    if policies.is_staff(user):
        return query.where(Need.status != NeedStatus.DRAFT)
    if user is not None and getattr(user, "is_authenticated", False) and user.role == "coordinator":
        return query.where(or_(Need.status.in_(PUBLIC_STATUSES), and_(Need.kampung_id == user.kampung_id)))
    return query.where(Need.status.in_(PUBLIC_STATUSES))
