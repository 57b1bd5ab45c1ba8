"""Read-only queries over needs: public totals, what a user may see, filtered pages of needs."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from gandeng.needs import policies
from gandeng.needs.models import PUBLIC_STATUSES, Need, NeedStatus
from gandeng.offers.models import Offer, OfferStatus
from gandeng.paging import Key, Keyset, Page, Position, count_rows, keyset_page
from gandeng.reference.models import Kelurahan
from gandeng.search import needs_matching


def public_totals(session) -> dict:
    """City figures anyone may see: verified needs, Rupiah needed, active offers, kelurahan reached."""
    # Grouped by kelurahan (at most a few dozen rows, summed here) rather than COUNT(DISTINCT): on
    # PostgreSQL the grouping reads only the index ix_needs_public_totals and never sorts to disk.
    per_kelurahan = session.execute(
        select(Need.kelurahan_code, func.count(), func.coalesce(func.sum(Need.cost_rp), 0))
        .where(Need.status.in_(PUBLIC_STATUSES))
        .group_by(Need.kelurahan_code)
    ).all()
    needs = sum(count for _, count, _ in per_kelurahan)
    cost = sum(int(total) for _, _, total in per_kelurahan)
    offers = session.scalar(select(func.count(Offer.id)).where(Offer.status == OfferStatus.ACTIVE))
    return {"needs": needs, "cost_rp": cost, "offers": offers, "kelurahan": len(per_kelurahan)}


def _is_coordinator(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.role == "coordinator")


def visible_needs(user):
    """A select of the needs `user` may see in lists (same rules as `policies.can_view_need`)."""
    query = select(Need)
    if policies.is_staff(user):
        return query.where(Need.status != NeedStatus.DRAFT)
    if _is_coordinator(user):
        return query.where(or_(Need.status.in_(PUBLIC_STATUSES), and_(Need.kampung_id == user.kampung_id)))
    return query.where(Need.status.in_(PUBLIC_STATUSES))


def statuses_visible_to(user) -> tuple[str, ...]:
    """The statuses a user can find needs in: the public ones, all but drafts for staff,
    every status for a coordinator (their own kampung's needs in any state)."""
    if policies.is_staff(user):
        return tuple(s for s in NeedStatus if s != NeedStatus.DRAFT)
    if _is_coordinator(user):
        return tuple(NeedStatus)
    return tuple(PUBLIC_STATUSES)


@dataclass(frozen=True)
class NeedFilters:
    """What the list of needs is narrowed to; empty means no narrowing."""

    status: str = ""
    category: str = ""
    kemantren: str = ""
    kelurahan: str = ""
    mine: bool = False
    q: str = ""  # words searched in the need's text, kampung and kelurahan (gandeng.search)

    def as_args(self) -> dict:
        """The filters as query arguments (for links to other pages of the same list)."""
        args = {k: getattr(self, k) for k in ("q", "status", "category", "kemantren", "kelurahan") if getattr(self, k)}
        if self.mine:
            args["mine"] = "1"
        return args


def filtered_needs(user, filters: NeedFilters):
    """A select of the needs `user` may see, narrowed by `filters`, newest first."""
    query = visible_needs(user)
    if filters.status:
        query = query.where(Need.status == filters.status)
    if filters.category:
        query = query.where(Need.category_code == filters.category)
    if filters.kelurahan:
        query = query.where(Need.kelurahan_code == filters.kelurahan)
    if filters.kemantren:
        query = query.where(Need.kelurahan_code.in_(
            select(Kelurahan.code).where(Kelurahan.kemantren_code == filters.kemantren)
        ))
    if filters.mine and _is_coordinator(user):
        query = query.where(Need.kampung_id == user.kampung_id)
    found = needs_matching(filters.q)
    if found is not None:
        query = query.where(found)
    return query.order_by(Need.created_at.desc(), Need.id.desc())


def count_needs(session, user, filters: NeedFilters) -> int:
    """How many needs `user` may see with these filters."""
    return count_rows(session, filtered_needs(user, filters))


# Newest first; (created_at, id) is unique and indexed (ix_needs_created).
NEED_ORDER = Keyset(Key(Need.created_at, datetime), Key(Need.id, int))


class NeedPage(Page):
    """One page of needs with the Rupiah committed to each (the need's running total)."""

    def committed_rp(self, need) -> int:
        return need.committed_rp

    def remaining_rp(self, need) -> int:
        return max(need.cost_rp - self.committed_rp(need), 0)


def page_of_needs(session, user, filters: NeedFilters, position: Position | int = 1, per_page: int = 20, *,
                  with_places: bool = True, total: int | None = None) -> NeedPage:
    """One page of the filtered list at `position` (a cursor, or a page number for old links): a
    fixed handful of queries whatever the page size or depth (count, needs, their
    kampung/kelurahan/kemantren/category). `with_places=False`: the needs and their kampung in
    one statement, nothing else loaded (the list page names kelurahan, kemantren and category
    from gandeng.reference.snapshot). `total`: the number of rows when already known (no COUNT)."""
    if isinstance(position, int):
        position = Position(page=position)
    if with_places:
        options = (selectinload(Need.kampung), selectinload(Need.kelurahan).selectinload(Kelurahan.kemantren),
                   selectinload(Need.category))
    else:
        options = (joinedload(Need.kampung),)
    return keyset_page(session, filtered_needs(user, filters), NEED_ORDER, per_page, position, options=options,
                       page_class=NeedPage, total=total, deferred_by=Need.id)
