"""Min-cost flow behind one function: networkx (reference, small graphs) or OR-Tools (compiled).

The network: each offer supplies its remaining Rp; an arc offer -> need per candidate pair
costs -weight per Rp; each need drains at most its remaining Rp into the sink; each offer may
also send money straight to the sink at cost 0, which is how money stays unspent when no pair
is worth it. Minimising cost maximises sum(weight x Rp). Weights are integers, so both solvers
reach the same optimal objective exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# networkx's network simplex is pure Python: ~9 s at 2,000 x 1,000 here. Up to this many
# pair arcs it is quick, and it is the reference implementation the tests trust.
NETWORKX_MAX_ARCS = 600


class Infeasible(Exception):
    """The forced needs cannot all receive their full demand."""


@dataclass(frozen=True)
class Steps:
    """Diminishing returns per group of needs (a category in a kemantren), inside the flow.

    Instead of draining straight into the sink, the needs of group g drain through node g, which
    reaches the sink over parallel arcs ("bands"): band b holds `caps[g, b]` Rp and costs
    `cost[b]` per Rp, with cost rising band by band (convex). The first band is the group's fair
    share and free; money beyond it gives up a little score per Rp, more the further beyond.
    At equal merit money therefore spreads over the groups; a clearly better need still wins.
    `group[i]` is need i's group, -1 for none.
    """

    group: np.ndarray      # per need
    caps: np.ndarray       # (groups, bands) int64 Rp
    cost: np.ndarray       # (bands,) int64 per Rp, non-decreasing, cost[0] = 0

    def after(self, used: np.ndarray) -> "Steps":
        """The bands left once `used[g]` Rp already went to group g (filled from the first band)."""
        caps = self.caps.copy()
        left = used.astype(np.int64).copy()
        for b in range(caps.shape[1]):
            take = np.minimum(caps[:, b], left)
            caps[:, b] -= take
            left -= take
        return Steps(self.group, caps, self.cost)

    def used_by(self, pair_need: np.ndarray, flow: np.ndarray) -> np.ndarray:
        """Rp per group in a flow."""
        g = self.group[pair_need]
        inside = g >= 0
        return np.bincount(g[inside], weights=flow[inside], minlength=self.caps.shape[0]).astype(np.int64)


def solve_flow(capacity: np.ndarray, demand: np.ndarray, pair_offer: np.ndarray,
               pair_need: np.ndarray, weight: np.ndarray, solver: str = "auto",
               forced: np.ndarray | None = None, steps: Steps | None = None) -> np.ndarray:
    """Rp per pair maximising sum(weight x Rp) under offer capacities and need demands.

    capacity[j], demand[i] in Rp (int64); pairs index into them; weight is int64, > 0.
    `forced[i]` True makes need i receive exactly demand[i] (raises Infeasible otherwise).
    solver: "networkx", "ortools" or "auto" (networkx for small graphs).
    `steps` adds diminishing returns per group of needs (see Steps).
    """
    if pair_offer.size == 0:
        if forced is not None and forced.any():
            raise Infeasible
        return np.zeros(0, dtype=np.int64)
    if forced is None:
        forced = np.zeros(demand.size, dtype=bool)
    if solver == "auto":
        solver = "networkx" if pair_offer.size <= NETWORKX_MAX_ARCS else "ortools"
    if solver == "networkx":
        return _solve_networkx(capacity, demand, pair_offer, pair_need, weight, forced, steps)
    if solver == "ortools":
        return _solve_ortools(capacity, demand, pair_offer, pair_need, weight, forced, steps)
    raise ValueError(f"unknown solver {solver!r}")


def components(pair_offer: np.ndarray, pair_need: np.ndarray) -> list[np.ndarray]:
    """Pair indices grouped by connected component of the offer-need graph (networkx)."""
    import networkx as nx  # lazy: only small graphs use it, and it costs 0.2 s to load

    graph = nx.Graph()
    graph.add_edges_from((("o", j), ("n", i)) for j, i in zip(pair_offer.tolist(), pair_need.tolist()))
    label = {}
    for c, nodes in enumerate(sorted(nx.connected_components(graph), key=min)):
        for node in nodes:
            label[node] = c
    comp = np.array([label[("o", j)] for j in pair_offer.tolist()], dtype=np.int64)
    order = np.argsort(comp, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(comp[order])) + 1)


def _solve_networkx(capacity, demand, pair_offer, pair_need, weight, forced, steps=None) -> np.ndarray:
    import networkx as nx

    flow = np.zeros(pair_offer.size, dtype=np.int64)
    # Needs sharing a fairness group share its bands: they solve as one component.
    parts = [np.arange(pair_offer.size)] if steps is not None else components(pair_offer, pair_need)
    for part in parts:
        graph = nx.DiGraph()
        offers = np.unique(pair_offer[part]).tolist()
        needs = np.unique(pair_need[part]).tolist()
        total = int(capacity[offers].sum())
        for j in offers:
            graph.add_node(("o", j), demand=-int(capacity[j]))
            graph.add_edge(("o", j), "sink", capacity=int(capacity[j]), weight=0)
        graph.add_node("sink", demand=total - int(demand[needs][forced[needs]].sum()))
        for i in needs:
            if forced[i]:
                graph.add_node(("n", i), demand=int(demand[i]))
            elif steps is not None and steps.group[i] >= 0:
                g = int(steps.group[i])
                graph.add_edge(("n", i), ("g", g), capacity=int(demand[i]), weight=0)
                for b, cost in enumerate(steps.cost.tolist()):
                    if steps.caps[g, b] > 0 and not graph.has_edge(("g", g), ("b", g, b)):
                        graph.add_edge(("g", g), ("b", g, b), capacity=int(steps.caps[g, b]), weight=int(cost))
                        graph.add_edge(("b", g, b), "sink", weight=0)
            else:
                graph.add_edge(("n", i), "sink", capacity=int(demand[i]), weight=0)
        for k in part.tolist():
            j, i = int(pair_offer[k]), int(pair_need[k])
            graph.add_edge(("o", j), ("n", i), capacity=int(min(capacity[j], demand[i])),
                           weight=-int(weight[k]))
        try:
            _, flows = nx.network_simplex(graph)
        except nx.NetworkXUnfeasible as exc:
            raise Infeasible from exc
        for k in part.tolist():
            flow[k] = flows[("o", int(pair_offer[k]))][("n", int(pair_need[k]))]
    return flow


def _solve_ortools(capacity, demand, pair_offer, pair_need, weight, forced, steps=None) -> np.ndarray:
    from ortools.graph.python import min_cost_flow

    offers, offer_node = np.unique(pair_offer, return_inverse=True)
    needs, need_node = np.unique(pair_need, return_inverse=True)
    n_off, n_need = offers.size, needs.size
    free = np.flatnonzero(~forced[needs])  # forced needs have no arc to the sink: they must fill
    group = steps.group[needs[free]] if steps is not None else np.full(free.size, -1)
    groups, group_node = np.unique(group[group >= 0], return_inverse=True)
    sink = n_off + n_need + groups.size
    # A free need drains into its group's node, or straight into the sink without a group.
    need_head = np.full(free.size, sink, dtype=np.int64)
    need_head[group >= 0] = n_off + n_need + group_node
    tails = [offer_node, n_off + free, np.arange(n_off)]
    heads = [n_off + need_node, need_head, np.full(n_off, sink)]
    caps = [np.minimum(capacity[pair_offer], demand[pair_need]), demand[needs[free]], capacity[offers]]
    costs = [-weight, np.zeros(free.size + n_off, dtype=np.int64)]
    if groups.size:
        bands = steps.caps.shape[1]
        band_caps = steps.caps[groups].ravel()
        live = band_caps > 0
        tails.append(np.repeat(n_off + n_need + np.arange(groups.size), bands)[live])
        heads.append(np.full(int(live.sum()), sink))
        caps.append(band_caps[live])
        costs.append(np.tile(steps.cost, groups.size)[live])
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails, dtype=np.int32), np.concatenate(heads, dtype=np.int32),
        np.concatenate(caps, dtype=np.int64), np.concatenate(costs, dtype=np.int64))
    # The solver holds its own copy: the arc arrays (~50 bytes per pair) are not kept through
    # the solve, the run's memory peak at 100k x 50k.
    del tails, heads, caps, costs, offer_node, need_node, need_head
    need_supply = np.where(forced[needs], -demand[needs], 0)
    supplies = np.concatenate([capacity[offers], need_supply, np.zeros(groups.size, dtype=np.int64),
                               [-capacity[offers].sum() - need_supply.sum()]])
    solver.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies.astype(np.int64))
    status = solver.solve()
    if status == solver.INFEASIBLE:
        raise Infeasible
    if status != solver.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed: {status}")
    return np.asarray(solver.flows(arcs[:pair_offer.size]), dtype=np.int64)
