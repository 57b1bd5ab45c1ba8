"""Incremental path: rank the offers for one need (e.g. while a coordinator writes it)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .geography import Geography
from .model import BREAKDOWN_KEYS, MatchContext, Need, Offer, RankedOffer
from .kinds import RIGHT_KIND, _kind_bits, kind_fit, split_exclusions
from .parts import category_fit, combine, poverty_part, text_part, urgency_part
from .problem import Problem, build_problem, need_profile, offer_document
from .reasons import explain
from .text import TextModel, document, evidence


class OfferIndex:
    """Offers prepared once (TF-IDF vectors, category and area tables) for fast single-need ranking.

    Pass the open needs as `needs` too when you have them, so word weights (IDF) match those
    of a full run and the score shown while writing is the score the run will use.
    """

    def __init__(self, offers: Sequence[Offer], geography: Geography, context: MatchContext,
                 needs: Sequence[Need] = ()):
        corpus = [offer_document(o) for o in offers]
        corpus += [document(n.title, n.description) for n in needs]
        model = TextModel(corpus or [""], n_reference=len(offers))
        self.problem: Problem = build_problem((), offers, geography, context, text_model=model)
        self._cat_row = {c: self.problem.cat_fit[k] for k, c in enumerate(self.problem.categories)}
        self._excluded: list[set[int]] | None = None

    def excluded_terms(self, j: int) -> set[int]:
        """Term ids of the head words offer j excludes ("Tidak untuk rumah pribadi" -> rumah)."""
        if self._excluded is None:
            vocabulary = {t: k for k, t in enumerate(self.problem.text_model.terms.tolist())}
            self._excluded = []
            for offer in self.problem.offers:
                heads = set()
                for item in split_exclusions(offer.description)[1]:
                    terms = self.problem.text_model.analyzer(item)
                    if terms and terms[0] in vocabulary:
                        heads.add(vocabulary[terms[0]])
                self._excluded.append(heads)
        return self._excluded[j]

    def category_row(self, category: str) -> np.ndarray:
        """Category part per offer for `category`, computed on the fly for an unseen code."""
        if category not in self._cat_row:
            self._cat_row[category] = np.array(
                [category_fit(o, category) for o in self.problem.offers], dtype=np.float32)
        return self._cat_row[category]


def build_offer_index(offers: Sequence[Offer], geography: Geography, context: MatchContext,
                      needs: Sequence[Need] = ()) -> OfferIndex:
    """Prepare offers for `rank_offers_for_need`; rebuild when offers change."""
    return OfferIndex(offers, geography, context, needs)


def rank_offers_for_need(need: Need, offers: Sequence[Offer] | None = None,
                         geography: Geography | None = None, context: MatchContext | None = None,
                         index: OfferIndex | None = None, limit: int = 10) -> list[RankedOffer]:
    """The offers that may serve `need`, best first, each with score, breakdown and reasons.

    Hard rules and the relevance gate apply as in a full run; pairs below min_score are left
    out. Give a prebuilt `index` for speed, or `offers`, `geography` and `context`.
    """
    if index is None:
        if offers is None or geography is None or context is None:
            raise ValueError("berikan index, atau offers + geography + context")
        index = build_offer_index(offers, geography, context)
    p = index.problem
    ctx = context or p.context
    if need.kelurahan_code not in p.geo.index or not p.offers:
        return []
    kel = p.geo.index[need.kelurahan_code]
    doc = document(need.title, need.description)
    full = p.text_model.transform([doc])
    x = p.text_model.restrict(full)
    text = np.asarray((p.offer_vectors @ x.T).todense()).ravel().astype(np.float32)
    level = evidence(np.asarray((p.offer_terms @ p.text_model.evidence_rows(x).T).todense()).ravel())
    text[level == 0] = 0.0
    cat, geo = index.category_row(need.category), p.geo_fit[kel]
    urg = urgency_part(need, ctx.today)
    pov = poverty_part(need, float(p.spread[kel]))
    analyzer = p.text_model.analyzer
    sev, severe, comfort, asked = need_profile(analyzer.bridged(analyzer.words(doc)),
                                               need.title + " " + need.description)
    kind = kind_fit(np.full(len(p.offers), _kind_bits(asked), dtype=np.int64), p.profiles.declared_bits,
                    p.profiles.named_bits)
    score = combine(p.weights, text, cat, geo, urg, pov, sev, kind, ctx.settings)
    ok = (cat > 0) & (geo > 0) & (score >= ctx.settings.min_score) & ((level == 2) | (kind >= RIGHT_KIND))
    for offer_id in {o for n, o in ctx.rejected_pairs if n == need.id}:
        ok &= p.offer_ids != offer_id
    terms = set(full.indices.tolist())
    for j in np.flatnonzero(ok).tolist():
        if index.excluded_terms(j) & terms:
            ok[j] = False
    top = np.flatnonzero(ok)
    top = top[np.lexsort((p.offer_ids[top], -score[top]))][:limit]
    out = []
    for j in top.tolist():
        values = (text_part(text[j], ctx.settings), cat[j], geo[j], urg, pov, sev, kind[j])
        parts = {name: round(float(v), 4) for name, v in zip(BREAKDOWN_KEYS, values)}
        reasons = explain(need, p.offers[j], parts, p.weights,
                          p.text_model.shared_terms(x, p.offer_vectors, row_b=j), p.geo,
                          ctx.category_labels, ctx.today, float(p.spread[kel]),
                          (severe, comfort, asked, p.profiles.gives[j]))
        out.append(RankedOffer(offer_id=p.offers[j].id, score=round(float(score[j]), 4),
                               breakdown=parts, reasons=reasons))
    return out

