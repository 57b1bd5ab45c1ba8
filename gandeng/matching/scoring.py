"""Stage 2: the five parts and the gated score of every candidate pair, and its flow weight."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .candidates import Candidates, pair_jitter, pair_kind
from .parts import combine, text_part
from .problem import Problem

SCORE_RESOLUTION = 1_000    # flow weights are integers: score in steps of 0.001 ...
TIE_LEVELS = 8              # ... times 8 tie-break levels, so costs x Rp stay inside int64


@dataclass(slots=True)
class ScoredPairs:
    """Candidate pairs with their parts, score and integer flow weight."""

    need: np.ndarray
    offer: np.ndarray
    parts: np.ndarray     # (pairs, 7) in BREAKDOWN_KEYS order
    score: np.ndarray
    weight: np.ndarray    # int64 flow weight: score + stability bonus + tie-break


def score_pairs(p: Problem, cand: Candidates) -> ScoredPairs:
    """Compute the breakdown and score of each candidate; drop pairs below min_score."""
    s = p.context.settings
    need, offer = cand.need, cand.offer
    parts = np.empty((need.size, 7), dtype=np.float32)
    cosine = np.clip(cand.text, 0.0, 1.0)
    parts[:, 0] = text_part(cosine, s)
    parts[:, 1] = p.cat_fit[p.need_cat[need], offer]
    parts[:, 2] = p.geo_fit[p.need_kel[need], offer]
    parts[:, 3] = p.urgency[need]
    parts[:, 4] = p.poverty[need]
    parts[:, 5] = p.profiles.severity[need]
    parts[:, 6] = pair_kind(p, need, offer)
    score = combine(p.weights, cosine, *parts[:, 1:].T, s).astype(np.float32)
    keep = (score >= s.min_score) & (parts[:, 1] > 0) & (parts[:, 2] > 0)
    need, offer, parts, score = need[keep], offer[keep], parts[keep], score[keep]
    bonus = np.where(_is_previous(p, need, offer), s.stability_bonus, 0.0)
    tie = np.floor(_pair_tie(p, need, offer) * TIE_LEVELS).astype(np.int64)
    weight = np.rint((score + bonus) * SCORE_RESOLUTION).astype(np.int64) * TIE_LEVELS + tie
    return ScoredPairs(need=need, offer=offer, parts=parts, score=score, weight=weight)


def _pair_tie(p: Problem, need: np.ndarray, offer: np.ndarray) -> np.ndarray:
    """Tie-break from the two ids only, so it holds when other needs or offers change."""
    return pair_jitter(p.need_ids[need], p.offer_ids[offer], 0)


def _is_previous(p: Problem, need: np.ndarray, offer: np.ndarray) -> np.ndarray:
    if not p.previous:
        return np.zeros(need.size, dtype=bool)
    n_off = max(len(p.offers), 1)
    prev_keys = np.concatenate([i * n_off + js for i, js in p.previous.items()])
    return np.isin(need * n_off + offer, prev_keys)


def merge_allocations(parts: list[tuple[ScoredPairs, np.ndarray]], n_offers: int
                      ) -> tuple[ScoredPairs, np.ndarray]:
    """Concatenate passes; a pair found in several passes appears once with its Rp summed."""
    need = np.concatenate([sp.need for sp, _ in parts])
    offer = np.concatenate([sp.offer for sp, _ in parts])
    flow = np.concatenate([f for _, f in parts])
    key, first, inverse = np.unique(need * max(n_offers, 1) + offer, return_index=True,
                                    return_inverse=True)
    total = np.zeros(key.size, dtype=np.int64)
    np.add.at(total, inverse, flow)
    pick = lambda name: np.concatenate([getattr(sp, name) for sp, _ in parts])[first]  # noqa: E731
    merged = ScoredPairs(need=need[first], offer=offer[first], parts=pick("parts"),
                         score=pick("score"), weight=pick("weight"))
    return merged, total
