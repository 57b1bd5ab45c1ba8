"""The sister pairing as two min-cost flows (campuses, then companies): pure Python and numpy, no Flask.

Each verified kampung needs one partner of each kind. For one kind the network is

    source --(load bands of partner j)--> partner j --(1, cost c_ij)--> kampung i (demand 1)
    source --(1, UNPAIRED)--> kampung i                     (the kampung stays without a partner)

c_ij = distance in units of 10 m between the kampung's and the partner's kelurahan points (each km
       beyond `far_km` counted twice, so far pairs are avoided first: fairness across kemantren)
       - THEME bonus per shared theme (at most `max_shared_themes`) - CONTINUITY bonus when j was the
       kampung's partner in last year's published pairing.
The load bands make filling a partner convex: the kampung in the first quarter of its capacity cost
nothing extra, each kampung in later quarters costs more (`load_steps`), so work spreads out when
distances are close. UNPAIRED exceeds every other path cost, so as many kampung as capacity allows are
paired; which ones stay unpaired is then the cheapest choice for the rest. Costs are integers and nodes
are added in sorted order, so the answer is the same on every run; networkx (network simplex) is the
reference, OR-Tools the fast solver at size, and both reach the same optimal cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


KINDS = ("kampus", "korporat")
# Up to this many kampung x partner arcs networkx (pure Python) answers within a second; above, OR-Tools
# (169 kampung x 70 companies: networkx 1.6 s, OR-Tools 0.1 s; see benchmarks/README-sister.md).
NETWORKX_MAX_ARCS = 5_000

# Why a kampung is left without a partner of one kind, or a partner is left out.
SHORT_CAPACITY = "short_capacity"   # all partners of that kind are full
NO_PARTNER = "no_partner"           # no partner of that kind with capacity and a home base
NO_HOME_BASE = "no_home_base"
NO_CAPACITY = "no_capacity"


@dataclass(frozen=True)
class SisterKampung:
    id: int
    kelurahan_code: str
    themes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SisterPartner:
    id: int
    kind: str  # "kampus" or "korporat"
    kelurahan_code: str | None
    capacity: int
    themes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weights:
    """Cost units: 1 unit = 10 m of distance."""

    per_km: int = 100
    theme_bonus: int = 100          # one shared theme is worth 1 km
    max_shared_themes: int = 3
    continuity_bonus: int = 300     # keeping last year's partner is worth 3 km
    far_km: float = 3.0             # beyond this distance each km counts twice: no kampung (and so no
    far_per_km: int = 100           # kemantren) is left with a far partner to spare others a short walk
    load_steps: tuple[int, ...] = (0, 0, 50, 150)  # per kampung in each quarter of a partner's capacity

    @classmethod
    def distance_only(cls) -> Weights:
        """Only distance counts: the yardstick the benchmark compares the real pairing against."""
        return cls(theme_bonus=0, continuity_bonus=0, load_steps=(0,), far_per_km=0)


@dataclass(frozen=True)
class Assignment:
    partner_id: int
    km: float
    shared_themes: tuple[str, ...]
    continued: bool
    locked: bool


@dataclass
class SideResult:
    """The pairing of one kind: the partner of each paired kampung, the reason for each unpaired one."""

    kind: str
    assignments: dict[int, Assignment] = field(default_factory=dict)
    unpaired: dict[int, str] = field(default_factory=dict)
    load: dict[int, int] = field(default_factory=dict)       # partner id -> kampung given
    capacity: dict[int, int] = field(default_factory=dict)   # partner id -> capacity used in the run
    cost: int = 0
    solver: str = ""


@dataclass
class PairingResult:
    sides: dict[str, SideResult]
    skipped_partners: dict[int, str]  # partner id -> NO_HOME_BASE / NO_CAPACITY


class LockError(ValueError):
    """A locked pair cannot be kept: the partner is not in the run, or is locked beyond its capacity."""

    def __init__(self, kampung_id: int, partner_id: int, problem: str):
        super().__init__(f"kampung {kampung_id} locked to partner {partner_id}: {problem}")
        self.kampung_id, self.partner_id, self.problem = kampung_id, partner_id, problem


def pair(kampung: Iterable[SisterKampung], partners: Iterable[SisterPartner], distance_km,
         previous: Mapping[int, Iterable[int]] | None = None, locks: Mapping[int, Iterable[int]] | None = None,
         weights: Weights = Weights(), solver: str = "auto") -> PairingResult:
    """Pair every kampung with one partner of each kind.

    distance_km(code_a, code_b) -> km between two kelurahan points. previous: kampung id -> partner ids of
    last year's published pairing. locks: kampung id -> partner ids staff fixed (kept as they are).
    solver: "networkx", "ortools" or "auto". Raises LockError for a lock that cannot be kept.
    """
    kampung = sorted(kampung, key=lambda k: k.id)
    previous = {k: set(v) for k, v in (previous or {}).items()}
    locks = {k: set(v) for k, v in (locks or {}).items()}
    usable, skipped = [], {}
    for partner in sorted(partners, key=lambda p: p.id):
        if partner.kind not in KINDS:
            continue
        if partner.kelurahan_code is None:
            skipped[partner.id] = NO_HOME_BASE
        elif partner.capacity <= 0:
            skipped[partner.id] = NO_CAPACITY
        else:
            usable.append(partner)
    by_id = {p.id: p for p in usable}
    known = {k.id for k in kampung}
    for kampung_id, partner_ids in sorted(locks.items()):
        for partner_id in sorted(partner_ids):
            if kampung_id in known and partner_id not in by_id:
                raise LockError(kampung_id, partner_id, "partner not in the run")
    sides = {}
    for kind in KINDS:
        side_partners = [p for p in usable if p.kind == kind]
        side_locks = {}
        for kampung_id, partner_ids in sorted(locks.items()):
            for partner_id in sorted(partner_ids):
                if kampung_id in known and by_id[partner_id].kind == kind:
                    if kampung_id in side_locks:
                        raise LockError(kampung_id, partner_id, "two partners of one kind")
                    side_locks[kampung_id] = partner_id
        sides[kind] = _pair_side(kind, kampung, side_partners, distance_km, previous, side_locks, weights,
                                 solver)
    return PairingResult(sides, skipped)


def _bits(themes, vocabulary) -> int:
    return sum(1 << vocabulary[t] for t in themes)


def _distances(kampung, partners, distance_km) -> np.ndarray:
    """km between every kampung and partner, asking `distance_km` once per pair of kelurahan."""
    import numpy as np  # lazy: starting the app must not load the numerical stack
    k_codes = sorted({k.kelurahan_code for k in kampung})
    p_codes = sorted({p.kelurahan_code for p in partners})
    table = np.array([[distance_km(a, b) for b in p_codes] for a in k_codes], dtype=float)
    table = table.reshape(len(k_codes), len(p_codes))
    k_index = {c: i for i, c in enumerate(k_codes)}
    p_index = {c: j for j, c in enumerate(p_codes)}
    rows = np.array([k_index[k.kelurahan_code] for k in kampung], dtype=np.int64)
    cols = np.array([p_index[p.kelurahan_code] for p in partners], dtype=np.int64)
    return table[np.ix_(rows, cols)] if rows.size and cols.size else np.zeros((len(kampung), len(partners)))


def _band_costs(capacity: int, taken: int, steps: tuple[int, ...], upto: int | None = None
                ) -> list[tuple[int, int]]:
    """(units, cost per unit) for the places taken+1..upto (default: capacity), grouped by step."""
    bands: dict[int, int] = {}
    for place in range(taken + 1, (capacity if upto is None else upto) + 1):
        step = min(len(steps) - 1, (len(steps) * (place - 1)) // capacity)
        bands[step] = bands.get(step, 0) + 1
    return [(units, steps[step]) for step, units in sorted(bands.items())]


def _pair_side(kind, kampung, partners, distance_km, previous, locks, weights, solver) -> SideResult:
    import numpy as np  # lazy: starting the app must not load the numerical stack
    result = SideResult(kind, capacity={p.id: p.capacity for p in partners})
    result.load = {p.id: 0 for p in partners}
    column = {p.id: j for j, p in enumerate(partners)}
    km = _distances(kampung, partners, distance_km)
    # Themes as bit masks: the shared count of every kampung x partner in a few numpy operations.
    vocabulary = {t: b for b, t in enumerate(sorted({t for x in (*kampung, *partners) for t in x.themes}))}
    kampung_bits = np.array([_bits(k.themes, vocabulary) for k in kampung], dtype=object)
    partner_bits = np.array([_bits(p.themes, vocabulary) for p in partners], dtype=object)
    theme_count = np.zeros(km.shape, dtype=np.int64)
    for b in range(len(vocabulary)):
        has_k = np.array([(x >> b) & 1 for x in kampung_bits], dtype=np.int64)
        has_p = np.array([(x >> b) & 1 for x in partner_bits], dtype=np.int64)
        theme_count += np.outer(has_k, has_p)
    theme_count = np.minimum(theme_count, weights.max_shared_themes)
    continued = np.zeros(km.shape, dtype=bool)
    for i, k in enumerate(kampung):
        for partner_id in previous.get(k.id, ()):
            if partner_id in column:
                continued[i, column[partner_id]] = True
    far = np.maximum(km - weights.far_km, 0.0)
    cost = (np.rint(km * weights.per_km + far * weights.far_per_km).astype(np.int64)
            - weights.theme_bonus * theme_count - weights.continuity_bonus * continued.astype(np.int64))

    def assign(i, j, locked):
        k, p = kampung[i], partners[j]
        result.assignments[k.id] = Assignment(p.id, round(float(km[i, j]), 3), tuple(sorted(k.themes & p.themes)),
                                              bool(continued[i, j]), locked)
        result.load[p.id] += 1
        result.cost += int(cost[i, j])

    free = []
    for i, k in enumerate(kampung):
        if k.id in locks:
            j = column[locks[k.id]]
            if result.load[partners[j].id] >= partners[j].capacity:
                raise LockError(k.id, partners[j].id, "over capacity")
            assign(i, j, True)
        else:
            free.append(i)
    if not free:
        return result
    if not partners:
        result.unpaired = {kampung[i].id: NO_PARTNER for i in free}
        return result
    bands = [_band_costs(p.capacity, result.load[p.id], weights.load_steps) for p in partners]
    sub = cost[free]
    spread = int(sub.max() - min(0, int(sub.min()))) + max(weights.load_steps) + 1
    unpaired_cost = spread * (len(free) + 1)
    arcs = len(free) * len(partners)
    chosen = solver if solver != "auto" else ("networkx" if arcs <= NETWORKX_MAX_ARCS else "ortools")
    solve = {"networkx": _solve_networkx, "ortools": _solve_ortools}.get(chosen)
    if solve is None:
        raise ValueError(f"unknown solver {solver!r}")
    result.solver = chosen
    partner_of = solve(sub, bands, unpaired_cost)
    for row, i in enumerate(free):
        j = partner_of[row]
        if j < 0:
            result.unpaired[kampung[i].id] = SHORT_CAPACITY
        else:
            assign(i, j, False)
    result.cost += unpaired_cost * len(result.unpaired)
    result.cost += sum(units * unit_cost for p in partners
                       for units, unit_cost in _band_costs(p.capacity, 0, weights.load_steps, result.load[p.id]))
    return result


def _solve_networkx(cost: np.ndarray, bands, unpaired_cost: int) -> list[int]:
    """For each kampung row the partner column it gets, or -1 (networkx network simplex)."""
    import networkx as nx  # lazy: starting the app must not load the numerical stack
    n_k, n_p = cost.shape
    graph = nx.DiGraph()
    graph.add_node("s", demand=-n_k)
    for j in range(n_p):
        graph.add_node(("p", j))
        for b, (units, unit_cost) in enumerate(bands[j]):
            graph.add_edge("s", ("b", j, b), capacity=units, weight=unit_cost)
            graph.add_edge(("b", j, b), ("p", j), capacity=units, weight=0)
    for i in range(n_k):
        graph.add_node(("k", i), demand=1)
        graph.add_edge("s", ("k", i), capacity=1, weight=unpaired_cost)
    for j in range(n_p):
        for i in range(n_k):
            graph.add_edge(("p", j), ("k", i), capacity=1, weight=int(cost[i, j]))
    _, flows = nx.network_simplex(graph)
    partner_of = [-1] * n_k
    for j in range(n_p):
        for (_, i), amount in flows[("p", j)].items():
            if amount:
                partner_of[i] = j
    return partner_of


def _solve_ortools(cost: np.ndarray, bands, unpaired_cost: int) -> list[int]:
    """The same network for OR-Tools' SimpleMinCostFlow (compiled; for large cities)."""
    import numpy as np  # lazy: starting the app must not load the numerical stack
    from ortools.graph.python import min_cost_flow

    n_k, n_p = cost.shape
    band_list = [(j, units, unit_cost) for j in range(n_p) for units, unit_cost in bands[j]]
    source, first_band = 0, 1
    first_partner = first_band + len(band_list)
    first_kampung = first_partner + n_p
    tails, heads, caps, costs = [], [], [], []
    for b, (j, units, unit_cost) in enumerate(band_list):
        tails += [source, first_band + b]
        heads += [first_band + b, first_partner + j]
        caps += [units, units]
        costs += [unit_cost, 0]
    tails += [source] * n_k
    heads += list(range(first_kampung, first_kampung + n_k))
    caps += [1] * n_k
    costs += [unpaired_cost] * n_k
    pair_tails = np.repeat(np.arange(first_partner, first_partner + n_p), n_k)
    pair_heads = np.tile(np.arange(first_kampung, first_kampung + n_k), n_p)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32), np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64), np.asarray(costs, dtype=np.int64))
    pair_arcs = solver.add_arcs_with_capacity_and_unit_cost(
        pair_tails.astype(np.int32), pair_heads.astype(np.int32), np.ones(n_k * n_p, dtype=np.int64),
        np.ascontiguousarray(cost.T).reshape(-1).astype(np.int64))
    supplies = np.zeros(first_kampung + n_k, dtype=np.int64)
    supplies[source] = n_k
    supplies[first_kampung:] = -1
    solver.set_nodes_supplies(np.arange(supplies.size, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed: {status}")
    flows = np.asarray(solver.flows(pair_arcs)).reshape(n_p, n_k)
    partner_of = [-1] * n_k
    for j, i in zip(*np.nonzero(flows)):
        partner_of[int(i)] = int(j)
    return partner_of
