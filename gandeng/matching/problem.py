"""Needs, offers and context turned into the arrays every stage works on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .geography import Geography
from .model import MatchContext, Need, Offer
from .kinds import KIND_INDEX, _kind_bits, kind_fit, offer_gives, read_need, split_exclusions
from .lexicon import load_lexicon
from .parts import (category_matrix, geography_matrix, poverty_part, spread_factor,
                    urgency_levels_valid, urgency_part)
from .text import _TOKEN, TextModel, document


@dataclass(slots=True)
class Profiles:
    """What the needs describe and ask for, what the offers give and exclude (kinds.py)."""

    severity: np.ndarray          # per need, 0..1
    severe_words: list[tuple[str, ...]]
    comfort_words: list[tuple[str, ...]]
    asked: list[tuple[str, ...]]
    asked_bits: np.ndarray        # per need, bit mask over OFFER_KINDS
    gives: list[tuple[str, ...]]
    declared_bits: np.ndarray     # per offer: its declared kind
    named_bits: np.ndarray        # per offer: other kinds its words name
    excluded: dict[int, np.ndarray]   # need index -> offer indices whose exclusions name the need
    kind_table: np.ndarray | None = None   # (asked bit masks, offers): kind_fit of every pair


def kind_table(declared_bits: np.ndarray, named_bits: np.ndarray) -> np.ndarray:
    """kind_fit for every asked bit mask against every offer: a pair's fit is then one look-up
    (the candidate search asks it for millions of pairs)."""
    n_masks = 1 << len(KIND_INDEX)
    asked = np.repeat(np.arange(n_masks, dtype=np.int64), declared_bits.size)
    return kind_fit(asked, np.tile(declared_bits, n_masks), np.tile(named_bits, n_masks)).reshape(
        n_masks, declared_bits.size)


def offer_document(offer: Offer, split: tuple[str, tuple[str, ...]] | None = None) -> str:
    """The offer's compared text: title and description without its exclusion clauses
    (`split`: the description's split_exclusions, when already computed)."""
    return document(offer.title, (split or split_exclusions(offer.description))[0])


def need_profile(bridged_words: list[str], raw_text: str | None):
    """Severity, its words and what a need asks for, from its bridged and raw words.

    `raw_text` None: the bridge changed none of the need's words, so the raw words hold no
    condition word the bridged ones lack (they are the same words, the title once less).
    """
    raw = _TOKEN.findall(raw_text.lower()) if raw_text is not None else None
    return read_need(bridged_words, raw, load_lexicon())


def build_profiles(needs, offers, need_words, offer_words, model: TextModel, need_vectors,
                   bridge_changed: Sequence[bool] | None = None,
                   splits: Sequence[tuple[str, tuple[str, ...]]] | None = None) -> Profiles:
    """Profiles of every need and offer (words already bridged); exclusions matched on the needs' terms.

    `bridge_changed[i]`: the bridge rewrote some word of need i (else its raw words are not read
    again); `splits`: each offer's split_exclusions, when already computed.
    """
    sev, severe, comfort, asked = [], [], [], []
    for k, (need, words) in enumerate(zip(needs, need_words)):
        raw = (need.title + " " + need.description) if bridge_changed is None or bridge_changed[k] else None
        value, s_words, c_words, kinds = need_profile(words, raw)
        sev.append(value)
        severe.append(s_words)
        comfort.append(c_words)
        asked.append(kinds)
    gives = [offer_gives(o.kind, words) for o, words in zip(offers, offer_words)]
    excluded: dict[int, list[int]] = defaultdict(list)
    vocabulary = {t: k for k, t in enumerate(model.terms.tolist())}
    columns = None
    for j, offer in enumerate(offers):
        heads = set()
        for item in (splits[j] if splits is not None else split_exclusions(offer.description))[1]:
            terms = model.analyzer(item)
            if terms and terms[0] in vocabulary:
                heads.add(vocabulary[terms[0]])
        if not heads or need_vectors.shape[0] == 0:
            continue
        if columns is None:
            columns = need_vectors.tocsc()
        for t in heads:
            for i in columns.indices[columns.indptr[t]:columns.indptr[t + 1]].tolist():
                excluded[i].append(j)
    declared_bits = np.array([_kind_bits([o.kind] if o.kind in KIND_INDEX else []) for o in offers],
                             dtype=np.int64)
    named_bits = np.array([_kind_bits([k for k in g if k != o.kind]) for o, g in zip(offers, gives)],
                          dtype=np.int64)
    return Profiles(
        severity=np.array(sev, dtype=np.float32), severe_words=severe, comfort_words=comfort,
        asked=asked, asked_bits=np.array([_kind_bits(k) for k in asked], dtype=np.int64),
        gives=gives, declared_bits=declared_bits, named_bits=named_bits,
        excluded={i: np.array(sorted(set(js)), dtype=np.int64) for i, js in excluded.items()},
        kind_table=kind_table(declared_bits, named_bits),
    )


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
    profiles: Profiles
    need_group: np.ndarray      # fairness group (category x kemantren) per need
    need_vectors: sp.csr_matrix
    offer_vectors: sp.csr_matrix
    need_evidence: sp.csr_matrix    # the needs' terms by sort (TextModel.evidence_rows)
    offer_terms: sp.csr_matrix      # 0/1: the offers' terms
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
    splits = [split_exclusions(o.description) for o in usable_offers]
    offer_docs = [offer_document(o, split) for o, split in zip(usable_offers, splits)]
    if text_model is None:
        corpus = offer_docs + [document(n.title, n.description) for n in usable_needs]
        text_model = TextModel(corpus, n_reference=len(usable_offers))
        offer_vectors = text_model.fitted[:len(usable_offers)]
        need_vectors = text_model.fitted[len(usable_offers):]
        offer_words = text_model.fitted_bridged[:len(usable_offers)]
        need_words = text_model.fitted_bridged[len(usable_offers):]
        need_changed = text_model.fitted_changed[len(usable_offers):]
        text_model.fitted_bridged, text_model.fitted_changed = [], []  # large at national scale
    else:
        offer_vectors = text_model.transform(offer_docs)
        need_vectors = text_model.transform([document(n.title, n.description) for n in usable_needs])
        an = text_model.analyzer
        offer_words = [an.bridged(an.words(doc)) for doc in offer_docs]
        need_words = [an.bridged(an.words(document(n.title, n.description))) for n in usable_needs]
        need_changed = None
    del offer_docs
    profiles = build_profiles(usable_needs, usable_offers, need_words, offer_words, text_model, need_vectors,
                              need_changed, splits)
    del splits
    need_vectors = text_model.restrict(need_vectors)
    need_cat = np.array([cat_index[n.category] for n in usable_needs], dtype=np.int64)
    need_kem = geo.kemantren_of[need_kel] if len(need_kel) else need_kel
    need_ids = np.array([n.id for n in usable_needs], dtype=np.int64)
    offer_ids = np.array([o.id for o in usable_offers], dtype=np.int64)
    return Problem(
        needs=usable_needs, offers=usable_offers, geo=geo, context=context,
        weights=context.weights.normalised(), categories=categories,
        need_cat=need_cat, need_kel=need_kel, need_kem=need_kem,
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
        text_model=text_model, profiles=profiles,
        need_group=need_cat * max(len(geo.kemantren_codes), 1) + need_kem if len(need_kel) else need_kel,
        need_vectors=need_vectors, offer_vectors=offer_vectors,
        need_evidence=text_model.evidence_rows(need_vectors), offer_terms=text_model.term_rows(offer_vectors),
        rejected=_merge(_pair_index(context.rejected_pairs, need_ids, offer_ids), profiles.excluded),
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


def _merge(a: dict[int, np.ndarray], b: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Union of two need index -> offer indices maps (rejected pairs and excluded pairs)."""
    out = dict(a)
    for i, js in b.items():
        out[i] = np.union1d(out[i], js) if i in out else js
    return out
