"""What one organisation gave (pure reads): its offers, its collaborations approved in a period,
and their totals, for the partner page and the PDF statement of contribution.

Money follows collaborations.queries.COUNTED_RP: a collaboration counts its whole amount while it
is awaiting the partner, in progress or completed; a cancelled one counts what was realised before
it stopped; a declined one counts nothing. Each row shows that counted amount, so the column adds up
to the total. A collaboration belongs to the period in which staff approved it (its created_at)."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, select

from gandeng.accounts.models import Kampung, Organisation
from gandeng.collaborations.models import Commitment, CommitmentStatus
from gandeng.collaborations.queries import COUNTED_RP
from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.reports.joins import join_need_place
from gandeng.reports.periods import Period


@dataclass(frozen=True)
class OfferRow:
    id: int
    title: str
    kind: str
    status: str
    capacity_rp: int
    committed_rp: int

    @property
    def remaining_rp(self) -> int:
        return max(self.capacity_rp - self.committed_rp, 0)


@dataclass(frozen=True)
class CollaborationRow:
    """One collaboration, without any personal data (no beneficiaries, no coordinator)."""

    id: int
    need_title: str
    kampung: str
    kelurahan: str
    kemantren: str
    category_id: str  # Indonesian label
    category_en: str
    status: str
    amount_rp: int     # as approved
    counted_rp: int    # what it counts now (COUNTED_RP)
    realised_rp: int
    progress_percent: int
    approved_at: datetime
    completed_at: datetime | None
    beneficiaries_reached: int | None

    def category(self, locale: str) -> str:
        return self.category_en if locale == "en" else self.category_id


@dataclass
class PartnerTotals:
    committed_rp: int = 0
    realised_rp: int = 0
    collaborations: int = 0
    by_status: dict = field(default_factory=dict)  # status -> number
    kampung_reached: int = 0
    kelurahan_reached: int = 0
    beneficiaries_reached: int = 0

    @property
    def realisation_percent(self) -> float | None:
        """Rp realised as a share of Rp committed; None when nothing is committed."""
        return 100 * self.realised_rp / self.committed_rp if self.committed_rp else None


@dataclass
class PartnerReport:
    organisation: Organisation
    period: Period
    offers: list[OfferRow]
    collaborations: list[CollaborationRow]
    totals: PartnerTotals


def _of_organisation(query, organisation_id: int, period: Period):
    """The organisation's collaborations approved in the period."""
    return query.where(Commitment.offer_id.in_(select(Offer.id).where(Offer.organisation_id == organisation_id)),
                       period.holds(Commitment.created_at))


def offers_of(session, organisation_id: int) -> list[OfferRow]:
    """Every offer of the organisation (whatever the period: an offer's room is today's), newest first,
    with the Rupiah committed (its running total)."""
    offers = session.execute(
        select(Offer.id, Offer.title, Offer.kind, Offer.status, Offer.capacity_rp, Offer.committed_rp)
        .where(Offer.organisation_id == organisation_id).order_by(Offer.created_at.desc(), Offer.id.desc())
    ).all()
    return [OfferRow(row.id, row.title, row.kind, str(row.status), int(row.capacity_rp), int(row.committed_rp))
            for row in offers]


def collaborations_of(session, organisation_id: int, period: Period = Period()) -> list[CollaborationRow]:
    """The organisation's collaborations approved in the period, newest first (one query)."""
    query = (
        select(Commitment.id, Need.title, Kampung.name.label("kampung"), Kelurahan.name.label("kelurahan"),
               Kemantren.name.label("kemantren"), Category.label_id, Category.label_en, Commitment.status,
               Commitment.amount_rp, COUNTED_RP.label("counted"), Commitment.realised_rp,
               Commitment.progress_percent, Commitment.created_at, Commitment.completed_at,
               Commitment.beneficiaries_reached)
        .select_from(Commitment)
        .order_by(Commitment.created_at.desc(), Commitment.id.desc())
    )
    rows = session.execute(_of_organisation(join_need_place(query), organisation_id, period))
    return [CollaborationRow(row[0], row.title, row.kampung, row.kelurahan, row.kemantren, row.label_id,
                             row.label_en, str(row.status), int(row.amount_rp), int(row.counted),
                             int(row.realised_rp), int(row.progress_percent), row.created_at, row.completed_at,
                             row.beneficiaries_reached)
            for row in rows]


def totals_of(session, organisation_id: int, period: Period = Period()) -> PartnerTotals:
    """Rp committed and realised, collaborations by status, kampung and kelurahan reached (by a
    collaboration that counts money) and beneficiaries reached (completed collaborations), in two
    grouped queries."""
    completed_reached = case((Commitment.status == CommitmentStatus.COMPLETED, Commitment.beneficiaries_reached),
                             else_=0)
    by_status = session.execute(_of_organisation(
        select(Commitment.status, func.count(Commitment.id), func.coalesce(func.sum(COUNTED_RP), 0),
               func.coalesce(func.sum(Commitment.realised_rp), 0), func.coalesce(func.sum(completed_reached), 0))
        .group_by(Commitment.status), organisation_id, period))
    totals = PartnerTotals()
    for status, number, committed, realised, reached in by_status:
        totals.by_status[str(status)] = int(number)
        totals.collaborations += int(number)
        totals.committed_rp += int(committed)
        totals.realised_rp += int(realised)
        totals.beneficiaries_reached += int(reached)
    kampung, kelurahan = session.execute(_of_organisation(
        select(func.count(distinct(Need.kampung_id)), func.count(distinct(Need.kelurahan_code)))
        .select_from(Commitment).join(Need, Need.id == Commitment.need_id).where(COUNTED_RP > 0),
        organisation_id, period)).one()
    totals.kampung_reached, totals.kelurahan_reached = int(kampung), int(kelurahan)
    return totals


def partner_report(session, organisation: Organisation, period: Period = Period()) -> PartnerReport:
    """Everything the partner page and the statement show for one organisation and period."""
    return PartnerReport(
        organisation=organisation,
        period=period,
        offers=offers_of(session, organisation.id),
        collaborations=collaborations_of(session, organisation.id, period),
        totals=totals_of(session, organisation.id, period),
    )


@dataclass(frozen=True)
class OrganisationSummary:
    id: int
    name: str
    type: str
    verified: bool
    collaborations: int
    committed_rp: int
    realised_rp: int


def organisation_summaries(session, period: Period = Period()) -> list[OrganisationSummary]:
    """Every organisation with its number of collaborations and Rp committed and realised in the
    period (for staff choosing whose page to open), the largest contributors first; one query."""
    joined = and_(Commitment.offer_id == Offer.id, period.holds(Commitment.created_at))
    committed = func.coalesce(func.sum(COUNTED_RP), 0)
    rows = session.execute(
        select(Organisation.id, Organisation.name, Organisation.type, Organisation.verified_at,
               func.count(Commitment.id), committed, func.coalesce(func.sum(Commitment.realised_rp), 0))
        .select_from(Organisation)
        .outerjoin(Offer, Offer.organisation_id == Organisation.id)
        .outerjoin(Commitment, joined)
        .group_by(Organisation.id, Organisation.name, Organisation.type, Organisation.verified_at)
        .order_by(committed.desc(), Organisation.name)
    )
    return [OrganisationSummary(i, name, str(kind), verified is not None, int(n), int(rp), int(realised))
            for i, name, kind, verified, n, rp, realised in rows]
