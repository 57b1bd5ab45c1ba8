"""One matching run: candidates, scores, allocation, then proposals with reasons."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .allocation import allocate
from .fairness import build_steps, run_figures
from .candidates import generate_candidates
from .geography import Geography
from .kinds import RIGHT_KIND
from .memory import give_back
from .model import (BREAKDOWN_KEYS, Alternative, MatchContext, MatchResult, Need, Offer, Proposal, Reason,
                    UnmatchedOffer)
from .problem import Problem, build_problem
from .reasons import Explainer, format_rp
from .text import shared_terms_many
from .scoring import SCORE_RESOLUTION, TIE_LEVELS, ScoredPairs, merge_allocations, score_pairs


def run_matching(needs: Sequence[Need], offers: Sequence[Offer], geography: Geography,
                 context: MatchContext, on_explained: Callable | None = None) -> MatchResult:
    """Propose pairings for open needs and active offers (remaining Rp already net of approvals).

    `on_explained(proposals, alternatives)`, if given, receives the result's proposals and
    alternatives as they are explained, in blocks of EXPLAIN_BLOCK needs in id order (the whole
    result is still returned): the caller can store them meanwhile. Its time is not counted in
    the engine's stages (`seconds_*` in the stats).

    Same input, same result: needs and offers are sorted by id, ties broken by a hash of the ids.
    The garbage collector is paused while texts are analysed and reasons written (millions of
    small objects, no cycles: collections took a third of those stages at 20k x 10k) and runs
    during the allocation, whose numpy and solver temporaries it keeps below 1 GB at 100k x 50k;
    the objects made before it are frozen meanwhile (`freeze_objects`).
    """
    was_enabled = gc.isenabled()
    try:
        return _run(needs, offers, geography, context, on_explained)
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _run(needs, offers, geography, context, on_explained=None) -> MatchResult:
    clock = _Clock()
    gc.disable()
    problem = build_problem(needs, offers, geography, context)
    clock.lap("prepare")
    freeze_objects()
    give_back()
    pairs, flow, n_candidates = solve(problem, clock)
    gc.disable()
    give_back()
    explainer = run_explainer(problem)
    if on_explained is None:
        proposals = build_proposals(problem, pairs, flow, explainer)
        alternatives = build_alternatives(problem, pairs, flow, explainer)
    else:
        proposals, alternatives = explain_in_blocks(problem, pairs, flow, explainer, on_explained, clock)
    unmatched = unmatched_offers(problem, pairs, flow)
    clock.lap("explain")
    return MatchResult(proposals=proposals, unmatched_offers=unmatched,
                       stats=_stats(problem, n_candidates, pairs, flow, unmatched, clock),
                       alternatives=alternatives, fairness=run_figures(problem, pairs.need, flow))


def freeze_objects() -> None:
    """Collections during the allocation skip what the run already holds (gc.freeze): a full
    collection of the prepared texts and profiles cost 0.1 s at 20k x 10k and found almost
    nothing (a dozen objects), and every later automatic collection would walk them again.
    `run_matching` unfreezes them at the end."""
    gc.freeze()
    gc.enable()


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
    steps = build_steps(p, SCORE_RESOLUTION * TIE_LEVELS)
    used = np.zeros(steps.caps.shape[0], dtype=np.int64) if steps is not None else None
    for _ in range(1 + max(0, s.residual_passes)):
        cand = generate_candidates(p, need_mask, offer_mask)
        give_back()
        n_candidates += cand.need.size
        clock.lap("candidates")
        pairs = score_pairs(p, cand)
        clock.lap("scores")
        flow = allocate(cap_left, dem_left, p.partial_ok, pairs.offer, pairs.need, pairs.weight,
                        s.solver, s.max_repair_rounds,
                        steps=steps.after(used) if steps is not None else None)
        if steps is not None:
            used += steps.used_by(pairs.need, flow)
        give_back()
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
    consolidate(p, pairs, flow)
    return pairs, flow, n_candidates


CONSOLIDATE_TOLERANCE = 0.02
FRAGMENT_SHARE, FRAGMENT_TOLERANCE = 0.1, 0.05   # a part under 10% of the need may give up 0.05


def consolidate(p: Problem, pairs: ScoredPairs, flow: np.ndarray) -> None:
    """Fewer partners per need: when a need is funded from several offers and one of them has
    money left for another's part, move that part there if the score given up is at most
    CONSOLIDATE_TOLERANCE, or FRAGMENT_TOLERANCE for a part under FRAGMENT_SHARE of what the
    need receives (a Rp 1 million fragment from a second partner costs more coordination than
    it is worth)."""
    funded = np.flatnonzero(flow > 0)
    counts = np.bincount(pairs.need[funded], minlength=len(p.needs))
    multi = np.flatnonzero(counts > 1)
    if multi.size == 0:
        return
    left = p.capacity - np.bincount(pairs.offer, weights=flow, minlength=len(p.offers)).astype(np.int64)
    mine = funded[np.isin(pairs.need[funded], multi)]
    mine = mine[np.argsort(pairs.need[mine], kind="stable")]
    bounds = np.flatnonzero(np.diff(pairs.need[mine])) + 1
    for group in np.split(mine, bounds):
        ks = sorted(group.tolist(), key=lambda k: int(flow[k]))
        total = int(flow[ks].sum())
        for small in ks[:-1]:
            tolerance = FRAGMENT_TOLERANCE if flow[small] < FRAGMENT_SHARE * total else CONSOLIDATE_TOLERANCE
            for big in reversed(ks):
                if big == small or flow[small] == 0 or flow[big] == 0:
                    continue
                j = int(pairs.offer[big])
                if left[j] >= flow[small] and pairs.score[big] >= pairs.score[small] - tolerance:
                    left[j] -= flow[small]
                    left[int(pairs.offer[small])] += flow[small]
                    flow[big] += flow[small]
                    flow[small] = 0
                    break


def build_proposals(p: Problem, pairs: ScoredPairs, flow: np.ndarray,
                    explainer: Explainer | None = None, funded: np.ndarray | None = None) -> tuple[Proposal, ...]:
    """A Proposal per pair that received money (or per pair of `funded`, indices of such pairs),
    with its breakdown and reasons, in (need id, offer id) order."""
    out = []
    explainer = explainer or run_explainer(p)
    funded = np.flatnonzero(flow > 0) if funded is None else funded
    all_keywords = shared_terms_many(p.text_model, p.need_vectors, p.offer_vectors,
                                     pairs.need[funded], pairs.offer[funded])
    all_parts = np.round(pairs.parts[funded].astype(np.float64), 4).tolist()
    needs_k, offers_k = pairs.need[funded].tolist(), pairs.offer[funded].tolist()
    scores_k = [round(v, 4) for v in pairs.score[funded].astype(np.float64).tolist()]
    amounts = flow[funded].tolist()
    spread_l = p.spread[p.need_kel].tolist() if len(p.needs) else []
    pr = p.profiles
    for i, j, amount, score, keywords, part_values in zip(needs_k, offers_k, amounts, scores_k,
                                                           all_keywords, all_parts):
        need, offer = p.needs[i], p.offers[j]
        parts = dict(zip(BREAKDOWN_KEYS, part_values))
        reasons = explainer(i, need, offer, parts, keywords, spread_l[i],
                            (pr.severe_words[i], pr.comfort_words[i], pr.asked[i], pr.gives[j]))
        out.append(Proposal(need_id=need.id, offer_id=offer.id, amount_rp=amount,
                            score=score, breakdown=parts, reasons=reasons))
    out.sort(key=lambda pr: (pr.need_id, pr.offer_id))
    return tuple(out)


def run_explainer(p: Problem) -> Explainer:
    """One Explainer for the proposals and alternatives of a run (they share the needs' reasons)."""
    return Explainer(p.weights, p.geo, p.context.category_labels, p.context.today)


# Reasons without parameters, shared by every alternative (a Reason is never changed).
USED_UP = Reason("offer_used_up", {}, True)
OTHER_KEMANTREN = Reason("other_kemantren", {}, True)
FAIRNESS = Reason("fairness", {}, True)


def build_alternatives(p: Problem, pairs: ScoredPairs, flow: np.ndarray,
                       explainer: Explainer | None = None) -> tuple[Alternative, ...]:
    """For each need that received money: its next-best allowed offers that received none from
    it (up to settings.alternatives), with their reasons and why they lost."""
    plan = plan_alternatives(p, pairs, flow)
    return explain_alternatives(p, pairs, plan, plan.keep, explainer) if plan is not None else ()


@dataclass(frozen=True)
class AlternativesPlan:
    """Which pairs are alternatives (`keep`: pair indices, by need, best first) and what their
    reasons compare with: per need the best chosen score and geography, Rp received; per offer
    the Rp left."""
    keep: np.ndarray
    best: list
    chosen_geo: list
    got: list
    left: list


def plan_alternatives(p: Problem, pairs: ScoredPairs, flow: np.ndarray) -> AlternativesPlan | None:
    """The alternatives of a run before they are explained; None when there are none."""
    limit = p.context.settings.alternatives
    if limit <= 0 or pairs.need.size == 0:
        return None
    funded_need = np.zeros(len(p.needs), dtype=bool)
    funded_need[pairs.need[flow > 0]] = True
    best = np.zeros(len(p.needs), dtype=np.float64)
    np.maximum.at(best, pairs.need[flow > 0], pairs.score[flow > 0])
    chosen_geo = np.zeros(len(p.needs), dtype=np.float64)
    np.maximum.at(chosen_geo, pairs.need[flow > 0], pairs.parts[flow > 0, 2])
    left = p.capacity - np.bincount(pairs.offer, weights=flow, minlength=len(p.offers)).astype(np.int64)
    got = np.bincount(pairs.need, weights=flow, minlength=len(p.needs)).astype(np.int64)
    cand = np.flatnonzero((flow == 0) & funded_need[pairs.need])
    if cand.size == 0:
        return None
    # Best score first per need, ties by offer id. Pairs come sorted by (need, offer) and offers
    # are sorted by id, so one stable sort on need x 4 - score (exact in float64) gives the
    # order of a lexsort on (need, -score, offer id) at a third of its cost.
    key = pairs.need[cand].astype(np.float64) * 4.0 - pairs.score[cand].astype(np.float64)
    order = cand[np.argsort(key, kind="stable")]
    need_sorted = pairs.need[order]
    starts = np.flatnonzero(np.r_[True, need_sorted[1:] != need_sorted[:-1]])
    rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    # Plain Python values up front: numpy scalars cost more than the reasons themselves here.
    return AlternativesPlan(keep=order[rank < limit], best=best.tolist(), chosen_geo=chosen_geo.tolist(),
                            got=got.tolist(), left=left.tolist())


def explain_alternatives(p: Problem, pairs: ScoredPairs, plan: AlternativesPlan, keep: np.ndarray,
                         explainer: Explainer | None = None) -> tuple[Alternative, ...]:
    """The Alternative of each pair in `keep` (the plan's, or a slice of it), with its reasons."""
    keywords = shared_terms_many(p.text_model, p.need_vectors, p.offer_vectors, pairs.need[keep], pairs.offer[keep])
    explainer = explainer or run_explainer(p)
    pr = p.profiles
    needs_k, offers_k = pairs.need[keep].tolist(), pairs.offer[keep].tolist()
    scores_k = np.round(pairs.score[keep].astype(np.float64), 4).tolist()
    parts_k = np.round(pairs.parts[keep].astype(np.float64), 4).tolist()
    best_l, geo_l, left_l, got_l = plan.best, plan.chosen_geo, plan.left, plan.got
    spread_l = p.spread[p.need_kel].tolist() if len(p.needs) else []
    out = []
    for i, j, score, part_values, words in zip(needs_k, offers_k, scores_k, parts_k, keywords):
        need, offer = p.needs[i], p.offers[j]
        parts = dict(zip(BREAKDOWN_KEYS, part_values))
        # Positive reasons only, three at most: `lost` says what speaks against it.
        reasons = explainer(i, need, offer, parts, words, spread_l[i],
                            (pr.severe_words[i], pr.comfort_words[i], pr.asked[i], pr.gives[j]),
                            positive_only=True)
        lost = []
        if left_l[j] < need.remaining_rp and left_l[j] < got_l[i]:
            lost.append(USED_UP)
        if parts["kind"] < RIGHT_KIND:
            lost.append(Reason("wrong_kind", {"asked": list(p.profiles.asked[i]),
                                              "given": list(p.profiles.gives[j])}, True))
        if parts["geography"] < geo_l[i] - 0.05 and need.kemantren_code not in offer.areas:
            lost.append(OTHER_KEMANTREN)
        if score < best_l[i]:
            lost.append(Reason("lower_score", {"score": round(score, 2), "best": round(best_l[i], 2)}, True))
        if not lost:
            lost.append(FAIRNESS)
        out.append(Alternative(need_id=need.id, offer_id=offer.id, score=score, breakdown=parts,
                               reasons=reasons, lost=tuple(lost)))
    return tuple(out)


# Needs per block handed to `on_explained`: ~20 blocks at 20,000 needs, so storing follows closely.
EXPLAIN_BLOCK = 1000


def explain_in_blocks(p: Problem, pairs: ScoredPairs, flow: np.ndarray, explainer: Explainer,
                      on_explained: Callable, clock: _Clock) -> tuple[tuple[Proposal, ...], tuple[Alternative, ...]]:
    """build_proposals and build_alternatives a block of needs at a time, each block handed to
    `on_explained(proposals, alternatives)` (outside the clock); the same result as theirs."""
    funded = np.flatnonzero(flow > 0)
    funded_need = pairs.need[funded]
    plan = plan_alternatives(p, pairs, flow)
    keep = plan.keep if plan is not None else np.zeros(0, dtype=np.int64)
    keep_need = pairs.need[keep]
    proposals: list[Proposal] = []
    alternatives: list[Alternative] = []
    for start in range(0, len(p.needs), EXPLAIN_BLOCK):
        end = start + EXPLAIN_BLOCK
        mine = funded[(funded_need >= start) & (funded_need < end)]
        if mine.size == 0:
            continue
        block = build_proposals(p, pairs, flow, explainer, funded=mine)
        theirs = keep[(keep_need >= start) & (keep_need < end)]
        others = explain_alternatives(p, pairs, plan, theirs, explainer) if theirs.size else ()
        proposals.extend(block)
        alternatives.extend(others)
        with clock.outside():
            on_explained(block, others)
    return tuple(proposals), tuple(alternatives)


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

    @contextmanager
    def outside(self):
        """Time spent in the block counts in no lap (the caller's work during a stage)."""
        began = time.perf_counter()
        try:
            yield
        finally:
            self._last += time.perf_counter() - began
