"""Equity figures for staff: Rupiah committed per KMS household by kelurahan, the kelurahan left
behind, and the (household-weighted) Gini coefficient of that figure, now and quarter by quarter.

KMS households of a kelurahan are those the programme knows: the sum of `kms_households` of its
needs that passed verification (verified, matched, in progress, completed). The reference data has
no official KMS count per kelurahan, and a household named in two needs counts twice.

"As of the end of a period" means: needs created before the period's end and commitments approved
(created) before it; statuses and Rupiah realised are those of today (they carry no history of
their own)."""
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select

from gandeng.collaborations.models import Commitment
from gandeng.collaborations.queries import COUNTED_RP
from gandeng.formatting import to_wib, today_wib
from gandeng.needs.models import PUBLIC_STATUSES, Need
from gandeng.reference.models import Kelurahan, Kemantren
from gandeng.reports.periods import Period

# Needs whose KMS households and commitments count: those that passed verification.
COUNTED_NEED_STATUSES = PUBLIC_STATUSES

LEFT_BEHIND = "left_behind"
NO_DATA = "no_data"
OK = "ok"


# --- pure math ----------------------------------------------------------------------------------

def weighted_gini(values: Sequence[float], weights: Sequence[float] | None = None) -> float | None:
    """The Gini coefficient of non-negative `values`, each counted `weights[i]` times (default 1).

        G = Σ_i Σ_j w_i·w_j·|x_i − x_j|  /  (2 · W² · μ),   W = Σ w_i,   μ = Σ w_i·x_i / W

    0 when everybody gets the same; with equal weights and everything to one of n, (n − 1)/n; with
    weights and everything to one group of weight w_k, (W − w_k)/W (the share that got nothing).
    Here x_i is a kelurahan's Rupiah per KMS household and w_i its KMS households, so every
    household counts once. Computed in O(n log n) on the sorted values:
    Σ_i Σ_j w_i·w_j·|x_i − x_j| = 2 · Σ_i w_i·x_i·(2·W_<i + w_i − W), with W_<i the weight before i.
    Entries of weight 0 are ignored; None when nothing is left or the mean is 0 (undefined)."""
    weights = [1.0] * len(values) if weights is None else list(weights)
    if len(weights) != len(values):
        raise ValueError("values and weights differ in length")
    pairs = sorted((float(x), float(w)) for x, w in zip(values, weights) if w)
    if any(x < 0 or w < 0 for x, w in pairs):
        raise ValueError("values and weights must not be negative")
    total_weight = sum(w for _x, w in pairs)
    total = sum(x * w for x, w in pairs)
    if not pairs or total_weight <= 0 or total <= 0:
        return None
    before = 0.0
    spread = 0.0
    for x, w in pairs:
        spread += w * x * (2 * before + w - total_weight)
        before += w
    return max(0.0, spread / (total_weight * total))


def is_left_behind(committed_rp: int, kms: int, city_committed_rp: int, city_kms: int) -> bool:
    """Has KMS households and either nothing committed or less than half the city's Rupiah per KMS
    household (compared in whole numbers: committed/kms < ½·city_committed/city_kms)."""
    if kms <= 0:
        return False
    if committed_rp <= 0:
        return True
    return 2 * committed_rp * city_kms < city_committed_rp * kms


# --- figures ------------------------------------------------------------------------------------

@dataclass
class KelurahanEquity:
    """One kelurahan's figures as of the end of a period."""

    code: str
    name: str
    kemantren: str
    kms_households: int = 0
    needs: int = 0
    collaborations: int = 0  # commitments that count any Rupiah (rule of COUNTED_RP)
    needed_rp: int = 0
    committed_rp: int = 0
    realised_rp: int = 0
    status: str = NO_DATA

    @property
    def per_kms_rp(self) -> int | None:
        """Rupiah committed per KMS household, rounded to the Rupiah; None without KMS households."""
        return round(self.committed_rp / self.kms_households) if self.kms_households else None

    @property
    def coverage_percent(self) -> float | None:
        """Rupiah committed as a share of Rupiah needed, in percent (one decimal)."""
        return round(100 * self.committed_rp / self.needed_rp, 1) if self.needed_rp else None

    @property
    def left_behind(self) -> bool:
        return self.status == LEFT_BEHIND

    def values(self) -> dict:
        """The figures by key, as the map and the CSV give them."""
        return {key: getattr(self, key) for key, _kind in FIGURE_KINDS}


# Figure keys (in table order) and their kinds; labels live in the views (translated).
FIGURE_KINDS = (
    ("per_kms_rp", "rupiah"),
    ("committed_rp", "rupiah"),
    ("realised_rp", "rupiah"),
    ("needed_rp", "rupiah"),
    ("needs", "number"),
    ("collaborations", "number"),
    ("kms_households", "number"),
    ("coverage_percent", "percent"),
)


@dataclass
class EquityReport:
    period: Period
    rows: list[KelurahanEquity]  # lowest Rupiah per KMS household first, kelurahan without KMS last
    kms_households: int = 0
    needs: int = 0
    collaborations: int = 0
    needed_rp: int = 0
    committed_rp: int = 0
    realised_rp: int = 0
    gini: float | None = None
    left_behind: list[KelurahanEquity] = field(default_factory=list)
    no_data: list[KelurahanEquity] = field(default_factory=list)

    @property
    def per_kms_rp(self) -> int | None:
        """The city-wide figure: every Rupiah committed over every KMS household."""
        return round(self.committed_rp / self.kms_households) if self.kms_households else None

    @property
    def threshold_rp(self) -> int | None:
        """Below half of the city-wide figure a kelurahan is left behind."""
        return round(self.committed_rp / self.kms_households / 2) if self.kms_households else None


def _need_filter(end: datetime | None) -> list:
    found = [Need.status.in_(COUNTED_NEED_STATUSES)]
    if end is not None:
        found.append(Need.created_at < end)
    return found


def kelurahan_equity(session, period: Period = Period()) -> EquityReport:
    """Every kelurahan's figures as of the end of `period` (now for all time): three grouped queries."""
    _start, end = period.bounds()
    rows = {
        code: KelurahanEquity(code=code, name=name, kemantren=kemantren)
        for code, name, kemantren in session.execute(
            select(Kelurahan.code, Kelurahan.name, Kemantren.name)
            .join(Kemantren, Kemantren.code == Kelurahan.kemantren_code)
            .order_by(Kemantren.name, Kelurahan.name)
        )
    }
    need_rows = session.execute(
        select(Need.kelurahan_code, func.count(Need.id), func.coalesce(func.sum(Need.kms_households), 0),
               func.coalesce(func.sum(Need.cost_rp), 0))
        .where(*_need_filter(end)).group_by(Need.kelurahan_code)
    )
    for code, needs, kms, needed in need_rows:
        if code in rows:
            rows[code].needs, rows[code].kms_households, rows[code].needed_rp = int(needs), int(kms), int(needed)
    money = select(
        Need.kelurahan_code, func.coalesce(func.sum(COUNTED_RP), 0),
        func.coalesce(func.sum(Commitment.realised_rp), 0),
        func.coalesce(func.sum(case((COUNTED_RP > 0, 1), else_=0)), 0),
    ).select_from(Commitment).join(Need, Need.id == Commitment.need_id).where(*_need_filter(end))
    if end is not None:
        money = money.where(Commitment.created_at < end)
    for code, committed, realised, collaborations in session.execute(money.group_by(Need.kelurahan_code)):
        if code in rows:
            row = rows[code]
            row.committed_rp, row.realised_rp, row.collaborations = int(committed), int(realised), int(collaborations)
    return _report(period, list(rows.values()))


def _report(period: Period, rows: list[KelurahanEquity]) -> EquityReport:
    report = EquityReport(period=period, rows=rows)
    for name in ("kms_households", "needs", "collaborations", "needed_rp", "committed_rp", "realised_rp"):
        setattr(report, name, sum(getattr(row, name) for row in rows))
    for row in rows:
        if not row.kms_households:
            row.status = NO_DATA
        elif is_left_behind(row.committed_rp, row.kms_households, report.committed_rp, report.kms_households):
            row.status = LEFT_BEHIND
        else:
            row.status = OK
    with_kms = [row for row in rows if row.kms_households]
    report.gini = weighted_gini([row.committed_rp / row.kms_households for row in with_kms],
                                [row.kms_households for row in with_kms])
    # Lowest first (left behind on top); ties and kelurahan without KMS households by name.
    report.rows = sorted(with_kms, key=lambda r: (r.committed_rp / r.kms_households, r.name)) + \
        sorted((row for row in rows if not row.kms_households), key=lambda r: r.name)
    report.left_behind = [row for row in report.rows if row.status == LEFT_BEHIND]
    report.no_data = [row for row in report.rows if row.status == NO_DATA]
    return report


# --- the Gini coefficient over time ---------------------------------------------------------------

@dataclass(frozen=True)
class GiniPoint:
    period: Period
    gini: float | None
    kms_households: int
    committed_rp: int


def first_commitment_quarter(session) -> Period | None:
    """The quarter (in WIB) of the first commitment ever approved, or None."""
    first = session.scalar(select(func.min(Commitment.created_at)))
    if first is None:
        return None
    day = to_wib(first).date()
    return Period(day.year, (day.month - 1) // 3 + 1)


def gini_by_quarter(session, today=None) -> list[GiniPoint]:
    """The Gini coefficient as of the end of every quarter, from the first with a commitment to
    the current one (empty when nothing was ever committed). Two queries, one column per quarter:
    SUM(CASE WHEN created_at < end_of_quarter ...) grouped by kelurahan."""
    first = first_commitment_quarter(session)
    if first is None:
        return []
    quarters = first.quarters_until(today or today_wib())
    ends = [quarter.bounds()[1] for quarter in quarters]
    kms_columns = [func.coalesce(func.sum(case((Need.created_at < end, Need.kms_households), else_=0)), 0)
                   for end in ends]
    kms = {row[0]: [int(v) for v in row[1:]] for row in session.execute(
        select(Need.kelurahan_code, *kms_columns).where(*_need_filter(None)).group_by(Need.kelurahan_code))}
    money_columns = [
        func.coalesce(func.sum(case(((Need.created_at < end) & (Commitment.created_at < end), COUNTED_RP),
                                    else_=0)), 0)
        for end in ends
    ]
    money = {row[0]: [int(v) for v in row[1:]] for row in session.execute(
        select(Need.kelurahan_code, *money_columns).select_from(Commitment)
        .join(Need, Need.id == Commitment.need_id).where(*_need_filter(None)).group_by(Need.kelurahan_code))}
    points = []
    for index, quarter in enumerate(quarters):
        pairs = [(money.get(code, [0] * len(ends))[index], households[index])
                 for code, households in kms.items() if households[index]]
        points.append(GiniPoint(
            period=quarter,
            gini=weighted_gini([c / k for c, k in pairs], [k for _c, k in pairs]),
            kms_households=sum(k for _c, k in pairs),
            committed_rp=sum(c for c, _k in pairs),
        ))
    return points
