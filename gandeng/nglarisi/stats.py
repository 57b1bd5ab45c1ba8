"""The 60 % target and fairness, measured: order value per group and per office in a year, each office's
share of its food-and-drink budget (against 60 %), the city's, the Gini of order value across verified
groups, and verified groups without an order in 60 days."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from gandeng.nglarisi.models import PLACED, Group, GroupStatus, Office, OfficeBudget, Order
from gandeng.reports.equity import weighted_gini

TARGET_SHARE = 0.6
IDLE_DAYS = 60


@dataclass
class YearStats:
    year: int
    groups: list = field(default_factory=list)    # dicts: id, name, kelurahan, orders, value_rp
    offices: list = field(default_factory=list)   # dicts: id, name, orders, value_rp, budget_rp, share, meets
    gini: float | None = None
    total_rp: int = 0
    budget_rp: int = 0
    idle_groups: list = field(default_factory=list)  # names of verified groups with no order in IDLE_DAYS

    @property
    def city_share(self) -> float | None:
        return self.total_rp / self.budget_rp if self.budget_rp else None

    def as_dict(self) -> dict:
        return {"year": self.year, "target_share": TARGET_SHARE, "total_rp": self.total_rp,
                "budget_rp": self.budget_rp, "city_share": self.city_share, "gini": self.gini,
                "groups": self.groups, "offices": self.offices, "idle_groups": self.idle_groups}


def year_stats(session, year: int, today: date | None = None, start: date | None = None,
               end: date | None = None) -> YearStats:
    """Figures of one year (or of the part `start`..`end` (exclusive) of it, e.g. a month, against the
    year's budgets); an order counts with its value once a group accepted it (accepted, delivered, paid),
    by its delivery date."""
    today = today or date.today()
    start, end = start or date(year, 1, 1), end or date(year + 1, 1, 1)
    in_year = (Order.status.in_(PLACED), Order.deliver_on >= start, Order.deliver_on < end)
    by_group = {gid: (n, int(v or 0)) for gid, n, v in session.execute(
        select(Order.group_id, func.count(), func.sum(Order.value_rp)).where(*in_year).group_by(Order.group_id))}
    by_office = {oid: (n, int(v or 0)) for oid, n, v in session.execute(
        select(Order.office_id, func.count(), func.sum(Order.value_rp)).where(*in_year).group_by(Order.office_id))}
    budgets = dict(session.execute(select(OfficeBudget.office_id, OfficeBudget.food_budget_rp)
                                   .where(OfficeBudget.year == year)).all())
    last_order = dict(session.execute(select(Order.group_id, func.max(Order.deliver_on))
                                      .where(Order.status.in_(PLACED)).group_by(Order.group_id)).all())
    stats = YearStats(year=year)
    verified_values = []
    for group in session.scalars(select(Group).order_by(Group.name)):
        orders, value = by_group.get(group.id, (0, 0))
        if group.status == GroupStatus.VERIFIED:
            verified_values.append(value)
            last = last_order.get(group.id)
            if last is None or last < today - timedelta(days=IDLE_DAYS):
                stats.idle_groups.append(group.name)
        if orders or group.status == GroupStatus.VERIFIED:
            stats.groups.append({"id": group.id, "name": group.name, "kelurahan": group.kelurahan.name,
                                 "status": group.status, "orders": orders, "value_rp": value})
    for office in session.scalars(select(Office).order_by(Office.name)):
        orders, value = by_office.get(office.id, (0, 0))
        budget = budgets.get(office.id)
        share = value / budget if budget else None
        stats.offices.append({"id": office.id, "name": office.name, "orders": orders, "value_rp": value,
                              "budget_rp": budget, "share": share,
                              "meets_target": share is not None and share >= TARGET_SHARE})
        stats.total_rp += value
        stats.budget_rp += budget or 0
    stats.gini = weighted_gini(verified_values) if verified_values else None
    return stats


CSV_HEADER = ["kind", "name", "orders", "value_rp", "budget_rp", "share"]


def csv_rows(stats: YearStats) -> list[list]:
    rows = [["office", o["name"], o["orders"], o["value_rp"], o["budget_rp"] or "",
             f"{o['share']:.4f}" if o["share"] is not None else ""] for o in stats.offices]
    rows += [["group", g["name"], g["orders"], g["value_rp"], "", ""] for g in stats.groups]
    rows.append(["city", "Kota Yogyakarta", sum(o["orders"] for o in stats.offices), stats.total_rp,
                 stats.budget_rp or "", f"{stats.city_share:.4f}" if stats.city_share is not None else ""])
    rows.append(["gini", "verified groups", "", f"{stats.gini:.4f}" if stats.gini is not None else "", "", ""])
    return rows
