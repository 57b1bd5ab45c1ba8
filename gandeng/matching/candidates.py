"""Stage 1: candidate pairs — hard rules, then the best offers per need and needs per offer.

Needs are processed in blocks of one category and one kemantren, so that only offers that
pass the category and area rules are ever compared (the rules are the blocking key). Within a
block, one sparse product per chunk of needs gives the pairs that share at least one term;
all others score 0 under the relevance gate and are never looked at. On those entries:

- every need keeps its `top_k_per_need` offers;
- every offer keeps its own best needs, more for offers with more money: without this pass,
  near-identical offers crowd each other out of the per-need lists and a third of the money
  at 100k x 50k never sees a candidate;
- both rankings add a pair-specific jitter (`diversity_*`), so that near-identical needs do
  not all list the same few offers (and the reverse).

Measured at 20k x 10k: per-need top-20 plus 8 needs per offer, without jitter, allowed a
flow 24% below the optimum over all allowed pairs; with jitter and money-sized offer lists
the engine ends 0.3% below it, with fewer pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .kinds import RIGHT_KIND, kind_fit
from .parts import combine
from .problem import Problem
from .text import evidence

# need x offer cells per sparse product; the product keeps ~5-20%. Each kept cell costs ~100
# bytes of temporaries (two products, scores, keys): 4 million cells, not 8, and per-offer lists
# reduced every million entries, not four, took the candidate stage's peak at 50k x 25k from
# 473 to 277 MB above the input, for the same candidates (test_matching_same_results.py).
CHUNK_CELLS = 4_000_000
OFFER_LIST_COVER = 16     # an offer's own list covers its money ~16 times over in typical needs
BUFFER_ENTRIES = 1_000_000
PRESELECT_FROM = 20_000   # below this many entries a plain sort is quicker than the histogram
HISTOGRAM_BINS = 32


@dataclass(slots=True)
class Candidates:
    """Candidate pairs as parallel arrays, sorted by (need index, offer index)."""

    need: np.ndarray
    offer: np.ndarray
    text: np.ndarray


@dataclass(slots=True)
class Entries:
    """Scored pairs of one chunk that share at least one term (parallel arrays)."""

    need: np.ndarray
    offer: np.ndarray
    row: np.ndarray        # position of the need in the chunk
    col: np.ndarray        # position of the offer in the block's offers
    cols: np.ndarray       # the block's offers
    n_rows: int
    text: np.ndarray
    score: np.ndarray      # gated score, plus the stability bonus for last run's pairs
    ok: np.ndarray         # passes every hard rule and reaches min_score
    previous: np.ndarray   # proposed in the previous run


def pair_jitter(need_ids: np.ndarray, offer_ids: np.ndarray, salt: int) -> np.ndarray:
    """A fixed pseudo-random number in [0, 1) per (need, offer) pair, from the two ids only.

    Independent per pair: a jitter built from one number per need plus one per offer lines
    similar needs up behind the same offers again, which is the crowding it must break.
    """
    x = (np.asarray(need_ids, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ (
        np.asarray(offer_ids, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F) + np.uint64(salt))
    x ^= x >> np.uint64(29)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(32)
    return (x >> np.uint64(40)).astype(np.float32) * np.float32(1.0 / (1 << 24))


def pair_kind(p: Problem, need: np.ndarray, offer: np.ndarray) -> np.ndarray:
    """Kind-of-help fit of each pair (kinds.py)."""
    pr = p.profiles
    if pr.kind_table is not None:
        return pr.kind_table[pr.asked_bits[need], offer]
    return kind_fit(pr.asked_bits[need], pr.declared_bits[offer], pr.named_bits[offer])


def relevant_entries(cosine: sp.csr_matrix, shared: sp.csr_matrix, gate_min: float):
    """(row, column, cosine, full evidence?) of the relevant pairs above `gate_min`, row by row,
    columns ascending. `shared` is the evidence product of the same pairs (text.evidence): a
    pair that shares no strong term is dropped; one sharing a single kind-of-help word and
    nothing else is kept with full = False (allowed only if the kind of help agrees).

    Weak words (for whom, where, of which general sort) count less in the cosine, but the
    restriction of a need to the offers' words re-normalises: a need whose only word known to
    the offers is "gang" would reach a cosine of 0.4 with any offer naming a gang.
    Both products come from operands of the same pattern, so once sorted they hold the same
    entries in the same order and are read side by side (no elementwise product).
    """
    cosine.sort_indices()
    shared.sort_indices()
    if not (np.array_equal(cosine.indptr, shared.indptr) and np.array_equal(cosine.indices, shared.indices)):
        # Not the same pattern (other callers): keep the pairs both hold, aligned.
        cosine, shared = cosine.multiply(shared > 0).tocsr(), shared.multiply(cosine > 0).tocsr()
        cosine.sort_indices()
        shared.sort_indices()
    level = evidence(shared.data)
    keep = (level > 0) & (cosine.data > gate_min)  # the gate is 0 at or below gate_min
    rows = np.repeat(np.arange(cosine.shape[0]), np.diff(cosine.indptr))[keep]
    return rows, cosine.indices[keep].astype(np.int64), cosine.data[keep].astype(np.float32), level[keep] == 2


def scored_blocks(p: Problem, need_mask: np.ndarray | None = None,
                  offer_mask: np.ndarray | None = None):
    """Yield the Entries of each chunk of each (category, kemantren) block.

    Used by candidate generation and by the benchmark's exact solve over all allowed pairs.
    """
    s = p.context.settings
    n_off = max(len(p.offers), 1)
    rejected = _keys(p.rejected, n_off)
    previous = _keys(p.previous, n_off)
    kel_of_kem = [np.flatnonzero(p.geo.kemantren_of == m) for m in range(len(p.geo.kemantren_codes))]
    order = np.lexsort((p.need_kem, p.need_cat))
    if need_mask is not None:
        order = order[need_mask[order]]
    offer_ok = np.ones(len(p.offers), dtype=bool) if offer_mask is None else offer_mask
    bounds = np.flatnonzero(np.diff(p.need_cat[order]) | np.diff(p.need_kem[order])) + 1
    for rows in np.split(order, bounds) if len(order) else []:
        c, m = p.need_cat[rows[0]], p.need_kem[rows[0]]
        cols = np.flatnonzero((p.cat_fit[c] > 0) & (p.geo_fit[kel_of_kem[m]].max(axis=0) > 0)
                              & offer_ok)
        if cols.size == 0:
            continue
        offer_block = p.offer_vectors[cols].T.tocsr()
        terms_block = p.offer_terms[cols].T.tocsr()
        step = max(1, CHUNK_CELLS // cols.size)
        for start in range(0, rows.size, step):
            chunk = rows[start:start + step]
            r, col, text, full = relevant_entries(p.need_vectors[chunk] @ offer_block,
                                                  p.need_evidence[chunk] @ terms_block, s.gate_min_text)
            need, offer = chunk[r], cols[col]
            geo = p.geo_fit[p.need_kel[need], offer]
            kind = pair_kind(p, need, offer)
            score = combine(p.weights, text, p.cat_fit[c, offer], geo, p.urgency[need],
                            p.poverty[need], p.profiles.severity[need], kind, s).astype(np.float32)
            # One shared kind-of-help word alone is evidence only for the kind asked (text.evidence).
            ok = (score >= s.min_score) & (geo > 0) & (full | (kind >= RIGHT_KIND))
            key = need * n_off + offer
            if rejected.size:
                ok &= ~np.isin(key, rejected)
            prev = np.isin(key, previous) if previous.size else np.zeros(key.size, dtype=bool)
            score[prev] += s.stability_bonus
            yield Entries(need, offer, r, col, cols, chunk.size, text, score, ok, prev)


def generate_candidates(p: Problem, need_mask: np.ndarray | None = None,
                        offer_mask: np.ndarray | None = None) -> Candidates:
    """All pairs worth allocating: per-need top-k, per-offer top-k, and last run's pairs.

    The masks restrict the search to some needs and offers (the residual passes).
    """
    s = p.context.settings
    k_offer = offer_list_lengths(p)
    picked: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    per_offer = _OfferLists(k_offer)
    for e in scored_blocks(p, need_mask, offer_mask):
        n, o, t, sc = e.need[e.ok], e.offer[e.ok], e.text[e.ok], e.score[e.ok]
        rank = sc + s.diversity_need * pair_jitter(p.need_ids[n], p.offer_ids[o], 1)
        first = _top_per_segment(e.row[e.ok], rank, s.top_k_per_need, e.n_rows)
        picked.append((n[first], o[first], t[first]))
        prev = e.previous[e.ok]
        if prev.any():  # last run's pairs stay candidates while they pass the rules
            picked.append((n[prev], o[prev], t[prev]))
        rank = sc + s.diversity_offer * pair_jitter(p.need_ids[n], p.offer_ids[o], 2)
        best = _top_per_segment(e.col[e.ok], rank, k_offer[e.cols], e.cols.size)
        per_offer.add(o[best], n[best], t[best], rank[best])
    picked.append(per_offer.result())
    return _unique_pairs(picked, len(p.offers))


def offer_list_lengths(p: Problem) -> np.ndarray:
    """Needs each offer keeps for itself: enough to spend its money many times over.

    A Rp 500 million offer can fund fifty needs; eight candidates would leave most of it idle.
    The lists of near-identical offers overlap, hence the generous factor.
    """
    s = p.context.settings
    if not len(p.offers):
        return np.zeros(0, dtype=np.int64)
    typical = float(np.mean(p.demand)) if len(p.needs) else 1.0
    wanted = np.ceil(OFFER_LIST_COVER * p.capacity / max(typical, 1.0))
    return np.clip(wanted, s.top_k_per_offer, s.top_k_per_offer_max).astype(np.int64)


class _OfferLists:
    """Running best needs per offer over all chunks, reduced whenever the buffer grows."""

    def __init__(self, k_offer: np.ndarray):
        self.k = k_offer
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.size = 0
        self.kept = 0

    def add(self, offer, need, text, rank) -> None:
        self.parts.append((offer, need, text, rank))
        self.size += offer.size
        # Reduced once the new entries outnumber BUFFER_ENTRIES and the kept ones: re-sorting a
        # kept list of millions after every million new entries made this quadratic at 100k.
        if self.size - self.kept > max(BUFFER_ENTRIES, self.kept):
            self.parts = [self._reduce()]
            self.size = self.kept = self.parts[0][0].size

    def _reduce(self) -> tuple[np.ndarray, ...]:
        offer, need, text, rank = (np.concatenate(x) for x in zip(*self.parts))
        keep = _top_per_segment(offer, rank, self.k, self.k.size)
        return offer[keep], need[keep], text[keep], rank[keep]

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not self.parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        offer, need, text, _ = self._reduce()
        return need, offer, text


def _top_per_segment(segment: np.ndarray, rank: np.ndarray, k, n_segments: int) -> np.ndarray:
    """Indices of the k highest-ranked entries of each segment (0 <= segment < n_segments).

    k is an int or one per segment. Sorting every scored pair was most of the candidate time
    at 100k x 50k, so a histogram of ranks per segment first finds, for each segment, the
    lowest bin that still holds its k best; only entries from there up are sorted.
    """
    if segment.size == 0:
        return np.zeros(0, dtype=np.int64)
    limit = np.broadcast_to(np.asarray(k), (n_segments,))
    keep = np.arange(segment.size)
    lo, hi = float(rank.min()), float(rank.max())
    if segment.size > PRESELECT_FROM and hi > lo:
        # Clipped: with float32 ranks the top rank can round up to bin HISTOGRAM_BINS itself.
        bins = np.minimum(((rank - lo) * ((HISTOGRAM_BINS - 1e-6) / (hi - lo))).astype(np.int64),
                          HISTOGRAM_BINS - 1)
        hist = np.bincount(segment * HISTOGRAM_BINS + bins, minlength=n_segments * HISTOGRAM_BINS)
        at_or_above = np.cumsum(hist.reshape(n_segments, HISTOGRAM_BINS)[:, ::-1], axis=1)[:, ::-1]
        enough = at_or_above >= limit[:, None]
        floor = np.where(enough.any(axis=1), HISTOGRAM_BINS - 1 - np.argmax(enough[:, ::-1], axis=1), 0)
        keep = np.flatnonzero(bins >= floor[segment])
    # One float key instead of lexsort (several times faster): rank lies in [-1, 2), so
    # segment * 4 - rank orders by segment, then best rank first; float64 keeps 1e-9 detail.
    order = keep[np.argsort(segment[keep] * 4.0 - rank[keep])]
    seg = segment[order]
    starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
    position = np.arange(seg.size) - np.repeat(starts, np.diff(np.r_[starts, seg.size]))
    return order[position < limit[seg]]


def _keys(pairs: dict[int, np.ndarray], n_off: int) -> np.ndarray:
    if not pairs:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate([i * n_off + js for i, js in pairs.items()]))


def _unique_pairs(parts, n_offers: int) -> Candidates:
    need = np.concatenate([x[0] for x in parts]).astype(np.int64)
    offer = np.concatenate([x[1] for x in parts]).astype(np.int64)
    text = np.concatenate([x[2] for x in parts]).astype(np.float32)
    _, first = np.unique(need * max(n_offers, 1) + offer, return_index=True)
    return Candidates(need=need[first], offer=offer[first], text=text[first])
