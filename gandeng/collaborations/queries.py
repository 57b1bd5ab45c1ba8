"""What counts as committed, its sums over the commitments (for the health check), and the lists of
collaborations.

Every page, the API, the exports and the matcher read a need's or an offer's committed Rupiah from
its running total (`needs.committed_rp`, `offers.committed_rp`, kept by collaborations.totals with
the SQL guard). The sums here recompute the same figure from the commitments, by this rule: the
whole amount of a collaboration that is awaiting the partner, in progress or completed, plus the
*realised* part of a cancelled one (that money was spent; only the unrealised rest went back to the
offer); declined collaborations count nothing. They serve the health check (`/healthz?deep=1`,
`running_totals_disagreements`) and the tests; reports of a period sum COUNTED_RP over the
commitments approved in it.
"""
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from gandeng.accounts.models import Role
from gandeng.accounts.policies import signed_in
from gandeng.collaborations.models import HOLDING_STATUSES, Commitment, CommitmentStatus
from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import Offer, OfferStatus
from gandeng.paging import Key, Keyset, Page, Position, keyset_page
from gandeng.search import pairs_matching

# Need statuses that may still receive money (when they have room left).
FUNDABLE_NEED_STATUSES = (NeedStatus.VERIFIED, NeedStatus.MATCHED, NeedStatus.IN_PROGRESS)

# Rupiah one commitment holds of its offer and towards its need.
COUNTED_RP = case(
    (Commitment.status.in_(HOLDING_STATUSES), Commitment.amount_rp),
    (Commitment.status == CommitmentStatus.CANCELLED, Commitment.realised_rp),
    else_=0,
)


def counted_rp(commitment: Commitment) -> int:
    """What one commitment holds (same rule as COUNTED_RP, in Python)."""
    if commitment.status in HOLDING_STATUSES:
        return commitment.amount_rp
    if commitment.status == CommitmentStatus.CANCELLED:
        return commitment.realised_rp
    return 0


# Ids per query: a matching run asks for 100,000 needs at once, and PostgreSQL takes at most
# 65,535 bound parameters per statement (SQLite 32,766).
IDS_PER_QUERY = 10_000


def _committed_by(session, column, ids) -> dict[int, int]:
    ids = list(ids)
    found: dict[int, int] = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        query = (
            select(column, func.coalesce(func.sum(COUNTED_RP), 0))
            .where(column.in_(ids[start:start + IDS_PER_QUERY]))
            .group_by(column)
        )
        found.update((key, int(total)) for key, total in session.execute(query))
    return {i: found.get(i, 0) for i in ids}


def committed_by_offer(session, offer_ids) -> dict[int, int]:
    """Rupiah committed per offer id summed from its commitments (0 for offers without any), in one
    query; the check of the running total `Offer.committed_rp`, which is what pages read."""
    return _committed_by(session, Commitment.offer_id, offer_ids)


def committed_by_need(session, need_ids) -> dict[int, int]:
    """Rupiah committed per need id summed from its commitments (0 for needs without any), in one
    query; the check of the running total `Need.committed_rp`, which is what pages read."""
    return _committed_by(session, Commitment.need_id, need_ids)


def commitment_of_proposal(session, proposal_id: int) -> Commitment | None:
    """The commitment an approved proposal created, if any."""
    return session.scalars(select(Commitment).where(Commitment.proposal_id == proposal_id)).first()


def commitment_with_key(session, key: str) -> Commitment | None:
    """The commitment made under a client's idempotency key, if any."""
    return session.scalars(select(Commitment).where(Commitment.idempotency_key == key)).first()


def commitments_of_need(session, need_id: int) -> list[Commitment]:
    """Every commitment of a need (any status), oldest first."""
    return list(session.scalars(select(Commitment).where(Commitment.need_id == need_id).order_by(Commitment.id)))


# --- lists --------------------------------------------------------------------------------------

def visible_collaborations(user):
    """A select of the collaborations `user` may see (same rule as policies.can_view_collaboration):
    staff all, a partner those of their organisation's offers, a coordinator those of their
    kampung's needs, anybody else none."""
    query = select(Commitment)
    if not signed_in(user):
        return query.where(False)
    if user.role in (Role.STAFF, Role.ADMIN):
        return query
    if user.role == Role.PARTNER and user.organisation_id is not None:
        return query.where(Commitment.offer_id.in_(
            select(Offer.id).where(Offer.organisation_id == user.organisation_id)))
    if user.role == Role.COORDINATOR and user.kampung_id is not None:
        return query.where(Commitment.need_id.in_(select(Need.id).where(Need.kampung_id == user.kampung_id)))
    return query.where(False)


def collaborations_of(session, user, need_id: int | None = None, offer_id: int | None = None) -> list[Commitment]:
    """The collaborations of one need or one offer that `user` may see, oldest first (a handful)."""
    query = visible_collaborations(user).options(selectinload(Commitment.offer), selectinload(Commitment.need))
    if need_id is not None:
        query = query.where(Commitment.need_id == need_id)
    if offer_id is not None:
        query = query.where(Commitment.offer_id == offer_id)
    return list(session.scalars(query.order_by(Commitment.id)))


# The list's page (one shared paging module; kept under this name for older imports).
CollaborationPage = Page
# Newest first; (created_at, id) is unique and indexed (ix_commitments_created).
COLLABORATION_ORDER = Keyset(Key(Commitment.created_at, datetime), Key(Commitment.id, int))


def page_of_collaborations(session, user, status: str = "", position: Position | int = 1, per_page: int = 20,
                           q: str = "") -> Page:
    """The collaborations `user` may see, newest first, optionally of one status and matching the
    words `q` (on the need's or the offer's side); `extra["counts"]` the number per status."""
    if isinstance(position, int):
        position = Position(page=position)
    base = visible_collaborations(user)
    found = pairs_matching(q, Commitment.need_id, Commitment.offer_id)
    if found is not None:
        base = base.where(found)
    visible = base.subquery()
    counts = {key: int(n) for key, n in session.execute(
        select(visible.c.status, func.count()).group_by(visible.c.status))}
    query = base.where(Commitment.status == status) if status else base
    total = counts.get(status, 0) if status else sum(counts.values())
    page = keyset_page(session, query, COLLABORATION_ORDER, per_page, position, total=total, options=(
        selectinload(Commitment.need).selectinload(Need.kampung),
        selectinload(Commitment.offer).selectinload(Offer.organisation),
    ))
    page.extra["counts"] = counts
    return page


# --- what staff can match by hand ---------------------------------------------------------------

def needs_with_room(session, limit: int = 500) -> list[tuple[Need, int]]:
    """Needs that may still receive money, with their remaining Rupiah, most urgent deadline first."""
    query = (
        select(Need)
        .where(Need.status.in_(FUNDABLE_NEED_STATUSES), Need.committed_rp < Need.cost_rp)
        .options(selectinload(Need.kampung))
        .order_by(Need.deadline.is_(None), Need.deadline, Need.id)
        .limit(limit)
    )
    return [(need, need.cost_rp - need.committed_rp) for need in session.scalars(query)]


def offers_with_room(session, today: date, limit: int = 500) -> list[tuple[Offer, int]]:
    """Active, still valid offers of verified organisations with money left, and how much."""
    from gandeng.accounts.models import Organisation

    query = (
        select(Offer)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(
            Offer.status == OfferStatus.ACTIVE,
            Offer.committed_rp < Offer.capacity_rp,
            or_(Offer.valid_until.is_(None), Offer.valid_until >= today),
            Organisation.verified_at.is_not(None),
        )
        .options(selectinload(Offer.organisation))
        .order_by(Organisation.name, Offer.id)
        .limit(limit)
    )
    return [(offer, offer.capacity_rp - offer.committed_rp) for offer in session.scalars(query)]


def running_totals_disagreements(session, limit: int | None = None) -> list[dict]:
    """Offers and needs whose running total differs from the sum of their commitments, as
    {"kind": "offer"|"need", "id", "stored_rp", "summed_rp"}, offers first, by id (at most `limit`
    of each kind); empty when all is well. One query per kind over every row: for the health check."""
    found = []
    for model, column, kind in ((Offer, Commitment.offer_id, "offer"), (Need, Commitment.need_id, "need")):
        summed = select(func.coalesce(func.sum(COUNTED_RP), 0)).where(column == model.id).scalar_subquery()
        query = select(model.id, model.committed_rp, summed).where(
            and_(model.committed_rp != summed)).order_by(model.id).limit(limit)
        found += [{"kind": kind, "id": i, "stored_rp": int(stored), "summed_rp": int(total)}
                  for i, stored, total in session.execute(query)]
    return found


def running_totals_agree(session) -> list[str]:
    """The disagreements as lines ("offer 3: stored 5, derived 4"); empty when all is well (tests)."""
    return [f"{d['kind']} {d['id']}: stored {d['stored_rp']}, derived {d['summed_rp']}"
            for d in running_totals_disagreements(session)]
