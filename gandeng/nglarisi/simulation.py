"""A synthetic city for the fairness simulation (tests and benchmarks/bench_nglarisi.py): groups spread
over the 45 kelurahan, offices ordering for two months; every order goes through `proposer.propose`, a
group declines now and then (the order moves on), and each placement is checked again independently."""
from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from gandeng.nglarisi import proposer

WILAYAH = Path(__file__).resolve().parents[1] / "reference" / "data" / "wilayah.csv"
DECLINE_RATE = 0.1


def kelurahan_points() -> dict[str, tuple[float, float]]:
    with WILAYAH.open(encoding="utf-8") as handle:
        return {row["kode_kelurahan"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


@dataclass
class Outcome:
    orders: int
    groups: int
    placed: int = 0
    unplaced: int = 0
    refused: int = 0
    declines: int = 0
    infeasible_placements: int = 0   # must stay 0: a placement the independent check rejects
    value_by_group: dict = field(default_factory=dict)

    @property
    def gini(self) -> float:
        from gandeng.reports.equity import weighted_gini

        return weighted_gini(list(self.value_by_group.values())) or 0.0


def _groups(rng: random.Random, count: int, codes: list[str], start: date) -> list[proposer.Candidate]:
    groups = []
    for i in range(count):
        days_off = frozenset(start + timedelta(days=rng.randrange(0, 62)) for _ in range(rng.randint(2, 8)))
        groups.append(proposer.Candidate(
            group_id=i + 1, name=f"Kelompok {i + 1}", kelurahan_code=codes[i % len(codes)], verified=True,
            capacity_per_day=rng.choice([40, 50, 60, 75, 80, 100, 120, 150]), used_portions=0,
            lead_time_hours=rng.choice([12, 24, 24, 48]), days_off=days_off,
            cheapest_rp=rng.choice([15_000, 18_000, 20_000, 22_000, 25_000, 30_000]),
            max_distance_km=rng.choice([6.0, 8.0, 10.0, 15.0])))
    return groups


def simulate(orders: int = 1000, groups: int = 190, seed: int = 18) -> Outcome:
    """Place `orders` orders over `groups` groups; returns the counts and the value per group."""
    rng = random.Random(seed)
    points = kelurahan_points()
    codes = sorted(points)
    start = date(2026, 1, 5)
    pool = _groups(rng, groups, codes, start)
    by_id = {g.group_id: g for g in pool}

    table = {(a, b): haversine_km(points[a], points[b]) for a in codes for b in codes}

    def distance(a: str, b: str) -> float:
        return table[(a, b)]

    requests = []
    for _ in range(orders):
        day = start + timedelta(days=rng.randrange(7, 62))
        deliver_at = datetime(day.year, day.month, day.day, rng.choice([1, 3, 5, 6]))  # 08-13 WIB in UTC
        portions = rng.choice([10, 15, 20, 25, 30, 40, 50, 60, 80, 100])
        requests.append(proposer.Request(
            deliver_on=day, deliver_at=deliver_at, now=deliver_at - timedelta(hours=rng.randint(50, 24 * 7)),
            kelurahan_code=rng.choice(codes), portions=portions,
            budget_rp=portions * rng.choice([25_000, 30_000, 35_000, 40_000])))
    requests.sort(key=lambda r: r.now)
    used: dict[tuple[int, date], int] = {}
    month_value: dict[tuple[int, tuple[int, int]], int] = {}
    outcome = Outcome(orders=orders, groups=groups, value_by_group={g.group_id: 0 for g in pool})
    for request in requests:
        month = (request.deliver_on.year, request.deliver_on.month)
        view = [proposer.Candidate(g.group_id, g.name, g.kelurahan_code, True, g.capacity_per_day,
                                   used.get((g.group_id, request.deliver_on), 0), g.lead_time_hours, g.days_off,
                                   g.cheapest_rp, month_value.get((g.group_id, month), 0), g.max_distance_km,
                                   outcome.value_by_group[g.group_id] == 0) for g in pool]
        tried: list[int] = []
        while True:
            proposal = proposer.propose(request, view, distance, skip=tried)
            if proposal.refusal in ("too_many_portions", "budget_below_menu"):
                outcome.refused += 1
                break
            if proposal.best is None:
                outcome.unplaced += 1
                break
            best = proposal.best
            if rng.random() < DECLINE_RATE:
                outcome.declines += 1
                tried.append(best.group_id)
                continue
            group = by_id[best.group_id]
            left = group.capacity_per_day - used.get((group.group_id, request.deliver_on), 0)
            able = (left >= request.portions and request.deliver_on not in group.days_off
                    and group.cheapest_rp * request.portions <= request.budget_rp
                    and request.deliver_at - request.now >= timedelta(hours=group.lead_time_hours)
                    and distance(request.kelurahan_code, group.kelurahan_code) <= group.max_distance_km)
            outcome.infeasible_placements += 0 if able else 1
            used[(group.group_id, request.deliver_on)] = used.get((group.group_id, request.deliver_on), 0) \
                + request.portions
            month_value[(group.group_id, month)] = month_value.get((group.group_id, month), 0) + best.value_rp
            outcome.value_by_group[group.group_id] += best.value_rp
            outcome.placed += 1
            break
    return outcome
