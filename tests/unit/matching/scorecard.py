"""Scoring a matching result against a labelled set: precision, coverage, violations, fairness.

Written with the kampung cases (tests/data/matching/kampung.json) before the engine was tuned.

- precision: share of proposed Rp that goes to one of the need's right offers;
- coverage: share of the Rp that should be funded that is funded from a right offer. Should be
  funded: every need with a right offer except scarcity losers (`loses_to`), and for each
  contested group the money its offer holds (not every need of the group can be funded);
- violations: a broken hard rule (category, area, expiry); a scarcity loser funded from an offer
  that a need it loses to could use while that need is not fully funded; a need funded from a
  wrong offer while one of its right offers is left with enough unused money to fund it;
- fairness: per contested group, the largest share of its offer's proposed Rp going to one
  kemantren, and the weighted Gini of that Rp per KMS household across the group's kelurahan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass
class Scorecard:
    precision: float
    coverage: float
    violations: list[str]
    top_kemantren_share: dict[str, float]
    gini: dict[str, float]

    def line(self) -> str:
        shares = ", ".join(f"{g} {v:.2f}" for g, v in self.top_kemantren_share.items())
        ginis = ", ".join(f"{g} {v:.2f}" for g, v in self.gini.items())
        return (f"precision {self.precision:.3f}, coverage {self.coverage:.3f}, "
                f"violations {len(self.violations)}, top kemantren share {shares}, Gini {ginis}")


def gini(values, weights) -> float:
    pairs = sorted((float(x), float(w)) for x, w in zip(values, weights) if w > 0)
    total_w = sum(w for _, w in pairs)
    total = sum(x * w for x, w in pairs)
    if total <= 0:
        return 0.0
    before = spread = 0.0
    for x, w in pairs:
        spread += w * x * (2 * before + w - total_w)
        before += w
    return spread / (total_w * total)


def score(labelled, result, geo) -> Scorecard:
    needs, offers, right, today, extra = labelled
    need_of = {n.id: n for n in needs}
    offer_of = {o.id: o for o in offers}
    got = defaultdict(int)
    used = defaultdict(int)
    for p in result.proposals:
        got[p.need_id] += p.amount_rp
        used[p.offer_id] += p.amount_rp
    left = {o.id: o.remaining_rp - used[o.id] for o in offers}
    proposed = sum(p.amount_rp for p in result.proposals)
    on_right = sum(p.amount_rp for p in result.proposals if p.offer_id in right[p.need_id])
    loses_to = extra["loses_to"]
    group_of = extra["contested_need"]
    groups = extra["contested"]
    expected = sum(n.remaining_rp for n in needs
                   if right[n.id] and not loses_to.get(n.id) and n.id not in group_of)
    expected += sum(offer_of[g["offer"]].remaining_rp for g in groups.values())
    on_right_expected = sum(p.amount_rp for p in result.proposals
                            if p.offer_id in right[p.need_id] and not loses_to.get(p.need_id))
    violations = []
    for p in result.proposals:
        need, offer = need_of[p.need_id], offer_of[p.offer_id]
        if offer.categories and need.category not in offer.categories:
            violations.append(f"{p.need_id}->{p.offer_id}: kategori")
        if not geo.covered(offer.areas)[geo.index[need.kelurahan_code]]:
            violations.append(f"{p.need_id}->{p.offer_id}: wilayah")
        if offer.valid_until is not None and offer.valid_until < today:
            violations.append(f"{p.need_id}->{p.offer_id}: kedaluwarsa")
        for winner in loses_to.get(p.need_id, ()):
            if p.offer_id in right[winner] and got[winner] < need_of[winner].remaining_rp:
                violations.append(f"{p.need_id}->{p.offer_id}: didahulukan dari {winner}")
        if p.offer_id not in right[p.need_id]:
            room = [o for o in right[p.need_id] if left[o] >= need.remaining_rp - got[p.need_id] + p.amount_rp]
            if room:
                violations.append(f"{p.need_id}->{p.offer_id}: jenis salah, {room[0]} masih ada dana")
    top_share, ginis = {}, {}
    for name, group in groups.items():
        members = [n for n in needs if group_of.get(n.id) == name]
        from_offer = defaultdict(int)
        for p in result.proposals:
            if p.offer_id == group["offer"]:
                from_offer[p.need_id] += p.amount_rp
        total = sum(from_offer[n.id] for n in members)
        by_kem = defaultdict(int)
        by_kel = defaultdict(lambda: [0, 0])
        for n in members:
            by_kem[n.kemantren_code] += from_offer[n.id]
            by_kel[n.kelurahan_code][0] += from_offer[n.id]
            by_kel[n.kelurahan_code][1] += n.kms_households
        top_share[name] = max(by_kem.values()) / total if total else 0.0
        ginis[name] = gini([rp / kms for rp, kms in by_kel.values()], [kms for _, kms in by_kel.values()])
    return Scorecard(precision=on_right / proposed if proposed else 0.0,
                     coverage=on_right_expected / expected if expected else 1.0,
                     violations=violations, top_kemantren_share=top_share, gini=ginis)
