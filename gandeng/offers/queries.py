"""Read-only queries over offers: what a user may list, filters, and the figures shown beside them."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from gandeng.accounts.models import Organisation, Role
from gandeng.formatting import today_wib
from gandeng.offers import policies
from gandeng.offers.models import Offer, OfferStatus, offer_categories
from gandeng.paging import Key, Keyset, Page, Position, keyset_page
from gandeng.reference.models import Kelurahan, Kemantren
from gandeng.search import offers_matching


def visible_offers(user):
    """A select of the offers `user` may see in lists (same rules as `policies.can_view_offer`):
    published offers for everyone, plus the own organisation's drafts and withdrawn offers for
    partners, and everything for staff."""
    query = select(Offer)
    if policies.is_staff(user):
        return query
    public = Offer.status.in_(policies.PUBLIC_STATUSES)
    if (
        user is not None and getattr(user, "is_authenticated", False) and user.is_active
        and user.role == Role.PARTNER and user.organisation_id is not None
    ):
        return query.where(or_(public, Offer.organisation_id == user.organisation_id))
    return query.where(public)


def filter_offers(query, *, kind=None, category=None, status=None, org_type=None, q=None,
                  today: date | None = None):
    """`query` narrowed by the list filters; `status` means the status shown (an active offer past
    its date counts as expired, see `services.display_status`); `q` words searched in the offer's
    text and its organisation's name (gandeng.search)."""
    today = today or today_wib()
    found = offers_matching(q or "")
    if found is not None:
        query = query.where(found)
    if kind:
        query = query.where(Offer.kind == kind)
    if category:
        # An offer without categories serves every category.
        has_any = select(offer_categories.c.offer_id).where(offer_categories.c.offer_id == Offer.id)
        has_this = has_any.where(offer_categories.c.category_code == category)
        query = query.where(or_(has_this.exists(), ~has_any.exists()))
    if org_type:
        query = query.where(
            Offer.organisation_id.in_(select(Organisation.id).where(Organisation.type == org_type))
        )
    if status:
        still_valid = or_(Offer.valid_until.is_(None), Offer.valid_until >= today)
        if status == OfferStatus.ACTIVE:
            query = query.where(Offer.status == OfferStatus.ACTIVE, still_valid)
        elif status == OfferStatus.EXPIRED:
            query = query.where(
                or_(
                    Offer.status == OfferStatus.EXPIRED,
                    and_(Offer.status == OfferStatus.ACTIVE, ~still_valid),
                )
            )
        else:
            query = query.where(Offer.status == status)
    return query


def card_loads() -> tuple:
    """What the cards show, loaded up front (one query each, never one per offer)."""
    return selectinload(Offer.organisation), selectinload(Offer.categories), selectinload(Offer.areas)


# Newest first; (created_at, id) is unique and indexed (ix_offers_created).
OFFER_ORDER = Keyset(Key(Offer.created_at, datetime), Key(Offer.id, int))


def listing(query):
    """`query` ordered for the list page, newest first, with what the cards show loaded up front."""
    return query.options(*card_loads()).order_by(*OFFER_ORDER.order_by())


def page_of_offers(session, query, position: Position, per_page: int) -> Page:
    """One page of `query` (offers), newest first, at `position`: a count, the offers, and one
    query for each of organisation, categories and areas."""
    return keyset_page(session, query, OFFER_ORDER, per_page, position, options=card_loads())


@dataclass(frozen=True)
class Figures:
    """Capacity, committed and remaining Rupiah of one offer."""

    capacity_rp: int
    committed_rp: int

    @property
    def remaining_rp(self) -> int:
        return max(self.capacity_rp - self.committed_rp, 0)


def figures_for(session, offers) -> dict[int, Figures]:
    """Figures per offer id, from the offers' running totals (no query)."""
    return {offer.id: Figures(offer.capacity_rp, offer.committed_rp) for offer in offers}


def area_names(session) -> dict[str, str]:
    """Names of every kemantren and kelurahan by code, to show an offer's areas (two small queries)."""
    names = {code: name for code, name in session.execute(select(Kemantren.code, Kemantren.name))}
    names.update({code: name for code, name in session.execute(select(Kelurahan.code, Kelurahan.name))})
    return names


def is_kemantren_code(code: str) -> bool:
    """Kemantren codes have three parts (34.71.01), kelurahan codes four (34.71.01.1001)."""
    return code.count(".") == 2
