"""Rows to matcher dataclasses: open needs, active offers, the city's geography and a run's context.

The one place where the database meets `gandeng.matching`; the matcher never sees a model.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from gandeng.accounts.models import Organisation
from gandeng.collaborations.queries import FUNDABLE_NEED_STATUSES
from gandeng.formatting import today_wib
from gandeng.needs.models import Need
from gandeng.offers.models import Offer, OfferArea, OfferStatus, offer_categories
from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus
from gandeng.reference.models import Category, Kelurahan

# The package is light to import (its __init__ loads each part on first use): the numerical stack
# loads only when a function here first touches the engine.
from gandeng import matching  # noqa: E402


@dataclass(frozen=True)
class MatchInputs:
    """Everything one call of the matcher needs."""

    needs: list[matching.Need]
    offers: list[matching.Offer]
    geography: matching.Geography
    context: matching.MatchContext


def open_needs_query():
    """Needs that may still receive money: the statuses the approval accepts (verified, matched,
    in progress); those without room left are dropped after their committed Rp is known."""
    return select(Need).where(Need.status.in_(FUNDABLE_NEED_STATUSES))


def active_offers_query(today: date):
    """Active, unexpired offers of verified organisations."""
    return (
        select(Offer)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(
            Offer.status == OfferStatus.ACTIVE,
            or_(Offer.valid_until.is_(None), Offer.valid_until >= today),
            Organisation.verified_at.is_not(None),
        )
    )


def kemantren_of(session) -> dict[str, str]:
    """Kelurahan code -> kemantren code."""
    return {code: kemantren for code, kemantren in session.execute(select(Kelurahan.code, Kelurahan.kemantren_code))}


# Plain rows, not ORM objects: a national run loads 100,000 needs and 50,000 offers.
NEED_COLUMNS = (Need.id, Need.kelurahan_code, Need.category_code, Need.title, Need.description, Need.households,
                Need.kms_households, Need.cost_rp, Need.deadline, Need.urgency, Need.partial_ok)
OFFER_COLUMNS = (Offer.id, Offer.organisation_id, Offer.kind, Offer.title, Offer.description, Offer.capacity_rp,
                 Offer.valid_until)


def load_needs(session, kemantren: dict[str, str]) -> list[matching.Need]:
    """Open needs with remaining Rp (cost minus the running committed total) as dataclasses."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    rows = session.execute(open_needs_query().with_only_columns(*NEED_COLUMNS, Need.committed_rp)
                           .order_by(Need.id)).all()
    # Rows unpacked as tuples and the dataclass built positionally: named access on 20,000 rows and
    # keyword arguments cost as much as the query (0.2 s at 20,000 needs, issue 15).
    make, out = matching.Need, []
    for (need_id, kelurahan, category, title, description, households, kms, cost, deadline, urgency, partial_ok,
         committed) in rows:
        if cost - committed <= 0:
            continue
        out.append(make(need_id, kelurahan, kemantren.get(kelurahan, ""), category, title, description, households,
                        kms, cost - committed, deadline, urgency, bool(partial_ok)))
    return out


def load_offers(session, today: date) -> list[matching.Offer]:
    """Usable offers with remaining Rp (capacity minus the running committed total) as dataclasses."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    usable = active_offers_query(today)
    rows = session.execute(usable.with_only_columns(*OFFER_COLUMNS, Offer.committed_rp).order_by(Offer.id)).all()
    ids = usable.with_only_columns(Offer.id)
    categories: dict[int, list[str]] = {}
    for offer_id, code in session.execute(
        select(offer_categories.c.offer_id, offer_categories.c.category_code)
        .join(Category, Category.code == offer_categories.c.category_code)
        .where(offer_categories.c.offer_id.in_(ids))
        .order_by(offer_categories.c.offer_id, Category.position)  # as Offer.categories orders them
    ):
        categories.setdefault(offer_id, []).append(code)
    areas: dict[int, list[str]] = {}
    for offer_id, code in session.execute(
        select(OfferArea.offer_id, OfferArea.code).where(OfferArea.offer_id.in_(ids))
        .order_by(OfferArea.offer_id, OfferArea.code)
    ):
        areas.setdefault(offer_id, []).append(code)
    make, out = matching.Offer, []
    for offer_id, organisation_id, kind, title, description, capacity, valid_until, committed in rows:
        if capacity - committed <= 0:
            continue
        out.append(make(offer_id, organisation_id, kind, tuple(categories.get(offer_id, ())), title, description,
                        capacity - committed, tuple(areas.get(offer_id, ())), valid_until))
    return out


def load_geography(session) -> matching.Geography:
    """The kelurahan table as the matcher's Geography."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    query = select(Kelurahan).options(selectinload(Kelurahan.kemantren)).order_by(Kelurahan.code)
    rows = [
        {"kode_kemantren": k.kemantren_code, "kemantren": k.kemantren.name,
         "kode_kelurahan": k.code, "kelurahan": k.name, "lat": k.lat, "lon": k.lon}
        for k in session.scalars(query)
    ]
    return matching.load_geography(rows)


def rejected_pairs(session) -> frozenset[tuple[int, int]]:
    """(need_id, offer_id) of every rejected proposal: those pairs are never proposed again."""
    query = select(Proposal.need_id, Proposal.offer_id).where(Proposal.status == ProposalStatus.REJECTED)
    return frozenset((n, o) for n, o in session.execute(query))


def previous_pairs(session, before_run_id: int | None = None) -> frozenset[tuple[int, int]]:
    """The pairs of the latest finished run (they get a small stability bonus)."""
    query = select(MatchingRun.id).where(MatchingRun.status == RunStatus.DONE)
    if before_run_id is not None:
        query = query.where(MatchingRun.id != before_run_id)
    last = session.scalar(query.order_by(MatchingRun.id.desc()).limit(1))
    if last is None:
        return frozenset()
    pairs = select(Proposal.need_id, Proposal.offer_id).where(Proposal.run_id == last)
    return frozenset((n, o) for n, o in session.execute(pairs))


def received_by_kelurahan(session) -> dict[str, int]:
    """Rp committed per kelurahan of the need (the needs' running totals): where support went."""
    query = select(Need.kelurahan_code, func.sum(Need.committed_rp)).where(Need.committed_rp > 0).group_by(
        Need.kelurahan_code)
    return {code: int(total or 0) for code, total in session.execute(query)}


def category_labels(session) -> dict[str, str]:
    return {code: label for code, label in session.execute(select(Category.code, Category.label_id))}


def weights_from(parameters: dict | None) -> matching.Weights:
    """The run's weights (parameters["weights"]), defaults for parts not given."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    given = (parameters or {}).get("weights") or {}
    return matching.Weights(**{p: float(given[p]) for p in matching.PARTS if p in given})


def build_context(session, today: date, parameters: dict | None = None,
                  run_id: int | None = None) -> matching.MatchContext:
    """Today, rejected and previous pairs, Rp received per kelurahan, labels and weights."""
    from gandeng import matching  # lazy: the numerical stack loads only when matching runs
    return matching.MatchContext(
        today=today,
        rejected_pairs=rejected_pairs(session),
        previous_pairs=previous_pairs(session, run_id),
        received_rp_by_kelurahan=received_by_kelurahan(session),
        category_labels=category_labels(session),
        weights=weights_from(parameters),
        settings=settings_from(parameters),
    )


def settings_from(parameters: dict | None) -> matching.Settings:
    """Engine settings of the run: the fairness weight (parameters["fairness"]), defaults otherwise."""
    given = (parameters or {}).get("fairness")
    return matching.Settings() if given is None else matching.Settings(fairness=float(given))


def load_inputs(session, parameters: dict | None = None, today: date | None = None,
                run_id: int | None = None) -> MatchInputs:
    """Everything for `matching.run_matching`, read from the database as it is now."""
    today = today or today_wib()
    kemantren = kemantren_of(session)
    return MatchInputs(
        needs=load_needs(session, kemantren),
        offers=load_offers(session, today),
        geography=load_geography(session),
        context=build_context(session, today, parameters, run_id),
    )
