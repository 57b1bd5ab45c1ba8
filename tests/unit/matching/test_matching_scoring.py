"""Score parts, weights and the relevance gate."""

from datetime import timedelta

import numpy as np
import pytest

from gandeng.matching import BREAKDOWN_KEYS, Settings, Weights, rank_offers_for_need, run_matching
from gandeng.matching.parts import gate, poverty_part, spread_factor, urgency_part
from places import BUMIJO, GIWANGAN, GOWONGAN, JETIS, TODAY


def only(result):
    assert len(result.proposals) == 1
    return result.proposals[0]


def test_score_and_every_part_lie_between_zero_and_one(geo, context, make_need, make_offer):
    needs = [make_need(i, urgency=u, kms_households=k, deadline=TODAY + timedelta(days=d))
             for i, (u, k, d) in enumerate([("darurat", 10, -5), ("rendah", 0, 400), ("tinggi", 7, 3)], 1)]
    result = run_matching(needs, [make_offer(areas=(BUMIJO,))], geo, context())
    assert len(result.proposals) == 3
    for p in result.proposals:
        assert 0 <= p.score <= 1
        assert set(p.breakdown) == set(BREAKDOWN_KEYS)
        assert all(0 <= v <= 1 for v in p.breakdown.values())


def test_unrelated_text_scores_zero_whatever_the_other_parts(geo, context, make_need, make_offer):
    need = make_need(urgency="darurat", kms_households=10, households=10)
    offer = make_offer(title="Beasiswa anak sekolah", description="Biaya SPP dan seragam SD.",
                       categories=(), areas=(BUMIJO,))
    result = run_matching([need], [offer], geo, context())
    assert result.proposals == ()
    assert result.unmatched_offers[0].candidate_count == 0
    assert rank_offers_for_need(need, [offer], geo, context()) == []


def test_gate_opens_linearly_between_its_thresholds():
    s = Settings(gate_min_text=0.1, gate_full_text=0.3)
    assert gate(np.array([0.0, 0.1, 0.2, 0.3, 0.9]), s).tolist() == pytest.approx([0, 0, 0.5, 1, 1])


def test_same_kelurahan_beats_same_kemantren_beats_whole_city(geo, context, make_need, make_offer):
    need = make_need(kelurahan_code=GOWONGAN)
    offers = [make_offer(100, areas=()), make_offer(101, areas=(JETIS,)), make_offer(102, areas=(GOWONGAN,))]
    ranked = rank_offers_for_need(need, offers, geo, context())
    assert [r.offer_id for r in ranked] == [102, 101, 100]
    geos = [r.breakdown["geography"] for r in ranked]
    assert geos == sorted(geos, reverse=True) and geos[0] == 1.0


def test_nearer_target_area_scores_higher_geography(geo, context, make_need, make_offer):
    need = make_need(kelurahan_code=BUMIJO)
    near = make_offer(100, areas=(BUMIJO, GOWONGAN))
    far = make_offer(101, areas=(BUMIJO, GIWANGAN))
    by_id = {r.offer_id: r for r in rank_offers_for_need(need, [near, far], geo, context())}
    assert by_id[100].breakdown["geography"] > by_id[101].breakdown["geography"]


def test_offer_naming_the_category_beats_a_generalist(geo, context, make_need, make_offer):
    offers = [make_offer(100, categories=()), make_offer(101, categories=("sanitation", "housing", "health")),
              make_offer(102, categories=("sanitation",))]
    ranked = rank_offers_for_need(make_need(), offers, geo, context())
    assert [r.breakdown["category"] for r in ranked] == [1.0, 0.8, 0.5]


def test_urgency_rises_with_level_and_near_deadline(make_need):
    parts = [urgency_part(make_need(urgency=u), TODAY) for u in ("rendah", "sedang", "tinggi", "darurat")]
    assert parts == sorted(parts) and len(set(parts)) == 4
    near = urgency_part(make_need(deadline=TODAY + timedelta(days=7)), TODAY)
    far = urgency_part(make_need(deadline=TODAY + timedelta(days=150)), TODAY)
    none = urgency_part(make_need(deadline=None), TODAY)
    assert near > far > none


def test_poverty_favours_kms_households_and_kelurahan_that_received_little(geo, make_need):
    assert poverty_part(make_need(kms_households=8), 0.5) > poverty_part(make_need(kms_households=1), 0.5)
    spread = spread_factor({BUMIJO: 90_000_000, GOWONGAN: 0}, [k.code for k in geo.kelurahan])
    assert spread[geo.index[GOWONGAN]] == 1.0
    assert spread[geo.index[BUMIJO]] < 0.1


def test_kelurahan_that_received_less_gets_the_money(geo, context, make_need, make_offer):
    needs = [make_need(1, BUMIJO), make_need(2, GOWONGAN)]
    offer = make_offer(remaining_rp=10_000_000)
    result = run_matching(needs, [offer], geo, context(received_rp_by_kelurahan={BUMIJO: 500_000_000}))
    assert only(result).need_id == 2
    result = run_matching(needs, [offer], geo, context(received_rp_by_kelurahan={GOWONGAN: 500_000_000}))
    assert only(result).need_id == 1


def test_weights_are_data_and_change_the_choice(geo, context, make_need, make_offer):
    urgent = make_need(1, urgency="darurat", title="Kakus", description="Kakus rusak.")
    wordy = make_need(2, urgency="rendah")
    offer = make_offer(remaining_rp=10_000_000)
    by_text = run_matching([urgent, wordy], [offer], geo, context(weights=Weights(1, 0, 0, 0, 0)))
    by_urgency = run_matching([urgent, wordy], [offer], geo,
                              context(weights=Weights(0.2, 0, 0, 0.8, 0)))
    assert only(by_text).need_id == 2
    assert only(by_urgency).need_id == 1


def test_weights_are_normalised_and_must_be_positive():
    assert sum(Weights(2, 2, 2, 2, 2).normalised()) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        Weights(text=-1).normalised()
    with pytest.raises(ValueError):
        Weights(0, 0, 0, 0, 0, 0).normalised()


def test_unknown_urgency_is_refused(geo, context, make_need, make_offer):
    with pytest.raises(ValueError, match="urgensi"):
        run_matching([make_need(urgency="segera")], [make_offer()], geo, context())
