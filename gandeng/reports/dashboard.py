"""The staff dashboard's figures: pure reads, a handful of grouped queries, no per-row queries.

The rules (the page repeats them in its small notes):
- A need is counted in the period of its `created_at` (the cohort the filter selects); an
  optional kemantren narrows it to the needs of that kemantren's kelurahan.
- "By status" counts every need of the cohort whatever its status. Every other need figure
  (needs, Rp needed, committed, realised, coverage) counts only needs that staff verified:
  verified, matched, in progress and completed (COVERAGE_STATUSES); drafts, submitted,
  returned, rejected and withdrawn needs are left out.
- Rp committed of a need is its running total `committed_rp` (collaborations.queries.COUNTED_RP
  over all its commitments, whenever they were made); Rp realised is the sum of its commitments'
  `realised_rp`.
  Coverage = committed / needed, realisation = realised / committed (None when dividing by 0).
- The quarterly trend applies the same rule to each quarter's cohort (so the quarters of a
  year add up to the year).
- Medians (over the cohort's needs): verification -> first approval = the need's first
  "need.verify" audit event (or its `created_at` when it never had one: imported or created
  verified) to its first commitment's `created_at` (any commitment, a later decline does not
  undo the approval); needs never approved are not counted. Approval -> completion = a
  completed commitment's `created_at` to its `completed_at`.
- Programme figures count collaborations whose approval (Commitment.created_at) falls in the
  period: commitments awaiting the partner, in progress or completed, and cancelled ones with
  Rp realised (declined ones never). Kampung reached counts the kampung with at least one live
  or completed collaboration (awaiting, in progress, completed). Active partners are the
  organisations with such a collaboration, or with an offer active now that was published
  before the period ended and valid at its start (and, with a kemantren filter, serving it);
  see gandeng.reports.programme.
"""
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from sqlalchemy import and_, case, func, literal, select

from gandeng.audit.models import AuditEvent
from gandeng.collaborations.models import Commitment, CommitmentStatus
from gandeng.formatting import today_wib
from gandeng.needs.models import Need, NeedStatus
from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.reports.periods import Period
from gandeng.reports.programme import Programme, in_kemantren, programme_figures

COVERAGE_STATUSES = (NeedStatus.VERIFIED, NeedStatus.MATCHED, NeedStatus.IN_PROGRESS, NeedStatus.COMPLETED)
TREND_QUARTERS = 8  # without a year: the last 8 quarters
VERIFY_ACTION = "need.verify"

def percent(part: int, whole: int) -> float | None:
    """part / whole in percent, rounded to 0.1; None when whole is 0."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Money:
    """Needs of a group and their money."""

    needs: int = 0
    needed_rp: int = 0
    committed_rp: int = 0
    realised_rp: int = 0

    def add(self, other: "Money") -> None:
        self.needs += other.needs
        self.needed_rp += other.needed_rp
        self.committed_rp += other.committed_rp
        self.realised_rp += other.realised_rp

    @property
    def coverage(self) -> float | None:
        """Rp committed / Rp needed, in percent."""
        return percent(self.committed_rp, self.needed_rp)

    @property
    def realisation(self) -> float | None:
        """Rp realised / Rp committed, in percent."""
        return percent(self.realised_rp, self.committed_rp)


@dataclass
class Group:
    """One row of a grouping: its code, names and figures."""

    code: str
    name: str
    money: Money
    name_en: str = ""
    parent: str = ""  # the kemantren of a kelurahan


@dataclass
class StatusRow:
    status: str
    needs: int = 0
    cost_rp: int = 0


@dataclass
class Median:
    """A median number of days and how many durations it is over."""

    days: float | None
    count: int
    fallback: int = 0  # durations measured from created_at (no verification event)


@dataclass
class DashboardFigures:
    period: Period
    kemantren: str | None
    headline: Money
    all_needs: int
    by_status: list[StatusRow]
    by_category: list[Group]
    by_kemantren: list[Group]
    by_kelurahan: list[Group]
    trend: list[tuple[Period, Money]]
    to_approval: Median
    to_completion: Median
    programme: Programme


# --- filters ------------------------------------------------------------------------------------

def _cohort(period: Period, kemantren: str | None):
    return and_(period.holds(Need.created_at), in_kemantren(Need.kelurahan_code, kemantren))


def kemantren_names(session) -> dict[str, str]:
    """code -> name of the 14 kemantren, by name."""
    return dict(session.execute(select(Kemantren.code, Kemantren.name).order_by(Kemantren.name)).all())


# --- needs and money ----------------------------------------------------------------------------

def _status_rows(session, cohort) -> list[StatusRow]:
    found = {status: StatusRow(status) for status in NeedStatus}
    for status, n, cost in session.execute(
        select(Need.status, func.count(Need.id), func.coalesce(func.sum(Need.cost_rp), 0))
        .where(cohort).group_by(Need.status)
    ):
        found.setdefault(status, StatusRow(status)).needs = int(n)
        found[status].cost_rp = int(cost)
    return list(found.values())


def _grouped(session, where, keys) -> dict[tuple, Money]:
    """Money of the verified-and-later needs matching `where`, grouped by the expressions `keys`:
    one query over the needs (with their running committed totals), one over their commitments' realised Rp."""
    where = and_(where, Need.status.in_(COVERAGE_STATUSES))
    found: dict[tuple, Money] = {}
    for *key, n, cost, committed in session.execute(
        select(*keys, func.count(Need.id), func.coalesce(func.sum(Need.cost_rp), 0),
               func.coalesce(func.sum(Need.committed_rp), 0)).where(where).group_by(*keys)
    ):
        found[tuple(key)] = Money(needs=int(n), needed_rp=int(cost), committed_rp=int(committed))
    for *key, realised in session.execute(
        select(*keys, func.coalesce(func.sum(Commitment.realised_rp), 0))
        .select_from(Commitment).join(Need, Need.id == Commitment.need_id).where(where).group_by(*keys)
    ):
        found.setdefault(tuple(key), Money()).realised_rp = int(realised)
    return found


def _quarter_of(periods: list[Period]):
    """The index of the quarter a need was created in (-1: none of them), as a CASE over the
    quarters' bounds: portable SQL, no date functions."""
    return case(*[(p.holds(Need.created_at), i) for i, p in enumerate(periods)], else_=-1)


def _cells_and_trend(session, period: Period, kemantren: str | None, periods: list[Period]):
    """(kelurahan, category) -> Money of the cohort, and each trend quarter's Money. When the
    trend's quarters lie inside the period (all time, a whole year) one pass gives both."""
    cohort = _cohort(period, kemantren)
    kel, cat = Need.kelurahan_code, Need.category_code
    trend = [Money() for _ in periods]
    if period.quarter is None:
        cells: dict[tuple, Money] = {}
        for (k, c, i), money in _grouped(session, cohort, [kel, cat, _quarter_of(periods)]).items():
            cells.setdefault((k, c), Money()).add(money)
            if i >= 0:
                trend[i].add(money)
        return cells, list(zip(periods, trend))
    cells = _grouped(session, cohort, [kel, cat])
    in_trend = and_(in_kemantren(kel, kemantren),
                    Need.created_at >= periods[0].bounds()[0], Need.created_at < periods[-1].bounds()[1])
    for (i,), money in _grouped(session, in_trend, [_quarter_of(periods)]).items():
        if i >= 0:
            trend[i].add(money)
    return cells, list(zip(periods, trend))


def trend_periods(period: Period, today: date) -> list[Period]:
    """The four quarters of the selected year, or the last TREND_QUARTERS quarters up to today."""
    if period.year:
        return [Period(period.year, q) for q in (1, 2, 3, 4)]
    return Period(today.year - 3).quarters_until(today)[-TREND_QUARTERS:]


# --- durations ----------------------------------------------------------------------------------

def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def _median(durations: list[float], fallback: int = 0) -> Median:
    return Median(days=round(median(durations), 1) if durations else None, count=len(durations), fallback=fallback)


def _to_approval(session, cohort, period: Period) -> Median:
    """One query: the cohort's needs joined to their first commitment and (outer) their first
    verification. Both aggregates skip rows before the period began: a need is verified and
    approved after it was created. (Faster on both databases than a semi-join on the cohort.)"""
    start, _end = period.bounds()
    since = (lambda column: column >= start) if start is not None else (lambda column: literal(True))
    first_approval = (
        select(Commitment.need_id.label("need_id"), func.min(Commitment.created_at).label("at"))
        .where(since(Commitment.created_at)).group_by(Commitment.need_id).subquery()
    )
    first_verify = (
        select(AuditEvent.object_id.label("need_id"), func.min(AuditEvent.created_at).label("at"))
        .where(AuditEvent.action == VERIFY_ACTION, AuditEvent.object_type == Need.__tablename__,
               since(AuditEvent.created_at))
        .group_by(AuditEvent.object_id).subquery()
    )
    rows = session.execute(
        select(Need.created_at, first_verify.c.at, first_approval.c.at)
        .join(first_approval, first_approval.c.need_id == Need.id)
        .outerjoin(first_verify, first_verify.c.need_id == Need.id)
        .where(cohort)
    ).all()
    durations = [_days(verified or created, approved) for created, verified, approved in rows]
    return _median(durations, fallback=sum(1 for _c, verified, _a in rows if verified is None))


def _to_completion(session, cohort) -> Median:
    rows = session.execute(
        select(Commitment.created_at, Commitment.completed_at)
        .join(Need, Need.id == Commitment.need_id)
        .where(cohort, Commitment.status == CommitmentStatus.COMPLETED, Commitment.completed_at.is_not(None))
    ).all()
    return _median([_days(approved, completed) for approved, completed in rows])


# --- everything ---------------------------------------------------------------------------------

def figures(session, period: Period, kemantren: str | None = None, today: date | None = None) -> DashboardFigures:
    """Every figure of the dashboard for `period` (and a kemantren code, or None for the city)."""
    today = today or today_wib()
    cohort = _cohort(period, kemantren)
    kemantren_rows = kemantren_names(session)
    kelurahan = session.execute(
        select(Kelurahan.code, Kelurahan.name, Kelurahan.kemantren_code)
        .where(in_kemantren(Kelurahan.code, kemantren)).order_by(Kelurahan.name)
    ).all()
    categories = session.execute(
        select(Category.code, Category.label_id, Category.label_en).order_by(Category.position)
    ).all()
    cells, trend = _cells_and_trend(session, period, kemantren, trend_periods(period, today))
    headline, by_cat, by_kel, by_kem = Money(), {}, {}, {}
    kemantren_of = {code: parent for code, _name, parent in kelurahan}
    for (kel, cat), money in cells.items():
        headline.add(money)
        by_cat.setdefault(cat, Money()).add(money)
        by_kel.setdefault(kel, Money()).add(money)
        by_kem.setdefault(kemantren_of.get(kel), Money()).add(money)
    statuses = _status_rows(session, cohort)
    return DashboardFigures(
        period=period,
        kemantren=kemantren,
        headline=headline,
        all_needs=sum(row.needs for row in statuses),
        by_status=statuses,
        by_category=[Group(code, label_id, by_cat.get(code, Money()), name_en=label_en)
                     for code, label_id, label_en in categories],
        by_kemantren=[Group(code, name, by_kem.get(code, Money())) for code, name in kemantren_rows.items()
                      if not kemantren or code == kemantren],
        by_kelurahan=[Group(code, name, by_kel.get(code, Money()), parent=kemantren_rows.get(parent, ""))
                      for code, name, parent in kelurahan],
        trend=trend,
        to_approval=_to_approval(session, cohort, period),
        to_completion=_to_completion(session, cohort),
        programme=programme_figures(session, period, kemantren),
    )
