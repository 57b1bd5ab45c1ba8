"""Incremental path: rank the offers for one need (e.g. while a coordinator writes it)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .geography import Geography
from .model import PARTS, MatchContext, Need, Offer, RankedOffer
from .parts import category_fit, combine, poverty_part, urgency_part
from .problem import Problem, build_problem
from .reasons import explain
from .text import TextModel, document


class OfferIndex:
    """Offers prepared once (TF-IDF vectors, category and area tables) for fast single-need ranking.

    Pass the open needs as `needs` too when you have them, so word weights (IDF) match those
    of a full run and the score shown while writing is the score the run will use.
    """

    def __init__(self, offers: Sequence[Offer], geography: Geography, context: MatchContext,
                 needs: Sequence[Need] = ()):
        corpus = [document(o.title, o.description) for o in offers]
        corpus += [document(n.title, n.description) for n in needs]
        model = TextModel(corpus or [""])
        self.problem: Problem = build_problem((), offers, geography, context, text_model=model)
        self._cat_row = {c: self.problem.cat_fit[k] for k, c in enumerate(self.problem.categories)}

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
    x = p.text_model.transform([document(need.title, need.description)])
    text = np.asarray((p.offer_vectors @ x.T).todense()).ravel().astype(np.float32)
    cat, geo = index.category_row(need.category), p.geo_fit[kel]
    urg = urgency_part(need, ctx.today)
    pov = poverty_part(need, float(p.spread[kel]))
    score = combine(p.weights, text, cat, geo, urg, pov, ctx.settings)
    ok = (cat > 0) & (geo > 0) & (score >= ctx.settings.min_score)
    for offer_id in {o for n, o in ctx.rejected_pairs if n == need.id}:
        ok &= p.offer_ids != offer_id
    top = np.flatnonzero(ok)
    top = top[np.lexsort((p.offer_ids[top], -score[top]))][:limit]
    out = []
    for j in top.tolist():
        parts = {name: round(float(v), 4)
                 for name, v in zip(PARTS, (text[j], cat[j], geo[j], urg, pov))}
        reasons = explain(need, p.offers[j], parts, p.weights,
                          p.text_model.shared_terms(x, p.offer_vectors, row_b=j), p.geo,
                          ctx.category_labels, ctx.today, float(p.spread[kel]))
        out.append(RankedOffer(offer_id=p.offers[j].id, score=round(float(score[j]), 4),
                               breakdown=parts, reasons=reasons))
    return out

