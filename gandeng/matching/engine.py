"""One matching run: candidates, scores, allocation, then proposals with reasons."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from .allocation import allocate
from .candidates import generate_candidates
from .geography import Geography
from .model import PARTS, MatchContext, MatchResult, Need, Offer, Proposal, UnmatchedOffer
from .problem import Problem, build_problem
from .reasons import explain, format_rp
from .text import shared_terms_many
from .scoring import ScoredPairs, merge_allocations, score_pairs


def run_matching(needs: Sequence[Need], offers: Sequence[Offer], geography: Geography,
                 context: MatchContext) -> MatchResult:
    """Propose pairings for open needs and active offers (remaining Rp already net of approvals).

    Same input, same result: needs and offers are sorted by id, ties broken by a hash of the ids.
    """
    clock = _Clock()
    problem = build_problem(needs, offers, geography, context)
    clock.lap("prepare")
    pairs, flow, n_candidates = solve(problem, clock)
    proposals = build_proposals(problem, pairs, flow)
    unmatched = unmatched_offers(problem, pairs, flow)
    clock.lap("explain")
    return MatchResult(proposals=proposals, unmatched_offers=unmatched,
                       stats=_stats(problem, n_candidates, pairs, flow, unmatched, clock))


def solve(p: Problem, clock: _Clock | None = None) -> tuple[ScoredPairs, np.ndarray, int]:
    """Candidates, scores and allocation, then residual passes; returns pairs, Rp per pair, count.

    A residual pass searches candidates again, but only between offers that still have money
    and needs still open: lists chosen before allocation cannot know which offers the others
    will exhaust. Earlier allocations are kept, so a pass never takes money from a proposal.
    """
    clock = clock or _Clock()
    s = p.context.settings
    cap_left, dem_left = p.capacity.copy(), p.demand.copy()
    passes: list[tuple[ScoredPairs, np.ndarray]] = []
    n_candidates = 0
    need_mask = offer_mask = None
    for _ in range(1 + max(0, s.residual_passes)):
        cand = generate_candidates(p, need_mask, offer_mask)
        n_candidates += cand.need.size
        clock.lap("candidates")
        pairs = score_pairs(p, cand)
        clock.lap("scores")
        flow = allocate(cap_left, dem_left, p.partial_ok, pairs.offer, pairs.need, pairs.weight,
                        s.solver, s.max_repair_rounds)
        clock.lap("allocation")
        passes.append((pairs, flow))
        np.subtract.at(cap_left, pairs.offer, flow)
        np.subtract.at(dem_left, pairs.need, flow)
        funded = dem_left < p.demand
        need_mask = (dem_left > 0) & (p.partial_ok | ~funded)
        offer_mask = cap_left > 0
        if flow.sum() == 0 or not need_mask.any() or not offer_mask.any():
            break
    pairs, flow = merge_allocations(passes, len(p.offers))
    return pairs, flow, n_candidates


def build_proposals(p: Problem, pairs: ScoredPairs, flow: np.ndarray) -> tuple[Proposal, ...]:
    """A Proposal per pair that received money, with its breakdown and reasons."""
    out = []
    labels = p.context.category_labels
    funded = np.flatnonzero(flow > 0)
    all_keywords = shared_terms_many(p.text_model, p.need_vectors, p.offer_vectors,
                                     pairs.need[funded], pairs.offer[funded])
    all_parts = np.round(pairs.parts[funded].astype(np.float64), 4).tolist()
    for k, keywords, part_values in zip(funded.tolist(), all_keywords, all_parts):
        i, j = int(pairs.need[k]), int(pairs.offer[k])
        need, offer = p.needs[i], p.offers[j]
        parts = dict(zip(PARTS, part_values))
        reasons = explain(need, offer, parts, p.weights, keywords, p.geo, labels, p.context.today,
                          float(p.spread[p.need_kel[i]]))
        out.append(Proposal(need_id=need.id, offer_id=offer.id, amount_rp=int(flow[k]),
                            score=round(float(pairs.score[k]), 4), breakdown=parts, reasons=reasons))
    out.sort(key=lambda pr: (pr.need_id, pr.offer_id))
    return tuple(out)


def unmatched_offers(p: Problem, pairs: ScoredPairs, flow: np.ndarray) -> tuple[UnmatchedOffer, ...]:
    """Offers with money left: "penawaran tanpa pasangan yang baik", with why in `detail`."""
    used = np.bincount(pairs.offer, weights=flow, minlength=len(p.offers)).astype(np.int64)
    counts = np.bincount(pairs.offer, minlength=len(p.offers))
    out = []
    for j in np.flatnonzero(p.capacity - used > 0).tolist():
        left = int(p.capacity[j] - used[j])
        if counts[j] == 0:
            detail = f"{format_rp(left)} belum terpakai: tidak ada kebutuhan yang cukup cocok"
        else:
            detail = (f"{format_rp(left)} belum terpakai: kebutuhan yang cocok sudah terdanai "
                      "atau butuh dana penuh yang tidak tercukupi")
        out.append(UnmatchedOffer(offer_id=p.offers[j].id, unused_rp=left,
                                  candidate_count=int(counts[j]), detail=detail))
    return tuple(out)


def objective(score: np.ndarray, flow: np.ndarray) -> float:
    """Sum of score x Rp: what the allocation maximises (without bonus and tie-break)."""
    return float(np.dot(score.astype(np.float64), flow.astype(np.float64)))


def _stats(p, n_candidates, pairs, flow, unmatched, clock) -> dict[str, float]:
    funded = np.bincount(pairs.need, weights=flow, minlength=len(p.needs)).astype(np.int64)
    return {
        "needs": len(p.needs), "offers": len(p.offers),
        "skipped_needs": p.skipped_needs, "skipped_offers": p.skipped_offers,
        "candidate_pairs": int(n_candidates), "scored_pairs": int(pairs.need.size),
        "proposals": int((flow > 0).sum()), "proposed_rp": int(flow.sum()),
        "needs_fully_funded": int((funded >= p.demand).sum()) if len(p.needs) else 0,
        "needs_partly_funded": int(((funded > 0) & (funded < p.demand)).sum()),
        "offer_rp": int(p.capacity.sum()), "need_rp": int(p.demand.sum()),
        "unmatched_offer_rp": int(sum(u.unused_rp for u in unmatched)),
        "objective": objective(pairs.score, flow),
        **{f"seconds_{name}": round(sec, 4) for name, sec in clock.laps.items()},
    }


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now
