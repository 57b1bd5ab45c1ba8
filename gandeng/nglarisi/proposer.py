"""Which group an order goes to, and why: a pure function of plain values (no database, no Flask).

A group is a *candidate* when it can make the order: verified, not on a day off, enough capacity left on
the delivery day, the order placed at least its lead time ahead, its cheapest menu x portions within
the budget, and the delivery place within its delivery distance. Candidates are ranked by **rotation
fairness**: a group's *load* is its order value this month divided by its fair share, and the share
grows with the square root of the daily capacity (a bigger kitchen gets more, but less than
proportionally, so that income spreads across groups: the 2024 study found it did not). A new group
(verified within NEW_GROUP_DAYS, or without any order yet) counts with at most the lowest load of the
other candidates: it is at the front of the rotation from its first day, and leaves that place as soon
as its own orders lift it (its capacity still caps what it gets). Distance breaks near-ties.

Orders bigger than any single group's daily capacity are refused with a clear message (see `propose`).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from gandeng.nglarisi import hours

NEW_GROUP_DAYS = 30
# Score = load relative to the candidates' mean + DISTANCE_WEIGHT x km / DISTANCE_SCALE_KM: 5 km costs
# as much as being 10 % above the mean load. Kota Yogyakarta is about 6 km across.
DISTANCE_WEIGHT = 0.1
DISTANCE_SCALE_KM = 5.0
SHOWN_ALTERNATIVES = 4


@dataclass(frozen=True)
class Candidate:
    """A group as the proposer sees it on one order's delivery day."""

    group_id: int
    name: str
    kelurahan_code: str
    verified: bool
    capacity_per_day: int
    used_portions: int              # already held that day (offered or accepted orders)
    lead_time_hours: int
    days_off: frozenset = frozenset()
    cheapest_rp: int | None = None  # cheapest active menu item per portion
    month_value_rp: int = 0         # placed order value in the delivery month
    max_distance_km: float = 10.0
    new: bool = False               # verified within NEW_GROUP_DAYS or no order yet


@dataclass(frozen=True)
class Request:
    """What the office asks for (times naive UTC)."""

    deliver_on: date
    deliver_at: datetime
    now: datetime
    kelurahan_code: str
    portions: int
    budget_rp: int
    # The group's answer window (ORDER_ACCEPT_MINUTES counted in waking hours, gandeng.nglarisi.hours):
    # when given, a group left with too little time to answer before its lead time starts is left out.
    answer_minutes: int | None = None
    answer_hours: tuple | None = None


@dataclass
class Ranked:
    group_id: int
    name: str
    price_per_portion_rp: int
    value_rp: int
    distance_km: float
    load: float
    score: float
    reasons: list = field(default_factory=list)  # (code, params) pairs


@dataclass
class Excluded:
    group_id: int
    name: str
    reason: str
    params: dict = field(default_factory=dict)


@dataclass
class Proposal:
    """Ranked candidates (best first), the groups left out with their reason, or a refusal of the
    whole order (`refusal` code with `refusal_params`) when no group could ever take it."""

    ranked: list[Ranked] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    refusal: str | None = None
    refusal_params: dict = field(default_factory=dict)

    @property
    def best(self) -> Ranked | None:
        return self.ranked[0] if self.ranked else None


def fair_share(capacity_per_day: int) -> float:
    """The weight a group's order value is divided by: the square root of its daily capacity."""
    return math.sqrt(max(capacity_per_day, 1))


def load_of(candidate: Candidate) -> float:
    return candidate.month_value_rp / fair_share(candidate.capacity_per_day)


def _why_not(request: Request, c: Candidate, distance: float) -> tuple[str, dict] | None:
    if not c.verified:
        return "not_verified", {}
    if c.cheapest_rp is None:
        return "no_menu", {}
    if request.deliver_on in c.days_off:
        return "day_off", {}
    left = c.capacity_per_day - c.used_portions
    if left < request.portions:
        return "capacity", {"left": max(left, 0)}
    if request.deliver_at - request.now < timedelta(hours=c.lead_time_hours):
        return "lead_time", {"hours": c.lead_time_hours}
    if request.answer_minutes is not None and not hours.enough_time_to_answer(
            request.now, request.answer_minutes, request.deliver_at, c.lead_time_hours, request.answer_hours):
        return "answer_time", {"hours": c.lead_time_hours}
    if c.cheapest_rp * request.portions > request.budget_rp:
        return "budget", {"price": c.cheapest_rp, "total": c.cheapest_rp * request.portions}
    if distance > c.max_distance_km:
        return "distance_far", {"km": round(distance, 1), "max_km": c.max_distance_km}
    return None


def propose(request: Request, candidates: Iterable[Candidate],
            distance_km: Callable[[str, str], float], skip: Iterable[int] = ()) -> Proposal:
    """Rank the groups able to make `request` (groups in `skip`, already tried, are left out).

    Refusals of the whole order, before any ranking: `too_many_portions` when no verified group has
    that many portions of capacity in a day (max_capacity given) and `budget_below_menu` when the
    budget does not reach the cheapest menu of any verified group (cheapest, total given). We refuse
    rather than split: one order, one group answerable for it and one payment; the office can place
    two smaller orders, which the rotation then gives to two groups.
    """
    pool = list(candidates)
    skipped = set(skip)
    verified = [c for c in pool if c.verified and c.cheapest_rp is not None]
    if verified:
        biggest = max(c.capacity_per_day for c in verified)
        if request.portions > biggest:
            return Proposal(refusal="too_many_portions", refusal_params={"max_capacity": biggest})
        cheapest = min(c.cheapest_rp for c in verified)
        if cheapest * request.portions > request.budget_rp:
            return Proposal(refusal="budget_below_menu",
                            refusal_params={"cheapest": cheapest, "total": cheapest * request.portions})
    able, excluded = [], []
    for c in pool:
        if c.group_id in skipped:
            excluded.append(Excluded(c.group_id, c.name, "already_tried"))
            continue
        distance = distance_km(request.kelurahan_code, c.kelurahan_code)
        why = _why_not(request, c, distance)
        if why is None:
            able.append((c, distance))
        else:
            excluded.append(Excluded(c.group_id, c.name, why[0], why[1]))
    if not able:
        reasons = {e.reason for e in excluded if e.reason not in ("already_tried", "not_verified", "no_menu")}
        refusal = "no_group" if not verified else (
            "answer_time" if "answer_time" in reasons and reasons <= {"answer_time", "lead_time"} else "none_able")
        return Proposal(excluded=excluded, refusal=refusal)
    loads = {c.group_id: load_of(c) for c, _ in able}
    settled = [loads[c.group_id] for c, _ in able if not c.new]
    lowest = min(settled) if settled else 0.0
    effective = {c.group_id: min(loads[c.group_id], lowest) if c.new else loads[c.group_id] for c, _ in able}
    mean = sum(effective.values()) / len(effective)
    ranked = []
    for c, distance in able:
        relative = effective[c.group_id] / mean if mean > 0 else 0.0
        score = relative + DISTANCE_WEIGHT * distance / DISTANCE_SCALE_KM
        ranked.append(Ranked(c.group_id, c.name, c.cheapest_rp, c.cheapest_rp * request.portions,
                             round(distance, 1), effective[c.group_id], score))
    ranked.sort(key=lambda r: (r.score, r.distance_km, r.group_id))
    by_id = {c.group_id: c for c, _ in able}
    for position, r in enumerate(ranked, start=1):
        c = by_id[r.group_id]
        r.reasons = [
            ("capacity_left", {"left": c.capacity_per_day - c.used_portions, "portions": request.portions}),
            ("price_fits", {"price": r.price_per_portion_rp, "total": r.value_rp, "budget": request.budget_rp}),
            ("distance", {"km": r.distance_km}),
            ("rotation", {"month_value": c.month_value_rp, "position": position, "of": len(ranked)}),
        ]
        if c.new:
            r.reasons.append(("new_group", {}))
    return Proposal(ranked=ranked, excluded=excluded)

