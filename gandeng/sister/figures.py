"""Figures of a published sister year (issue 17, point 5): per kemantren, per partner and for the city —
kampung paired, distances, load against capacity, theme fit, reports on time, households reached,
students and employees involved, and the Rupiah and in-kind value of the collaborations between each
kampung and its sister partners (each collaboration counted once). Aggregates only: no names of people,
no household or KMS counts. Used by the staff dashboard, the open data and the PDFs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload

from gandeng.accounts.models import Kampung, Organisation
from gandeng.reference.models import Kelurahan
from gandeng.sister import work
from gandeng.sister.models import PartnerSisterProfile, RoundStatus, SisterPair, SisterReport, SisterRound


@dataclass
class Tally:
    """Counts that add up over pairs (a kemantren, a partner, the city)."""

    kampung: int = 0
    complete: int = 0
    theme_fit: int = 0           # pairs sharing at least one theme with one of their partners
    km: list = field(default_factory=list)
    reports_due: int = 0         # quarters due so far
    reports_on_time: int = 0
    reports_late: int = 0
    households_reached: int = 0
    participants: int = 0
    students: int = 0
    employees: int = 0
    money_rp: int = 0            # collaborations in money (offer kind 'dana')
    in_kind_rp: int = 0          # collaborations in goods, services, training or purchases (valued in Rp)

    @property
    def reports_missing(self) -> int:
        return max(0, self.reports_due - self.reports_on_time - self.reports_late)

    @property
    def on_time_percent(self) -> float | None:
        return 100 * self.reports_on_time / self.reports_due if self.reports_due else None

    @property
    def theme_fit_percent(self) -> float | None:
        return 100 * self.theme_fit / self.kampung if self.kampung else None

    @property
    def mean_km(self) -> float | None:
        return sum(self.km) / len(self.km) if self.km else None

    @property
    def worst_km(self) -> float | None:
        return max(self.km) if self.km else None


@dataclass
class PartnerTally(Tally):
    organisation_id: int = 0
    name: str = ""
    kind: str = ""
    capacity: int = 0


@dataclass
class PairFigures:
    pair: SisterPair
    reports_due: int
    reports_on_time: int
    reports_late: int
    households_reached: int
    students: int
    employees: int
    participants: int
    money_rp: int
    in_kind_rp: int


@dataclass
class YearFigures:
    year: int
    city: Tally
    by_kemantren: list[tuple[str, str, Tally]]  # (code, name, tally)
    by_partner: list[PartnerTally]
    pairs: list[PairFigures]


def _collaboration_values(session, sister_round: SisterRound, pairs) -> dict[int, tuple[int, int]]:
    """Pair id -> (money Rp, in-kind Rp) of the year's collaborations between its kampung's needs and its
    campus's or company's offers (declined and cancelled ones count only what was realised)."""
    from gandeng.collaborations.models import Commitment, CommitmentStatus
    from gandeng.needs.models import Need
    from gandeng.offers.models import Offer, OfferKind

    by_key = {}
    for pair in pairs:
        for partner_id in (pair.campus_id, pair.company_id):
            if partner_id:
                by_key[(pair.kampung_id, partner_id)] = pair.id
    values: dict[int, list[int]] = {}
    if not by_key:
        return {}
    rows = session.execute(
        select(Need.kampung_id, Offer.organisation_id, Offer.kind, Commitment.status, Commitment.amount_rp,
               Commitment.realised_rp)
        .join(Need, Need.id == Commitment.need_id).join(Offer, Offer.id == Commitment.offer_id)
        .where(Need.kampung_id.in_({k for k, _o in by_key}), Offer.organisation_id.in_({o for _k, o in by_key}),
               extract("year", Commitment.created_at) == sister_round.year))
    for kampung_id, organisation_id, kind, status, amount, realised in rows:
        pair_id = by_key.get((kampung_id, organisation_id))
        if pair_id is None:
            continue
        value = realised if status in (CommitmentStatus.DECLINED, CommitmentStatus.CANCELLED) else amount
        slot = values.setdefault(pair_id, [0, 0])
        slot[0 if kind == OfferKind.DANA else 1] += int(value or 0)
    return {pair_id: (money, in_kind) for pair_id, (money, in_kind) in values.items()}


def _add(tally: Tally, figures: PairFigures, km: list[float], fit: bool) -> None:
    pair = figures.pair
    tally.kampung += 1
    tally.complete += 1 if pair.is_complete else 0
    tally.theme_fit += 1 if fit else 0
    tally.km.extend(km)
    for name in ("reports_due", "reports_on_time", "reports_late", "households_reached", "participants",
                 "students", "employees", "money_rp", "in_kind_rp"):
        setattr(tally, name, getattr(tally, name) + getattr(figures, name))


def year_figures(session, year: int, today: date) -> YearFigures | None:
    """The figures of a published year (None when the year is not published)."""
    sister_round = session.scalar(select(SisterRound).where(SisterRound.year == year))
    if sister_round is None or sister_round.status != RoundStatus.PUBLISHED:
        return None
    pairs = session.scalars(
        select(SisterPair).where(SisterPair.round_id == sister_round.id).order_by(SisterPair.id)
        .options(selectinload(SisterPair.kampung).selectinload(Kampung.kelurahan).selectinload(Kelurahan.kemantren),
                 selectinload(SisterPair.campus), selectinload(SisterPair.company))).all()
    reports: dict[int, list[SisterReport]] = {}
    for report in session.scalars(select(SisterReport).join(SisterPair, SisterPair.id == SisterReport.pair_id)
                                  .where(SisterPair.round_id == sister_round.id)):
        reports.setdefault(report.pair_id, []).append(report)
    values = _collaboration_values(session, sister_round, pairs)
    capacity = dict(session.execute(select(PartnerSisterProfile.organisation_id, PartnerSisterProfile.capacity)).all())
    city = Tally()
    kemantren: dict[str, tuple[str, Tally]] = {}
    partners: dict[int, PartnerTally] = {}
    pair_rows = []
    for pair in pairs:
        due = set(work.quarters_due(pair, today))
        own = reports.get(pair.id, [])
        money, in_kind = values.get(pair.id, (0, 0))
        figures = PairFigures(
            pair=pair, reports_due=len(due),
            reports_on_time=sum(1 for r in own if r.on_time and r.quarter in due),
            reports_late=sum(1 for r in own if not r.on_time and r.quarter in due),
            households_reached=sum(r.households_reached for r in own), students=sum(r.students for r in own),
            employees=sum(r.employees for r in own), participants=sum(r.participants for r in own),
            money_rp=money, in_kind_rp=in_kind)
        pair_rows.append(figures)
        km = [k for k in (pair.campus_km, pair.company_km) if k is not None]
        fit = bool(pair.campus_themes or pair.company_themes)
        _add(city, figures, km, fit)
        unit = pair.kampung.kelurahan.kemantren
        _add(kemantren.setdefault(unit.code, (unit.name, Tally()))[1], figures, km, fit)
        for side, organisation in (("campus", pair.campus), ("company", pair.company)):
            if organisation is None:
                continue
            tally = partners.setdefault(organisation.id, PartnerTally(
                organisation_id=organisation.id, name=organisation.name, kind=organisation.type,
                capacity=capacity.get(organisation.id, 0)))
            _add(tally, figures, [getattr(pair, f"{side}_km")], bool(getattr(pair, f"{side}_themes")))
    return YearFigures(
        year=year, city=city,
        by_kemantren=sorted(((code, name, tally) for code, (name, tally) in kemantren.items()),
                            key=lambda row: row[0]),
        by_partner=sorted(partners.values(), key=lambda t: (t.kind, t.name)),
        pairs=pair_rows)


def partner_figures(figures: YearFigures, organisation: Organisation) -> tuple[PartnerTally | None,
                                                                                list[PairFigures]]:
    """One partner's tally and its pairs."""
    tally = next((t for t in figures.by_partner if t.organisation_id == organisation.id), None)
    pairs = [p for p in figures.pairs if organisation.id in (p.pair.campus_id, p.pair.company_id)]
    return tally, pairs


def latest_published_year(session) -> int | None:
    return session.scalar(select(SisterRound.year).where(SisterRound.status == RoundStatus.PUBLISHED)
                          .order_by(SisterRound.year.desc()).limit(1))


# --- open data: one row per kemantren, no personal data ------------------------------------------

OPEN_DATA_HEADER = ["year", "kemantren_code", "kemantren", "kampung_paired", "kampung_complete",
                    "mean_km", "worst_km", "theme_fit_percent", "reports_due", "reports_on_time",
                    "reports_late", "reports_missing", "households_reached", "students", "employees",
                    "money_rp", "in_kind_rp"]


def _km(value) -> str:
    return "" if value is None else f"{value:.1f}"


def open_data_rows(figures: YearFigures) -> list[list]:
    rows = []
    for code, name, t in figures.by_kemantren:
        rows.append([figures.year, code, name, t.kampung, t.complete, _km(t.mean_km), _km(t.worst_km),
                     _km(t.theme_fit_percent), t.reports_due, t.reports_on_time, t.reports_late,
                     t.reports_missing, t.households_reached, t.students, t.employees, t.money_rp, t.in_kind_rp])
    return rows
