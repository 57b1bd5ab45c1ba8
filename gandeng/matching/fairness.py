"""Fairness across the city: the flow's diminishing returns per kemantren, and the run's figures.

Groups are (category, kemantren). A group's fair share of what a category can receive (min of
its needs' Rp and the Rp of offers covering it, an offer's money split over its categories) is
half an equal part among the kemantren that posted needs in it and half in proportion to the
KMS households of those needs. Money beyond the fair share gives up `fairness` score
per band of half a fair share, rising band by band (flow.Steps), so equal-merit needs spread
over kemantren instead of following the kemantren that posted most. `fairness = 0` turns it off.

The run reports the weighted Gini of Rp per KMS household across the kelurahan that posted
needs (every KMS household of those needs counts once) and each kemantren's share of the
proposed Rp, per category.
"""

from __future__ import annotations

import numpy as np

from .flow import Steps

BANDS = 10             # first band free (the fair share), then 9 of half a fair share each
BAND_WIDTH = 0.5
EQUAL_PART = 0.5


def build_steps(p, weight_unit: int) -> Steps | None:
    """The fairness steps of a problem; None when the weight is 0 or nothing is contested."""
    fairness = p.context.settings.fairness
    if fairness <= 0 or not len(p.needs):
        return None
    n_kem = max(len(p.geo.kemantren_codes), 1)
    n_groups = len(p.categories) * n_kem
    demand_by_group = np.bincount(p.need_group, weights=p.demand, minlength=n_groups)
    demand_by_cat = demand_by_group.reshape(len(p.categories), n_kem).sum(axis=1)
    covers = (p.cat_fit > 0).astype(np.float64)  # (categories, offers)
    # An offer covering several categories counts its money once, split evenly over them.
    share = covers / np.maximum(covers.sum(axis=0), 1.0)
    supply_by_cat = share @ p.capacity.astype(np.float64)
    posting = (demand_by_group.reshape(len(p.categories), n_kem) > 0).sum(axis=1)
    money = np.minimum(demand_by_cat, supply_by_cat)
    # Fair share: half an equal part per kemantren that posted in the category, half in
    # proportion to the KMS households of its needs there (poverty counts, posting more does not
    # buy the whole category).
    kms = np.array([n.kms_households for n in p.needs], dtype=np.float64)
    kms_group = np.bincount(p.need_group, weights=kms, minlength=n_groups).reshape(len(p.categories), n_kem)
    kms_share = kms_group / np.maximum(kms_group.sum(axis=1, keepdims=True), 1.0)
    equal = (demand_by_group.reshape(len(p.categories), n_kem) > 0) / np.maximum(posting, 1)[:, None]
    fair_group = (money[:, None] * (EQUAL_PART * equal + (1 - EQUAL_PART) * kms_share)).ravel()
    caps = np.zeros((n_groups, BANDS), dtype=np.int64)
    caps[:, 0] = np.ceil(fair_group)
    for b in range(1, BANDS - 1):
        caps[:, b] = np.ceil(fair_group * BAND_WIDTH)
    caps[:, BANDS - 1] = np.ceil(demand_by_group)  # the rest, at the highest cost
    # Uncontested categories (the offers cover every need) need no steps.
    contested = np.repeat(supply_by_cat < demand_by_cat, n_kem)
    if not contested.any():
        return None
    caps[~contested, 0] = np.ceil(demand_by_group[~contested]) + 1
    caps[~contested, 1:] = 0
    cost = np.rint(np.arange(BANDS) * fairness * weight_unit).astype(np.int64)
    return Steps(group=p.need_group.astype(np.int64), caps=caps, cost=cost)


def weighted_gini(values: np.ndarray, weights: np.ndarray) -> float | None:
    """Gini of `values`, each counted `weights` times; None when undefined (no weight or no money)."""
    keep = weights > 0
    x, w = values[keep].astype(np.float64), weights[keep].astype(np.float64)
    if x.size == 0 or (x * w).sum() <= 0:
        return None
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    before = np.cumsum(w) - w
    total_w = w.sum()
    return float(max(0.0, (w * x * (2 * before + w - total_w)).sum() / (total_w * (w * x).sum())))


def run_figures(p, pairs_need: np.ndarray, flow: np.ndarray) -> dict:
    """Gini of Rp per KMS household across kelurahan with needs, and kemantren shares per category."""
    funded = np.bincount(pairs_need, weights=flow, minlength=len(p.needs))
    kms = np.array([n.kms_households for n in p.needs], dtype=np.float64)
    n_kel = len(p.geo)
    rp_kel = np.bincount(p.need_kel, weights=funded, minlength=n_kel)
    kms_kel = np.bincount(p.need_kel, weights=kms, minlength=n_kel)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_kms = np.where(kms_kel > 0, rp_kel / np.maximum(kms_kel, 1), 0.0)
    gini = weighted_gini(per_kms, kms_kel)
    shares: dict[str, dict[str, float]] = {}
    n_kem = len(p.geo.kemantren_codes)
    for c, category in enumerate(p.categories):
        mine = p.need_cat == c
        total = funded[mine].sum()
        if total <= 0:
            continue
        by_kem = np.bincount(p.need_kem[mine], weights=funded[mine], minlength=n_kem)
        shares[category] = {p.geo.kemantren_codes[m]: round(float(by_kem[m] / total), 4)
                            for m in np.flatnonzero(by_kem > 0).tolist()}
    total = funded.sum()
    by_kem = np.bincount(p.need_kem, weights=funded, minlength=n_kem) if len(p.needs) else np.zeros(n_kem)
    return {
        "gini_rp_per_kms": None if gini is None else round(gini, 4),
        "kemantren_share": {p.geo.kemantren_codes[m]: round(float(by_kem[m] / total), 4)
                            for m in np.flatnonzero(by_kem > 0).tolist()} if total > 0 else {},
        "kemantren_share_by_category": shares,
        "max_kemantren_share_in_category": max((max(v.values()) for v in shares.values()), default=0.0),
        "fairness_weight": p.context.settings.fairness,
    }
