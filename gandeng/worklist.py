"""What waits for each signed-in role: the queries behind the coordinator's, partner's and staff's home.

A handful of grouped queries per page (never one per row); personal data stays where it was: the
coordinator sees their own kampung's needs, the partner their organisation's collaborations and the
public needs that fit their offers, staff only counts.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, func, or_, select

from gandeng.accounts.models import Organisation, User, UserStatus
from gandeng.collaborations.models import Commitment, CommitmentStatus, ProgressReport
from gandeng.db import utcnow
from gandeng.formatting import today_wib
from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import Offer, OfferArea, OfferStatus, offer_categories
from gandeng.proposals.models import Proposal, ProposalStatus
from gandeng.reference.models import Kelurahan

# A collaboration with no news for this long is "stalled" (staff follow it up; partners owe a report).
STALLED_AFTER = timedelta(days=30)
# How many rows a home page lists under its counts (the rest is one tap away).
SHOWN = 4


# --- the coordinator --------------------------------------------------------------------------

@dataclass
class NeedTask:
    """One of the kampung's needs and what it waits for: `waiting` is a key of the home template
    (draft, returned, submitted, proposals, partner, to_confirm, running, cancelled, searching, done,
    closed)."""

    need: Need
    waiting: str
    proposals: int = 0
    collaboration_id: int | None = None
    # The collaborations behind the need: how many still wait for their partner to agree, the
    # progress of those running (amount-weighted percent, None when none runs), how many ended
    # (declined or cancelled).
    awaiting: int = 0
    progress: int | None = None
    ended: int = 0

    @property
    def needs_me(self) -> bool:
        """The coordinator has something to do (fix, submit or confirm)."""
        return self.waiting in ("draft", "returned", "to_confirm")


# Order on the home page: what the coordinator must do first, finished needs last.
_ORDER = ["returned", "to_confirm", "draft", "submitted", "partner", "proposals", "cancelled", "searching",
          "running", "done", "closed"]


@dataclass
class CoordinatorHome:
    tasks: list[NeedTask]
    total: int

    @property
    def shown(self) -> list[NeedTask]:
        return self.tasks[:SHOWN]

    def count(self, *waiting: str) -> int:
        return sum(1 for t in self.tasks if t.waiting in waiting)


@dataclass
class _Collaborations:
    """What a need's collaborations say about it (see NeedTask)."""

    awaiting: int = 0
    running_rp: int = 0
    running_progress_rp: int = 0
    ended: int = 0
    to_confirm: int | None = None

    @property
    def progress(self) -> int | None:
        if not self.running_rp:
            return None
        return round(self.running_progress_rp / self.running_rp)


def _waiting(need: Need, proposals: int, c: _Collaborations) -> str:
    if need.status == NeedStatus.DRAFT:
        return "draft"
    if need.status == NeedStatus.RETURNED:
        return "returned"
    if need.status == NeedStatus.SUBMITTED:
        return "submitted"
    if need.status in (NeedStatus.REJECTED, NeedStatus.WITHDRAWN):
        return "closed"
    if need.status == NeedStatus.COMPLETED:
        return "done"
    if c.to_confirm is not None:
        return "to_confirm"
    # A partner at work says more than one yet to agree (the template adds "n more to agree").
    if c.progress is not None or need.status == NeedStatus.IN_PROGRESS:
        return "running"
    if c.awaiting:
        return "partner"
    if proposals:
        return "proposals"
    return "cancelled" if c.ended else "searching"


_ENDED = (CommitmentStatus.DECLINED, CommitmentStatus.CANCELLED)


def _collaborations(session, ids) -> dict[int, _Collaborations]:
    """Per need id: its collaborations summed up in one query."""
    found: dict[int, _Collaborations] = {}
    rows = session.execute(
        select(Commitment.need_id, Commitment.id, Commitment.status, Commitment.amount_rp,
               Commitment.progress_percent, Commitment.completion_reported_at)
        .where(Commitment.need_id.in_(ids)).order_by(Commitment.id))
    for need_id, cid, status, amount, percent, reported in rows:
        c = found.setdefault(need_id, _Collaborations())
        if status == CommitmentStatus.AWAITING_PARTNER:
            c.awaiting += 1
        elif status == CommitmentStatus.IN_PROGRESS:
            weight = max(int(amount or 0), 1)
            c.running_rp += weight
            c.running_progress_rp += weight * int(percent or 0)
            if reported is not None and c.to_confirm is None:
                c.to_confirm = cid
        elif status in _ENDED:
            c.ended += 1
    return found


def coordinator_home(session, user) -> CoordinatorHome:
    """The needs of the coordinator's kampung, each with what it waits for, the most pressing first."""
    if user.kampung_id is None:
        return CoordinatorHome([], 0)
    needs = list(session.scalars(select(Need).where(Need.kampung_id == user.kampung_id)
                                 .order_by(Need.updated_at.desc(), Need.id.desc())))
    ids = [n.id for n in needs]
    if not ids:
        return CoordinatorHome([], 0)
    proposals = dict(session.execute(
        select(Proposal.need_id, func.count()).where(Proposal.need_id.in_(ids),
                                                     Proposal.status == ProposalStatus.PROPOSED)
        .group_by(Proposal.need_id)).all())
    collaborations = _collaborations(session, ids)
    tasks = []
    for n in needs:
        c = collaborations.get(n.id, _Collaborations())
        tasks.append(NeedTask(n, _waiting(n, proposals.get(n.id, 0), c), proposals.get(n.id, 0), c.to_confirm,
                              awaiting=c.awaiting, progress=c.progress, ended=c.ended))
    tasks.sort(key=lambda t: _ORDER.index(t.waiting))
    return CoordinatorHome(tasks, len(tasks))


# --- the partner ------------------------------------------------------------------------------

@dataclass
class PartnerHome:
    to_confirm: list[Commitment] = field(default_factory=list)
    reports_due: list[Commitment] = field(default_factory=list)
    fitting_needs: list[Need] = field(default_factory=list)
    fitting_total: int = 0
    active_offers: int = 0


def _last_news():
    """Per collaboration: the time of its latest progress report."""
    return (select(ProgressReport.commitment_id, func.max(ProgressReport.created_at).label("at"))
            .group_by(ProgressReport.commitment_id).subquery())


def _stalled(now):
    """In progress, completion not reported, and no report (or confirmation) for STALLED_AFTER."""
    news = _last_news()
    last = func.coalesce(news.c.at, Commitment.confirmed_at, Commitment.created_at)
    return news, and_(Commitment.status == CommitmentStatus.IN_PROGRESS,
                      Commitment.completion_reported_at.is_(None), last < now - STALLED_AFTER)


def _fitting_needs(organisation_id: int):
    """Public needs with money still missing that one of the organisation's active offers serves
    (its categories, or none = all; its areas, or none = the whole city)."""
    today = today_wib()
    active = and_(Offer.organisation_id == organisation_id, Offer.status == OfferStatus.ACTIVE,
                  or_(Offer.valid_until.is_(None), Offer.valid_until >= today))
    has_categories = select(offer_categories.c.offer_id).where(offer_categories.c.offer_id == Offer.id)
    has_areas = select(OfferArea.offer_id).where(OfferArea.offer_id == Offer.id)
    kemantren = select(Kelurahan.kemantren_code).where(Kelurahan.code == Need.kelurahan_code).scalar_subquery()
    serves = select(Offer.id).where(
        active,
        or_(~has_categories.exists(), has_categories.where(offer_categories.c.category_code == Need.category_code)
            .exists()),
        or_(~has_areas.exists(), has_areas.where(OfferArea.code.in_([Need.kelurahan_code, kemantren])).exists()),
    ).exists()
    return select(Need).where(Need.status.in_((NeedStatus.VERIFIED, NeedStatus.MATCHED)),
                              Need.cost_rp > Need.committed_rp, serves)


def partner_home(session, user) -> PartnerHome:
    """Collaborations to confirm, progress reports due, and needs that fit the organisation's active offers."""
    if user.organisation_id is None:
        return PartnerHome()
    own = Commitment.offer_id.in_(select(Offer.id).where(Offer.organisation_id == user.organisation_id))
    found = PartnerHome()
    found.to_confirm = list(session.scalars(
        select(Commitment).where(own, Commitment.status == CommitmentStatus.AWAITING_PARTNER)
        .order_by(Commitment.created_at)))
    news, stalled = _stalled(utcnow())
    found.reports_due = list(session.scalars(
        select(Commitment).outerjoin(news, news.c.commitment_id == Commitment.id).where(own, stalled)
        .order_by(Commitment.id)))
    fitting = _fitting_needs(user.organisation_id)
    found.fitting_total = session.scalar(select(func.count()).select_from(fitting.subquery())) or 0
    found.fitting_needs = list(session.scalars(
        fitting.order_by(Need.deadline.is_(None), Need.deadline, Need.id).limit(SHOWN)))
    found.active_offers = session.scalar(select(func.count(Offer.id)).where(
        Offer.organisation_id == user.organisation_id, Offer.status == OfferStatus.ACTIVE)) or 0
    return found


# --- staff ------------------------------------------------------------------------------------

@dataclass
class StaffQueues:
    needs_to_verify: int = 0
    users_to_verify: int = 0
    organisations_to_verify: int = 0
    proposals_to_decide: int = 0
    needs_with_proposals: int = 0
    awaiting_partner_stalled: int = 0
    running_stalled: int = 0
    # Nglarisi (issue 18): groups to visit (two ratings below 3 in a row), bank accounts to verify again,
    # groups waiting for curation, payments overdue (> 14 days after delivery).
    groups_to_visit: int = 0
    banks_to_verify: int = 0
    groups_to_curate: int = 0
    groups_to_recurate: int = 0   # verified, last curation 11 months ago or more (reminded)
    payments_overdue: int = 0

    @property
    def stalled(self) -> int:
        return self.awaiting_partner_stalled + self.running_stalled


def staff_queues(session) -> StaffQueues:
    """The staff's queues as counts: needs, users and organisations to verify, proposals to decide,
    collaborations stalled for more than 30 days (waiting for the partner, or running without news)."""
    now = utcnow()
    found = StaffQueues()
    found.needs_to_verify = session.scalar(
        select(func.count(Need.id)).where(Need.status == NeedStatus.SUBMITTED)) or 0
    found.users_to_verify = session.scalar(
        select(func.count(User.id)).where(User.status == UserStatus.PENDING)) or 0
    found.organisations_to_verify = session.scalar(
        select(func.count(Organisation.id)).where(Organisation.verified_at.is_(None))) or 0
    found.proposals_to_decide, found.needs_with_proposals = session.execute(
        select(func.count(Proposal.id), func.count(func.distinct(Proposal.need_id)))
        .where(Proposal.status == ProposalStatus.PROPOSED)).one()
    found.awaiting_partner_stalled = session.scalar(
        select(func.count(Commitment.id)).where(Commitment.status == CommitmentStatus.AWAITING_PARTNER,
                                                Commitment.created_at < now - STALLED_AFTER)) or 0
    news, stalled = _stalled(now)
    found.running_stalled = session.scalar(
        select(func.count(Commitment.id)).outerjoin(news, news.c.commitment_id == Commitment.id)
        .where(stalled)) or 0
    _nglarisi_queues(session, found)
    return found


def _nglarisi_queues(session, found: StaffQueues) -> None:
    from gandeng.nglarisi.models import Group, GroupStatus
    from gandeng.nglarisi.orders import overdue_query

    found.groups_to_visit, found.banks_to_verify, found.groups_to_curate = session.execute(select(
        func.count(Group.id).filter(Group.visit_needed_at.is_not(None)),
        func.count(Group.id).filter(Group.bank_account_number != "", Group.bank_verified_at.is_(None)),
        func.count(Group.id).filter(Group.status == GroupStatus.PENDING))).one()
    found.payments_overdue = session.scalar(select(func.count()).select_from(overdue_query().subquery())) or 0
    from gandeng.formatting import today_wib
    from gandeng.nglarisi.recuration import due_condition

    found.groups_to_recurate = session.scalar(select(func.count(Group.id)).where(due_condition(today_wib()))) or 0
