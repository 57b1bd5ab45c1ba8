"""Stage 3: allocation — min-cost flow, then repair so that strict needs get all or nothing.

A min-cost flow cannot say "all or nothing" (that makes the problem a knapsack). Two repairs,
chosen by size:

- force-or-drop (up to FULL_RESOLVE_MAX_PAIRS pairs): re-solve the whole flow; each strict
  need that came out part-funded is forced to its full amount if it was at least
  FORCE_MIN_FILL full, otherwise dropped; an infeasible forcing drops that round's forced
  needs. At 2,000 x 1,000 this ends 0.4% below the true optimum (HiGHS MILP);
- release-and-resolve (larger): keep every allowed flow, release the part-funded strict
  needs, solve again over what is left; a need part-funded twice is dropped. Cheaper, since
  a full OR-Tools solve costs seconds at 20k x 10k.

Both end with a greedy pass that funds open needs from idle money, best pairs first.
"""

from __future__ import annotations

import numpy as np

from .flow import Infeasible, Steps, solve_flow

# Below this many pairs every repair round re-solves the whole flow (best result); above it
# only the residual is re-solved, because a full OR-Tools solve takes seconds at 20k x 10k.
FULL_RESOLVE_MAX_PAIRS = 150_000
FORCE_MIN_FILL = 0.5   # a part-funded strict need at least this full is forced to full funding


def allocate(capacity: np.ndarray, demand: np.ndarray, partial_ok: np.ndarray,
             pair_offer: np.ndarray, pair_need: np.ndarray, weight: np.ndarray,
             solver: str = "auto", max_rounds: int = 6,
             full_resolve_max_pairs: int = FULL_RESOLVE_MAX_PAIRS, steps: Steps | None = None) -> np.ndarray:
    """Rp per pair: max sum(weight x Rp) minus the fairness steps' cost, capacities kept, strict
    needs funded fully or not at all."""
    if pair_offer.size <= full_resolve_max_pairs:
        flow = _force_or_drop(capacity, demand, partial_ok, pair_offer, pair_need, weight,
                              solver, max_rounds, steps)
        cap_left = capacity - np.bincount(pair_offer, weights=flow, minlength=capacity.size).astype(np.int64)
        dem_left = demand - np.bincount(pair_need, weights=flow, minlength=demand.size).astype(np.int64)
    else:
        # At this size the residual rounds' few hundred arcs are the exception, not a small
        # problem: networkx's pure-Python simplex took 0.15 s of them at 20k x 10k.
        solver = "ortools" if solver == "auto" else solver
        flow, cap_left, dem_left = _release_and_resolve(capacity, demand, partial_ok, pair_offer,
                                                        pair_need, weight, solver, max_rounds, steps)
    _fill_greedily(flow, cap_left, dem_left, partial_ok, pair_offer, pair_need, weight, steps)
    return flow


def _force_or_drop(capacity, demand, partial_ok, pair_offer, pair_need, weight, solver, max_rounds,
                   steps=None):
    """Re-solve the whole flow; part-funded strict needs are forced full (>= half filled) or dropped."""
    forced = np.zeros(demand.size, dtype=bool)
    dropped = np.zeros(demand.size, dtype=bool)
    last_forced = forced.copy()
    flow = np.zeros(pair_offer.size, dtype=np.int64)
    for _ in range(max(1, max_rounds)):
        active = np.flatnonzero(~dropped[pair_need])
        try:
            got = solve_flow(capacity, demand, pair_offer[active], pair_need[active], weight[active],
                             solver, forced, steps)
        except Infeasible:  # the needs forced last round compete for the same money: drop them
            forced &= ~last_forced
            dropped |= last_forced
            last_forced[:] = False
            continue
        flow[:] = 0
        flow[active] = got
        inflow = np.bincount(pair_need, weights=flow, minlength=demand.size)
        bad = ~partial_ok & ~forced & (inflow > 0) & (inflow < demand)
        if not bad.any():
            return flow
        fill = inflow / np.maximum(demand, 1)
        last_forced = bad & (fill >= FORCE_MIN_FILL)
        forced |= last_forced
        dropped |= bad & ~last_forced
    inflow = np.bincount(pair_need, weights=flow, minlength=demand.size)
    flow[(~partial_ok & (inflow < demand))[pair_need]] = 0  # rounds ran out: all or nothing
    return flow


def _release_and_resolve(capacity, demand, partial_ok, pair_offer, pair_need, weight, solver,
                         max_rounds, steps=None):
    """Keep allowed flows, release part-funded strict needs, re-solve only what is left."""
    flow = np.zeros(pair_offer.size, dtype=np.int64)
    cap_left = capacity.astype(np.int64).copy()
    dem_left = demand.astype(np.int64).copy()
    tried = np.zeros(demand.size, dtype=bool)    # strict needs already part-funded once
    dropped = np.zeros(demand.size, dtype=bool)
    active = np.arange(pair_offer.size)
    for _ in range(max(1, max_rounds)):
        active = active[(cap_left[pair_offer[active]] > 0) & (dem_left[pair_need[active]] > 0)
                        & ~dropped[pair_need[active]]]
        if active.size == 0:
            break
        left = steps.after(steps.used_by(pair_need, flow)) if steps is not None else None
        if active.size == pair_offer.size:  # every pair (first round): no copies of millions
            got = solve_flow(cap_left, dem_left, pair_offer, pair_need, weight, solver, steps=left)
        else:
            got = solve_flow(cap_left, dem_left, pair_offer[active], pair_need[active],
                             weight[active], solver, steps=left)
        inflow = np.bincount(pair_need[active], weights=got, minlength=demand.size).astype(np.int64)
        bad = ~partial_ok & (inflow > 0) & (inflow < dem_left)
        keep = ~bad[pair_need[active]]
        _commit(flow, cap_left, dem_left, active[keep], got[keep], pair_offer, pair_need)
        if not bad.any():
            break
        dropped |= bad & tried
        tried |= bad
    return flow, cap_left, dem_left


def _commit(flow, cap_left, dem_left, pairs, amounts, pair_offer, pair_need) -> None:
    flow[pairs] += amounts
    np.subtract.at(cap_left, pair_offer[pairs], amounts)
    np.subtract.at(dem_left, pair_need[pairs], amounts)


def _fill_greedily(flow, cap_left, dem_left, partial_ok, pair_offer, pair_need, weight, steps=None) -> None:
    """Fund still-open needs from idle money, best pairs first; strict needs only in full.

    With fairness steps, a need's turn comes by its best weight minus the band cost its group
    has reached, re-checked as the groups fill (a lazy heap).
    """
    funded = np.bincount(pair_need, weights=flow, minlength=dem_left.size) > 0
    open_need = (dem_left > 0) & (partial_ok | ~funded)
    pairs = np.flatnonzero((cap_left[pair_offer] > 0) & open_need[pair_need])
    if pairs.size == 0:
        return
    # Needs in order of their best pair, then each need's pairs best first (deterministic).
    best = np.zeros(dem_left.size, dtype=np.int64)
    np.maximum.at(best, pair_need[pairs], weight[pairs])
    order = pairs[np.lexsort((-weight[pairs], pair_need[pairs], -best[pair_need[pairs]]))]
    needs_in_order, starts = np.unique(pair_need[order], return_index=True)
    groups = np.split(order, np.sort(starts)[1:])
    if steps is not None:
        groups = _fair_order(groups, flow, pair_need, weight, steps, dem_left)
    for group in groups:
        i = int(pair_need[group[0]])
        if not partial_ok[i] and cap_left[pair_offer[group]].sum() < dem_left[i]:
            continue
        for k in group.tolist():
            take = min(int(cap_left[pair_offer[k]]), int(dem_left[i]))
            if take > 0:
                flow[k] += take
                cap_left[pair_offer[k]] -= take
                dem_left[i] -= take




def _fair_order(groups, flow, pair_need, weight, steps, dem_left):
    """Need groups of pairs reordered by best weight minus their fairness group's marginal cost.

    Yields lazily: the used Rp per fairness group is read again before each need's turn.
    """
    import heapq

    bounds = np.cumsum(steps.caps, axis=1)
    used = steps.used_by(pair_need, flow)

    def value(n: int, g: int) -> int:
        best = int(weight[groups[n]].max())
        if g < 0:
            return best
        # The band the need's last Rupiah would reach (a whole strict need counts at its end).
        end = used[g] + int(dem_left[int(pair_need[groups[n][0]])])
        band = int(np.searchsorted(bounds[g], end - 1, side="right"))
        return best - int(steps.cost[min(band, steps.cost.size - 1)])

    owner = [int(steps.group[int(pair_need[group[0]])]) for group in groups]
    heap = [(-value(n, g), n) for n, g in enumerate(owner)]
    heapq.heapify(heap)
    while heap:
        key, n = heapq.heappop(heap)
        now = value(n, owner[n])
        if -now != key and heap and -now > heap[0][0]:
            heapq.heappush(heap, (-now, n))  # its group filled meanwhile: wait its new turn
            continue
        before = int(flow[groups[n]].sum())
        yield groups[n]
        if owner[n] >= 0:
            used[owner[n]] += int(flow[groups[n]].sum()) - before
