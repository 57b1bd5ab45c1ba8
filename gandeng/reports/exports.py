"""Staff exports of needs, offers and collaborations: one joined query per dataset, rows streamed.

Headers are machine-friendly snake_case codes (the same in every language) and statuses are codes,
so a file loads into a script or a pivot table the same way every month. Times are Yogyakarta time
(WIB; in CSV ISO 8601 with +07:00). Personal data stays out: no household names (`beneficiaries`),
no contact phones, no names of coordinators or partners' staff; KMS counts of single needs are
included because these files are for city staff only (never open data).
"""
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, func, or_, select

from gandeng.accounts.models import Kampung, Organisation
from gandeng.collaborations.models import Commitment, CommitmentStatus
from gandeng.formatting import to_wib
from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import Offer, OfferArea, OfferStatus, offer_categories
from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.reports.joins import join_need_place, join_organisation
from gandeng.reports.periods import Period, period_from_args

DATASETS = ("needs", "offers", "collaborations")
FORMATS = ("csv", "xlsx")
STATUSES = {
    "needs": tuple(NeedStatus),
    "offers": tuple(OfferStatus),
    "collaborations": tuple(CommitmentStatus),
}
# Rows fetched from the database at a time: the export never holds all ORM objects at once.
BATCH = 1000

HEADERS = {
    "needs": (
        "id", "ref", "status", "category_code", "category_label", "kemantren", "kelurahan_code", "kelurahan",
        "kampung", "rw", "title", "description", "households", "kms_households", "cost_rp", "committed_rp",
        "remaining_rp", "urgency", "deadline", "partial_ok", "created_at", "verified_at",
    ),
    "offers": (
        "id", "ref", "status", "organisation", "organisation_type", "kind", "categories", "title",
        "description", "capacity_rp", "committed_rp", "remaining_rp", "areas", "valid_until", "created_at",
    ),
    "collaborations": (
        "id", "status", "need_id", "need_ref", "need_title", "kampung", "kelurahan_code", "kelurahan",
        "kemantren", "category_code", "category_label", "offer_id", "offer_ref", "organisation",
        "organisation_type", "amount_rp", "realised_rp", "progress_percent", "approved_at", "confirmed_at",
        "completed_at", "closed_at", "beneficiaries_reached",
    ),
}


@dataclass(frozen=True)
class ExportFilters:
    """What an export is narrowed to; empty means everything."""

    status: str = ""
    kemantren: str = ""
    period: Period = field(default_factory=Period)

    def args(self) -> dict:
        found = {k: getattr(self, k) for k in ("status", "kemantren") if getattr(self, k)}
        return {**found, **self.period.args()}


def filters_from_args(session, dataset: str, args) -> ExportFilters:
    """Filters from the query string; an unknown status, kemantren or period is ignored, never an error."""
    status = args.get("status", "")
    kemantren = args.get("kemantren", "")
    if kemantren and session.get(Kemantren, kemantren) is None:
        kemantren = ""
    return ExportFilters(
        status=status if status in STATUSES.get(dataset, ()) else "",
        kemantren=kemantren,
        period=period_from_args(args),
    )


def export_filename(dataset: str, filters: ExportFilters, fmt: str, today: date) -> str:
    """gandeng-needs-2026q1-34.71.01-verified-2026-11-28.csv: what, which part, exported when."""
    parts = ["gandeng", dataset]
    if filters.period.year:
        parts.append(f"{filters.period.year}" + (f"q{filters.period.quarter}" if filters.period.quarter else ""))
    parts += [value for value in (filters.kemantren, filters.status) if value]
    parts.append(today.isoformat())
    return "-".join(parts) + "." + fmt


def rows_of(session, dataset: str, filters: ExportFilters, english: bool = False) -> Iterator[tuple]:
    """The rows of one dataset (in the order of HEADERS[dataset]), oldest first."""
    return {"needs": need_rows, "offers": offer_rows, "collaborations": collaboration_rows}[dataset](
        session, filters, english)


def export_counts(session) -> dict[str, int]:
    """How many rows each unfiltered export has (for the list of downloads)."""
    return {
        "needs": session.scalar(select(func.count(Need.id))) or 0,
        "offers": session.scalar(select(func.count(Offer.id))) or 0,
        "collaborations": session.scalar(select(func.count(Commitment.id))) or 0,
    }


def _wib(moment: datetime | None) -> datetime | None:
    return to_wib(moment).replace(microsecond=0) if moment is not None else None


def _in_kemantren(column, kemantren: str):
    return column.in_(select(Kelurahan.code).where(Kelurahan.kemantren_code == kemantren))


def _stream(session, query):
    return session.execute(query.execution_options(yield_per=BATCH))


# --- needs --------------------------------------------------------------------------------------

def need_rows(session, filters: ExportFilters, english: bool = False) -> Iterator[tuple]:
    """Needs with their area, category and Rupiah committed (the running total); no names, no phones."""
    query = (
        select(Need.id, Need.ref, Need.status, Need.category_code, Category.label_id, Category.label_en,
               Kemantren.name, Kelurahan.code, Kelurahan.name, Kampung.name, Need.rw, Need.title,
               Need.description, Need.households, Need.kms_households, Need.cost_rp,
               Need.committed_rp, Need.urgency, Need.deadline, Need.partial_ok,
               Need.created_at, Need.verified_at)
        .order_by(Need.id)
    )
    query = join_need_place(query, from_commitment=False)
    if filters.status:
        query = query.where(Need.status == filters.status)
    if filters.kemantren:
        query = query.where(Kelurahan.kemantren_code == filters.kemantren)
    query = query.where(filters.period.holds(Need.created_at))
    for (need_id, ref, status, code, label_id, label_en, kemantren, kel_code, kelurahan, kampung, rw, title,
         description, households, kms, cost, committed_rp, urgency, deadline, partial_ok, created_at,
         verified_at) in _stream(session, query):
        committed_rp = int(committed_rp)
        yield (need_id, ref, status, code, label_en if english else label_id, kemantren, kel_code, kelurahan,
               kampung, rw, title, description, households, kms, cost, committed_rp, max(cost - committed_rp, 0),
               urgency, deadline, partial_ok, _wib(created_at), _wib(verified_at))


# --- offers -------------------------------------------------------------------------------------

def _serves_kemantren(kemantren: str):
    """An offer serves a kemantren when it names no area (the whole city), the kemantren itself,
    or one of its kelurahan."""
    return or_(
        ~exists().where(OfferArea.offer_id == Offer.id),
        exists().where(OfferArea.offer_id == Offer.id,
                       or_(OfferArea.code == kemantren, _in_kemantren(OfferArea.code, kemantren))),
    )


def _filtered_offers(filters: ExportFilters):
    query = select(Offer.id)
    if filters.status:
        query = query.where(Offer.status == filters.status)
    if filters.kemantren:
        query = query.where(_serves_kemantren(filters.kemantren))
    return query.where(filters.period.holds(Offer.created_at))


def _lists_by_offer(session, query) -> dict[int, list[str]]:
    found = defaultdict(list)
    for offer_id, value in session.execute(query):
        found[offer_id].append(value)
    return found


def offer_rows(session, filters: ExportFilters, english: bool = False) -> Iterator[tuple]:
    """Offers with their organisation, categories (codes, `;`-separated as in the import), areas
    (names, `;`-separated; empty = the whole city) and Rupiah committed; no contact details."""
    ids = _filtered_offers(filters).subquery()
    categories = _lists_by_offer(session, select(offer_categories.c.offer_id, offer_categories.c.category_code)
                                 .join(Category, Category.code == offer_categories.c.category_code)
                                 .where(offer_categories.c.offer_id.in_(select(ids.c.id)))
                                 .order_by(offer_categories.c.offer_id, Category.position))
    areas = _lists_by_offer(session, select(OfferArea.offer_id, OfferArea.code)
                            .where(OfferArea.offer_id.in_(select(ids.c.id)))
                            .order_by(OfferArea.offer_id, OfferArea.code))
    area_names = dict(session.execute(select(Kemantren.code, Kemantren.name)).all())
    area_names.update(session.execute(select(Kelurahan.code, Kelurahan.name)).all())
    query = (
        select(Offer.id, Offer.ref, Offer.status, Organisation.name, Organisation.type, Offer.kind, Offer.title,
               Offer.description, Offer.capacity_rp, Offer.committed_rp, Offer.valid_until,
               Offer.created_at)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(Offer.id.in_(select(ids.c.id)))
        .order_by(Offer.id)
    )
    for (offer_id, ref, status, organisation, org_type, kind, title, description, capacity, committed_rp,
         valid_until, created_at) in _stream(session, query):
        committed_rp = int(committed_rp)
        yield (offer_id, ref, status, organisation, org_type, kind, ";".join(categories.get(offer_id, [])),
               title, description, capacity, committed_rp, max(capacity - committed_rp, 0),
               ";".join(area_names.get(code, code) for code in areas.get(offer_id, [])),
               valid_until, _wib(created_at))


# --- collaborations -----------------------------------------------------------------------------

def collaboration_rows(session, filters: ExportFilters, english: bool = False) -> Iterator[tuple]:
    """Collaborations (approved commitments) with their need, area, organisation, money and dates;
    the period is the approval's date (the commitment's created_at)."""
    query = (
        select(Commitment.id, Commitment.status, Need.id, Need.ref, Need.title, Kampung.name, Kelurahan.code,
               Kelurahan.name, Kemantren.name, Need.category_code, Category.label_id, Category.label_en,
               Offer.id, Offer.ref, Organisation.name, Organisation.type, Commitment.amount_rp,
               Commitment.realised_rp, Commitment.progress_percent, Commitment.created_at,
               Commitment.confirmed_at, Commitment.completed_at, Commitment.closed_at,
               Commitment.beneficiaries_reached)
        .select_from(Commitment)
        .order_by(Commitment.id)
    )
    query = join_organisation(join_need_place(query))
    if filters.status:
        query = query.where(Commitment.status == filters.status)
    if filters.kemantren:
        query = query.where(Kelurahan.kemantren_code == filters.kemantren)
    query = query.where(filters.period.holds(Commitment.created_at))
    for row in _stream(session, query):
        (collab_id, status, need_id, need_ref, need_title, kampung, kel_code, kelurahan, kemantren, code,
         label_id, label_en, offer_id, offer_ref, organisation, org_type, amount, realised, percent,
         created_at, confirmed_at, completed_at, closed_at, reached) = row
        yield (collab_id, status, need_id, need_ref, need_title, kampung, kel_code, kelurahan, kemantren, code,
               label_en if english else label_id, offer_id, offer_ref, organisation, org_type, amount, realised,
               percent, _wib(created_at), _wib(confirmed_at), _wib(completed_at), _wib(closed_at), reached)
