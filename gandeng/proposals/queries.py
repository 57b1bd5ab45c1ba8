"""Read-only queries: the runs list, a run's idle offers, the review queue, the open proposals to export.

Each function issues one query per kind of row (never one per row).
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from gandeng.db import db
from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus
from gandeng.paging import Key, Keyset, Page, Position, keyset_page
from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.search import pairs_matching


def runs_page(session, page: int, per_page: int):
    """Matching runs, newest first, with who started them."""
    query = select(MatchingRun).options(selectinload(MatchingRun.started_by)).order_by(MatchingRun.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def latest_done_run(session) -> MatchingRun | None:
    """The most recent run that finished."""
    return session.scalar(
        select(MatchingRun).where(MatchingRun.status == RunStatus.DONE).order_by(MatchingRun.id.desc()).limit(1)
    )


def open_proposals_of_run(session, run_id: int) -> list[Proposal]:
    """The still-proposed proposals of a run with their need and offer loaded (for the export)."""
    query = (
        select(Proposal)
        .where(Proposal.run_id == run_id, Proposal.status == ProposalStatus.PROPOSED)
        .options(selectinload(Proposal.need), selectinload(Proposal.offer))
        .order_by(Proposal.need_id, Proposal.offer_id)
    )
    return list(session.scalars(query))


@dataclass
class UnmatchedRow:
    offer: Offer | None
    unused_rp: int
    detail: str


def unmatched_rows(session, run: MatchingRun) -> list[UnmatchedRow]:
    """The run's offers left with money ("penawaran tanpa pasangan yang baik"), most money first."""
    items = sorted(run.unmatched or [], key=lambda u: (-int(u.get("unused_rp", 0)), u.get("offer_id", 0)))
    ids = [int(u["offer_id"]) for u in items]
    offers = {
        o.id: o
        for o in session.scalars(select(Offer).where(Offer.id.in_(ids)).options(selectinload(Offer.organisation)))
    } if ids else {}
    return [UnmatchedRow(offers.get(int(u["offer_id"])), int(u.get("unused_rp", 0)), _why(u.get("detail", "")))
            for u in items]


def _why(detail: str) -> str:
    """The engine writes "Rp… belum terpakai: why"; the page shows the amount on its own line."""
    return detail.split(": ", 1)[1] if "belum terpakai: " in detail else detail


@dataclass
class FairnessView:
    """A run's spread across the city: Gini of Rp per KMS household, kemantren shares (staff only)."""

    gini: float | None
    weight: float
    shares: list[tuple[str, float]]          # (kemantren name, share of the run's Rp), largest first
    top_category: tuple[object, str, float] | None   # (Category or its code, kemantren name, share)


def fairness_rows(session, run: MatchingRun) -> FairnessView | None:
    """The fairness figures the run stored (runs from before issue 13 have none)."""
    figures = (run.counts or {}).get("fairness")
    if not figures:
        return None
    names = dict(session.execute(select(Kemantren.code, Kemantren.name)).all())
    shares = sorted(((names.get(code, code), float(v)) for code, v in (figures.get("kemantren_share") or {}).items()),
                    key=lambda item: -item[1])
    top = None
    for category, by_kem in (figures.get("kemantren_share_by_category") or {}).items():
        code, share = max(by_kem.items(), key=lambda item: item[1])
        if top is None or share > top[2]:
            top = (session.get(Category, category) or category, names.get(code, code), float(share))
    return FairnessView(figures.get("gini_rp_per_kms"), float(figures.get("fairness_weight", 0.0)), shares, top)


# --- the review queue -----------------------------------------------------------------------

@dataclass
class NeedGroup:
    """One need with its open proposals, best first: the first is the suggestion, the rest alternatives."""

    need: Need
    committed_rp: int
    proposals: list[Proposal]

    @property
    def remaining_rp(self) -> int:
        return max(self.need.cost_rp - self.committed_rp, 0)

    @property
    def best(self) -> Proposal:
        return self.proposals[0]

    @property
    def alternatives(self) -> list[Proposal]:
        return self.proposals[1:]

    @property
    def proposed_rp(self) -> int:
        return sum(p.amount_rp for p in self.proposals)

    @property
    def photos(self) -> list:
        return [a for a in self.need.attachments if a.is_image][:3]


class ReviewPage(Page):
    """One page of the queue: `items` are NeedGroup; `extra` holds the offers' remaining Rupiah and
    the number of open proposals."""

    @property
    def groups(self) -> list[NeedGroup]:
        return self.items

    @property
    def offer_remaining(self) -> dict[int, int]:
        return self.extra.get("offer_remaining", {})

    @property
    def open_proposals(self) -> int:
        return self.extra.get("open_proposals", 0)


def _open_proposals(category: str = "", kemantren: str = "", q: str = ""):
    query = select(Proposal).where(Proposal.status == ProposalStatus.PROPOSED)
    if category or kemantren:
        query = query.join(Need, Need.id == Proposal.need_id)
        if category:
            query = query.where(Need.category_code == category)
        if kemantren:
            query = query.where(
                Need.kelurahan_code.in_(select(Kelurahan.code).where(Kelurahan.kemantren_code == kemantren))
            )
    found = pairs_matching(q, Proposal.need_id, Proposal.offer_id)
    if found is not None:
        query = query.where(found)
    return query


def _queue_keyset(groups):
    """Needs ordered by their best open proposal's score (best first), then need id."""
    return Keyset(Key(groups.c.best, float), Key(groups.c.need_id, int, descending=False),
                  value_of=lambda row: (row.best, row.need_id))


def _counts(session, base) -> tuple[int, int]:
    return tuple(session.execute(
        select(func.count(), func.count(func.distinct(base.c.need_id))).select_from(base)).one())


def queue_counts(session, category: str = "", kemantren: str = "", q: str = "") -> tuple[int, int]:
    """(open proposals, needs) of the review queue under these filters: the sentence at its top."""
    return _counts(session, _open_proposals(category, kemantren, q).subquery())


def review_queue(session, position: Position | int = 1, per_page: int = 20, category: str = "",
                 kemantren: str = "", q: str = "") -> ReviewPage:
    """Open proposals grouped by need, the groups ordered by their best score (then need id), one
    page of `per_page` needs at `position`; `q` searches the need's and the offers' side."""
    if isinstance(position, int):
        position = Position(page=position)
    base = _open_proposals(category, kemantren, q).subquery()
    open_count, total = _counts(session, base)
    groups = (
        select(base.c.need_id.label("need_id"), func.max(base.c.score).label("best"))
        .group_by(base.c.need_id).subquery()
    )
    page = keyset_page(session, select(groups.c.need_id, groups.c.best), _queue_keyset(groups), per_page,
                       position, total=total, scalars=False, page_class=ReviewPage)
    page.extra["open_proposals"] = open_count
    need_ids = [row.need_id for row in page.items]
    if not need_ids:
        page.items = []
        return page
    proposals = list(session.scalars(
        select(Proposal)
        .where(Proposal.status == ProposalStatus.PROPOSED, Proposal.need_id.in_(need_ids))
        .options(selectinload(Proposal.offer).selectinload(Offer.organisation))
        .order_by(Proposal.score.desc(), Proposal.amount_rp.desc(), Proposal.id)
    ))
    needs = {
        n.id: n
        for n in session.scalars(
            select(Need).where(Need.id.in_(need_ids)).options(
                selectinload(Need.kampung), selectinload(Need.kelurahan).selectinload(Kelurahan.kemantren),
                selectinload(Need.category), selectinload(Need.attachments),
            )
        )
    }
    by_need: dict[int, list[Proposal]] = {i: [] for i in need_ids}
    for proposal in proposals:
        by_need[proposal.need_id].append(proposal)
    page.items = [NeedGroup(needs[i], needs[i].committed_rp, by_need[i]) for i in need_ids if by_need[i]]
    page.extra["offer_remaining"] = {
        p.offer_id: max(p.offer.capacity_rp - p.offer.committed_rp, 0) for p in proposals}
    return page
