"""The city's monthly report (pure reads): what happened in one month, by kemantren and by partner.

A month runs from 00.00 WIB on its first day to 00.00 WIB on the next month's first day. Rules:
- needs submitted / verified: needs whose `submitted_at` / `verified_at` falls in the month (a need
  returned and submitted again counts in the month of its last submission), Rp = their cost;
- collaborations approved: created in the month, Rp = the amount approved (a later decline does not
  rewrite the month's approvals);
- collaborations completed: `completed_at` (the coordinator's confirmation) in the month;
- Rp realised in the month: for each collaboration, the realised total of its latest progress report
  before the month's end minus that of its latest report before the month's start (0 when there is
  none), summed. Each report carries the cumulative figure, so this is exactly what was reported as
  newly realised during the month; a correction downwards makes it smaller (even negative);
- needs still waiting for a partner: verified needs with no collaboration that counts money
  (a running committed total of 0), Rp = their cost; this is the state when the report is made,
  not at the month's end (the past of a need's status is not stored)."""
import re
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from gandeng.accounts.models import Organisation
from gandeng.collaborations.models import Commitment, ProgressReport
from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import Offer
from gandeng.reference.models import Kelurahan, Kemantren
from gandeng.reports.periods import FIRST_YEAR, utc_midnight

TOP_PARTNERS = 10
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class MonthError(ValueError):
    """A month argument that is not a month the report can cover; the message is for the user."""


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def bounds(self):
        """[start, end) in naive UTC."""
        return utc_midnight(self.first_day()), utc_midnight(self.next().first_day())

    @property
    def arg(self) -> str:
        """2026-11, as the query string and <input type="month"> write it."""
        return f"{self.year:04d}-{self.month:02d}"

    def label(self, locale: str = "id") -> str:
        """November 2026 (month name in the locale)."""
        return format_date(self.first_day(), "MMMM y", locale=locale)


def default_month(today: date) -> Month:
    """The last complete month: a monthly report is made once its month is over."""
    return Month(today.year, today.month).previous()


def parse_month(text, today: date) -> Month:
    """'2026-11' -> Month(2026, 11); MonthError with an Indonesian message for anything else, for a
    month before the programme (2018) or for a month that has not started yet."""
    found = _MONTH.match(str(text or ""))
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise MonthError(_("Bulan tidak dikenali. Tulis bulan sebagai TTTT-BB, misalnya 2026-11."))
    month = Month(int(found.group(1)), int(found.group(2)))
    if month.year < FIRST_YEAR:
        raise MonthError(_("Laporan bulanan tersedia mulai Januari %(year)d.", year=FIRST_YEAR))
    if (month.year, month.month) > (today.year, today.month):
        raise MonthError(_("Bulan itu belum berjalan."))
    return month


@dataclass
class Figures:
    """One row of figures (the city, one kemantren)."""

    needs_submitted: int = 0
    needs_submitted_rp: int = 0
    needs_verified: int = 0
    needs_verified_rp: int = 0
    approved: int = 0
    approved_rp: int = 0
    completed: int = 0
    completed_rp: int = 0
    realised_rp: int = 0
    waiting: int = 0
    waiting_rp: int = 0

    def add(self, other: "Figures") -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass
class KemantrenFigures:
    code: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class PartnerFigures:
    organisation_id: int
    name: str
    type: str
    approved: int
    approved_rp: int
    realised_rp: int


@dataclass
class MonthlyReport:
    month: Month
    city: Figures
    by_kemantren: list[KemantrenFigures]
    top_partners: list[PartnerFigures] = field(default_factory=list)


def _between(column, month: Month):
    start, end = month.bounds()
    return and_(column >= start, column < end)


def _needs_by_kemantren(session, condition) -> dict[str, tuple[int, int]]:
    rows = session.execute(
        select(Kelurahan.kemantren_code, func.count(Need.id), func.coalesce(func.sum(Need.cost_rp), 0))
        .select_from(Need).join(Kelurahan, Kelurahan.code == Need.kelurahan_code)
        .where(condition).group_by(Kelurahan.kemantren_code)
    )
    return {code: (int(n), int(rp)) for code, n, rp in rows}


def _collaborations_by(session, condition, money) -> dict[tuple[str, int], tuple[int, int]]:
    """(kemantren code, organisation id) -> (number, Rp) of the collaborations matching `condition`."""
    rows = session.execute(
        select(Kelurahan.kemantren_code, Offer.organisation_id, func.count(Commitment.id),
               func.coalesce(func.sum(money), 0))
        .select_from(Commitment)
        .join(Need, Need.id == Commitment.need_id).join(Kelurahan, Kelurahan.code == Need.kelurahan_code)
        .join(Offer, Offer.id == Commitment.offer_id)
        .where(condition).group_by(Kelurahan.kemantren_code, Offer.organisation_id)
    )
    return {(code, org): (int(n), int(rp)) for code, org, n, rp in rows}


def _realised_as_of(session, moment) -> dict[tuple[str, int], int]:
    """(kemantren code, organisation id) -> Rp realised according to each collaboration's latest
    progress report before `moment` (naive UTC)."""
    latest = (
        select(ProgressReport.commitment_id, ProgressReport.realised_rp,
               func.row_number().over(partition_by=ProgressReport.commitment_id,
                                      order_by=(ProgressReport.created_at.desc(), ProgressReport.id.desc()))
               .label("recency"))
        .where(ProgressReport.created_at < moment)
        .subquery()
    )
    rows = session.execute(
        select(Kelurahan.kemantren_code, Offer.organisation_id, func.coalesce(func.sum(latest.c.realised_rp), 0))
        .select_from(latest)
        .join(Commitment, Commitment.id == latest.c.commitment_id)
        .join(Need, Need.id == Commitment.need_id).join(Kelurahan, Kelurahan.code == Need.kelurahan_code)
        .join(Offer, Offer.id == Commitment.offer_id)
        .where(latest.c.recency == 1).group_by(Kelurahan.kemantren_code, Offer.organisation_id)
    )
    return {(code, org): int(rp) for code, org, rp in rows}


def realised_in_month(session, month: Month) -> dict[tuple[str, int], int]:
    """(kemantren code, organisation id) -> Rp newly realised in the month (see the module's rule)."""
    start, end = month.bounds()
    before, after = _realised_as_of(session, start), _realised_as_of(session, end)
    return {key: after.get(key, 0) - before.get(key, 0) for key in set(before) | set(after)}


def waiting_needs_condition():
    """Verified needs that no collaboration counts money for yet (their running total is 0)."""
    return and_(Need.status == NeedStatus.VERIFIED, Need.committed_rp == 0)


def monthly_report(session, month: Month) -> MonthlyReport:
    """The month's figures for the city, per kemantren (all 14, in name order) and the top partners
    (by Rp approved, then Rp realised in the month), in nine grouped queries."""
    submitted = _needs_by_kemantren(session, _between(Need.submitted_at, month))
    verified = _needs_by_kemantren(session, _between(Need.verified_at, month))
    waiting = _needs_by_kemantren(session, waiting_needs_condition())
    approved = _collaborations_by(session, _between(Commitment.created_at, month), Commitment.amount_rp)
    completed = _collaborations_by(session, _between(Commitment.completed_at, month), Commitment.amount_rp)
    realised = realised_in_month(session, month)

    approved_here, completed_here = _fold(approved), _fold(completed)
    realised_here: dict[str, int] = {}
    for (code, _org), rp in realised.items():
        realised_here[code] = realised_here.get(code, 0) + rp
    rows = []
    city = Figures()
    for code, name in session.execute(select(Kemantren.code, Kemantren.name).order_by(Kemantren.name)):
        figures = Figures(
            *submitted.get(code, (0, 0)), *verified.get(code, (0, 0)), *approved_here.get(code, (0, 0)),
            *completed_here.get(code, (0, 0)), realised_here.get(code, 0), *waiting.get(code, (0, 0)),
        )
        rows.append(KemantrenFigures(code, name, figures))
        city.add(figures)
    return MonthlyReport(month=month, city=city, by_kemantren=rows,
                         top_partners=_top_partners(session, approved, realised))


def _fold(found: dict) -> dict[str, tuple[int, int]]:
    """(kemantren, organisation) -> (n, Rp) folded into kemantren -> (n, Rp)."""
    folded: dict[str, tuple[int, int]] = {}
    for (code, _org), (n, rp) in found.items():
        before = folded.get(code, (0, 0))
        folded[code] = (before[0] + n, before[1] + rp)
    return folded


def _top_partners(session, approved: dict, realised: dict) -> list[PartnerFigures]:
    by_org: dict[int, list[int]] = {}
    for (_code, org), (n, rp) in approved.items():
        entry = by_org.setdefault(org, [0, 0, 0])
        entry[0] += n
        entry[1] += rp
    for (_code, org), rp in realised.items():
        by_org.setdefault(org, [0, 0, 0])[2] += rp
    active = {org: v for org, v in by_org.items() if v[0] or v[2]}
    if not active:
        return []
    names = {i: (name, str(kind)) for i, name, kind in session.execute(
        select(Organisation.id, Organisation.name, Organisation.type).where(Organisation.id.in_(list(active))))}
    ranked = sorted(active.items(), key=lambda item: (-item[1][1], -item[1][2], names[item[0]][0]))
    return [PartnerFigures(org, names[org][0], names[org][1], n, rp, done)
            for org, (n, rp, done) in ranked[:TOP_PARTNERS]]
