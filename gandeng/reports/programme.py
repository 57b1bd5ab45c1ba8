"""The figures the city reports for the Gandeng Gendong programme (the dashboard's last section).

Counted: collaborations whose approval (Commitment.created_at) falls in the period, i.e.
commitments awaiting the partner, in progress or completed, and cancelled ones with Rp realised
(declined ones never); with a kemantren, those of its kelurahan's needs.
- campus participations: such collaborations of kampus organisations (and how many campuses);
- CSR activities and CSR Rp: those of korporat organisations and their COUNTED_RP;
- kampung reached and beneficiaries: gandeng.reports.reach (the one definition every page uses);
- active partners: organisations with such a collaboration, or with an offer active now that was
  published before the period ended and valid at its start (with a kemantren: serving it, i.e.
  without areas, or naming the kemantren or one of its kelurahan).
"""
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, or_, select

from gandeng.accounts.models import Organisation, OrgType
from gandeng.collaborations.models import HOLDING_STATUSES, Commitment, CommitmentStatus
from gandeng.collaborations.queries import COUNTED_RP
from gandeng.needs.models import Need
from gandeng.offers.models import Offer, OfferArea, OfferStatus
from gandeng.reference.models import Kelurahan
from gandeng.reports.periods import Period
from gandeng.reports.reach import reach

# A commitment that counts as a collaboration in the programme figures.
IS_COLLABORATION = or_(
    Commitment.status.in_(HOLDING_STATUSES),
    and_(Commitment.status == CommitmentStatus.CANCELLED, Commitment.realised_rp > 0),
)


@dataclass
class Programme:
    """The figures the city reports for the programme."""

    collaborations: int = 0
    campus_participations: int = 0
    campuses: int = 0
    kampung_reached: int = 0
    csr_activities: int = 0
    csr_rp: int = 0
    active_partners: int = 0
    beneficiaries: int = 0
    by_org_type: dict = field(default_factory=dict)  # type -> {collaborations, organisations, committed_rp, beneficiaries}


def in_kemantren(column, kemantren: str | None):
    """`column` (a kelurahan code) lies in `kemantren`; always true without one."""
    if not kemantren:
        return literal(True)
    return column.in_(select(Kelurahan.code).where(Kelurahan.kemantren_code == kemantren))


def _no_collaborations() -> dict:
    return {"collaborations": 0, "organisations": 0, "committed_rp": 0, "beneficiaries": 0}


# --- programme figures --------------------------------------------------------------------------

def _offer_serves(kemantren: str | None):
    """The offer serves the kemantren: no areas (the whole city), the kemantren or one of its kelurahan."""
    if not kemantren:
        return literal(True)
    codes = select(Kelurahan.code).where(Kelurahan.kemantren_code == kemantren)
    return or_(
        ~select(OfferArea.offer_id).where(OfferArea.offer_id == Offer.id).exists(),
        select(OfferArea.offer_id).where(OfferArea.offer_id == Offer.id,
                                         or_(OfferArea.code == kemantren, OfferArea.code.in_(codes))).exists(),
    )


def programme_figures(session, period: Period, kemantren: str | None = None) -> Programme:
    """The programme's figures for collaborations approved in `period` (and in a kemantren)."""
    in_scope = and_(IS_COLLABORATION, period.holds(Commitment.created_at),
                    in_kemantren(Need.kelurahan_code, kemantren))
    collaborations = (
        select(Commitment.id).select_from(Commitment)
        .join(Need, Need.id == Commitment.need_id).join(Offer, Offer.id == Commitment.offer_id)
    )
    found = Programme()
    reached = case((Commitment.status == CommitmentStatus.COMPLETED, func.coalesce(Commitment.beneficiaries_reached, 0)),
                   else_=0)
    # One row per organisation (at most a few hundred): the figures per type and the partners' ids.
    partner_ids = set()
    for org_type, org_id, n, committed, beneficiaries in session.execute(
        collaborations.with_only_columns(
            Organisation.type, Organisation.id, func.count(Commitment.id),
            func.coalesce(func.sum(COUNTED_RP), 0), func.coalesce(func.sum(reached), 0),
        ).join(Organisation, Organisation.id == Offer.organisation_id).where(in_scope)
        .group_by(Organisation.type, Organisation.id)
    ):
        partner_ids.add(org_id)
        row = found.by_org_type.setdefault(org_type, _no_collaborations())
        row["collaborations"] += int(n)
        row["organisations"] += 1
        row["committed_rp"] += int(committed)
        row["beneficiaries"] += int(beneficiaries)
    for org_type in OrgType:
        found.by_org_type.setdefault(str(org_type), _no_collaborations())
    kampus, korporat = found.by_org_type[OrgType.KAMPUS], found.by_org_type[OrgType.KORPORAT]
    found.collaborations = sum(row["collaborations"] for row in found.by_org_type.values())
    found.campus_participations, found.campuses = kampus["collaborations"], kampus["organisations"]
    found.csr_activities, found.csr_rp = korporat["collaborations"], korporat["committed_rp"]
    reached = reach(session, period, kemantren)
    found.kampung_reached, found.beneficiaries = reached.kampung, reached.beneficiaries
    start, end = period.bounds()
    offering = select(Offer.organisation_id).distinct().where(
        Offer.status == OfferStatus.ACTIVE, _offer_serves(kemantren),
        Offer.created_at < end if end is not None else literal(True),
        or_(Offer.valid_until.is_(None), Offer.valid_until >= period.first_day()) if start is not None
        else literal(True),
    )
    found.active_partners = len(partner_ids | set(session.scalars(offering)))
    return found
