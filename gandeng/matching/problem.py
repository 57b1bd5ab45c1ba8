"""Needs, offers and context turned into the arrays every stage works on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .geography import Geography
from .model import MatchContext, Need, Offer
from .parts import (category_matrix, geography_matrix, poverty_part, spread_factor,
                    urgency_levels_valid, urgency_part)
from .text import TextModel, document


@dataclass(slots=True)
class Problem:
    """One matching run in array form; needs and offers sorted by id so results are deterministic."""

    needs: tuple[Need, ...]
    offers: tuple[Offer, ...]
    geo: Geography
    context: MatchContext
    weights: tuple[float, ...]
    categories: tuple[str, ...]
    need_cat: np.ndarray        # category index per need
    need_kel: np.ndarray        # kelurahan index per need
    need_kem: np.ndarray        # kemantren index per need
    need_ids: np.ndarray
    offer_ids: np.ndarray
    demand: np.ndarray          # remaining Rp per need (int64)
    capacity: np.ndarray        # remaining Rp per offer (int64)
    partial_ok: np.ndarray
    urgency: np.ndarray
    poverty: np.ndarray
    cat_fit: np.ndarray         # (categories, offers), 0 = category rule fails
    geo_fit: np.ndarray         # (kelurahan, offers), 0 = area rule fails
    spread: np.ndarray          # per kelurahan: 1 = received nothing so far
    text_model: TextModel
    need_vectors: sp.csr_matrix
    offer_vectors: sp.csr_matrix
    rejected: dict[int, np.ndarray]   # need index -> offer indices never to pair
    previous: dict[int, np.ndarray]   # need index -> offer indices proposed last time
    skipped_needs: int
    skipped_offers: int


def offer_is_valid(offer: Offer, context: MatchContext) -> bool:
    """Hard rule: the offer still has money and has not expired."""
    if offer.remaining_rp <= 0:
        return False
    return offer.valid_until is None or offer.valid_until >= context.today


def build_problem(needs: Sequence[Need], offers: Sequence[Offer], geo: Geography,
                  context: MatchContext, text_model: TextModel | None = None) -> Problem:
    """Filter to matchable needs and offers, then compute every per-need and per-offer array."""
    urgency_levels_valid(needs)
    usable_needs = tuple(sorted((n for n in needs if n.remaining_rp > 0 and n.kelurahan_code in geo.index),
                                key=lambda n: n.id))
    usable_offers = tuple(sorted((o for o in offers if offer_is_valid(o, context)), key=lambda o: o.id))
    categories = tuple(sorted({n.category for n in usable_needs}
                              | {c for o in usable_offers for c in o.categories}
                              | set(context.category_labels)))
    cat_index = {c: i for i, c in enumerate(categories)}
    need_kel = np.array([geo.index[n.kelurahan_code] for n in usable_needs], dtype=np.int64)
    spread = spread_factor(context.received_rp_by_kelurahan, [k.code for k in geo.kelurahan])
    if text_model is None:
        corpus = [document(o.title, o.description) for o in usable_offers]
        corpus += [document(n.title, n.description) for n in usable_needs]
        text_model = TextModel(corpus)
        offer_vectors = text_model.fitted[:len(usable_offers)]
        need_vectors = text_model.fitted[len(usable_offers):]
    else:
        offer_vectors = text_model.transform([document(o.title, o.description) for o in usable_offers])
        need_vectors = text_model.transform([document(n.title, n.description) for n in usable_needs])
    need_ids = np.array([n.id for n in usable_needs], dtype=np.int64)
    offer_ids = np.array([o.id for o in usable_offers], dtype=np.int64)
    return Problem(
        needs=usable_needs, offers=usable_offers, geo=geo, context=context,
        weights=context.weights.normalised(), categories=categories,
        need_cat=np.array([cat_index[n.category] for n in usable_needs], dtype=np.int64),
        need_kel=need_kel, need_kem=geo.kemantren_of[need_kel] if len(need_kel) else need_kel,
        need_ids=need_ids, offer_ids=offer_ids,
        demand=np.array([n.remaining_rp for n in usable_needs], dtype=np.int64),
        capacity=np.array([o.remaining_rp for o in usable_offers], dtype=np.int64),
        partial_ok=np.array([n.partial_ok for n in usable_needs], dtype=bool),
        urgency=np.array([urgency_part(n, context.today) for n in usable_needs], dtype=np.float32),
        poverty=np.array([poverty_part(n, spread[k]) for n, k in zip(usable_needs, need_kel)],
                         dtype=np.float32),
        cat_fit=category_matrix(usable_offers, categories),
        geo_fit=geography_matrix(usable_offers, geo),
        spread=spread,
        text_model=text_model,
        need_vectors=need_vectors, offer_vectors=offer_vectors,
        rejected=_pair_index(context.rejected_pairs, need_ids, offer_ids),
        previous=_pair_index(context.previous_pairs, need_ids, offer_ids),
        skipped_needs=len(needs) - len(usable_needs),
        skipped_offers=len(offers) - len(usable_offers),
    )


def _pair_index(pairs, need_ids: np.ndarray, offer_ids: np.ndarray) -> dict[int, np.ndarray]:
    """(need_id, offer_id) pairs as need index -> sorted offer indices, ignoring unknown ids."""
    need_pos = {int(v): i for i, v in enumerate(need_ids)}
    offer_pos = {int(v): j for j, v in enumerate(offer_ids)}
    grouped: dict[int, list[int]] = defaultdict(list)
    for need_id, offer_id in pairs:
        if need_id in need_pos and offer_id in offer_pos:
            grouped[need_pos[need_id]].append(offer_pos[offer_id])
    return {i: np.array(sorted(js), dtype=np.int64) for i, js in grouped.items()}
