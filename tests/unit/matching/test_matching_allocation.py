"""Allocation: capacities, full funding, determinism, solvers, idle money, stability."""

import random
from dataclasses import replace

import numpy as np
import pytest

from gandeng.matching import NO_GOOD_MATCH, Settings, allocate, run_matching, solve_flow
from gandeng.matching.flow import Infeasible
from places import BUMIJO, COKRODININGRATAN, GOWONGAN, JETIS, KARANGWARU, KRICAK, TEGALREJO

KELURAHAN = [BUMIJO, COKRODININGRATAN, GOWONGAN, KRICAK, KARANGWARU]
TOPICS = [("Kakus rusak", "WC warga ambrol, butuh kakus baru."),
          ("Septictank penuh", "Septitank meluap ke sumur."),
          ("Sumur kering", "Air sumur kering, butuh sumur bor."),
          ("Atap bocor", "Genteng pecah dan usuk lapuk.")]
OFFER_TOPICS = [("Jamban sehat", "Pembangunan jamban sehat dan kloset.", ("sanitation",)),
                ("Tangki septik komunal", "Pembuatan tangki septik.", ("sanitation",)),
                ("Sumur bor", "Pengeboran sumur dalam dan tandon.", ()),
                ("Bahan bangunan atap", "Genteng dan rangka atap.", ("housing",))]


def village(seed, make_need, make_offer, n_needs=40, n_offers=10):
    """A small random Jetis/Tegalrejo market with overlapping texts and areas."""
    rng = random.Random(seed)
    needs = []
    for i in range(1, n_needs + 1):
        t = rng.randrange(len(TOPICS))
        needs.append(make_need(i, rng.choice(KELURAHAN), category="housing" if t == 3 else "sanitation",
                               title=TOPICS[t][0], description=TOPICS[t][1],
                               remaining_rp=rng.randrange(2, 30) * 1_000_000,
                               urgency=rng.choice(["rendah", "sedang", "tinggi", "darurat"]),
                               kms_households=rng.randrange(0, 10), partial_ok=rng.random() < 0.4))
    offers = []
    for j in range(100, 100 + n_offers):
        title, text, cats = OFFER_TOPICS[rng.randrange(len(OFFER_TOPICS))]
        offers.append(make_offer(j, title=title, description=text, categories=cats,
                                 areas=rng.choice([(), (JETIS,), (TEGALREJO,), (BUMIJO, KRICAK)]),
                                 remaining_rp=rng.randrange(5, 80) * 1_000_000))
    return needs, offers


def check_rules(result, needs, offers):
    need_rp = {n.id: n.remaining_rp for n in needs}
    offer_rp = {o.id: o.remaining_rp for o in offers}
    got, used = {}, {}
    for p in result.proposals:
        assert p.amount_rp > 0
        got[p.need_id] = got.get(p.need_id, 0) + p.amount_rp
        used[p.offer_id] = used.get(p.offer_id, 0) + p.amount_rp
    assert all(used[j] <= offer_rp[j] for j in used)
    assert all(got[i] <= need_rp[i] for i in got)
    partial = {n.id for n in needs if n.partial_ok}
    assert all(got[i] == need_rp[i] for i in got if i not in partial)
    return got, used


@pytest.mark.parametrize("seed", range(6))
def test_capacities_and_full_funding_are_kept(seed, geo, context, make_need, make_offer):
    needs, offers = village(seed, make_need, make_offer)
    result = run_matching(needs, offers, geo, context())
    got, used = check_rules(result, needs, offers)
    assert result.stats["proposed_rp"] == sum(got.values())
    assert result.stats["needs_partly_funded"] == sum(
        1 for n in needs if 0 < got.get(n.id, 0) < n.remaining_rp)


def test_strict_need_gets_full_amount_or_nothing(geo, context, make_need, make_offer):
    needs = [make_need(1, remaining_rp=8_000_000), make_need(2, remaining_rp=8_000_000)]
    result = run_matching(needs, [make_offer(remaining_rp=10_000_000)], geo, context())
    assert [(p.need_id, p.amount_rp) for p in result.proposals] in ([(1, 8_000_000)], [(2, 8_000_000)])
    assert result.unmatched_offers[0].unused_rp == 2_000_000


def test_partial_need_is_funded_in_parts_by_several_offers(geo, context, make_need, make_offer):
    need = make_need(remaining_rp=30_000_000, partial_ok=True)
    offers = [make_offer(100, remaining_rp=10_000_000), make_offer(101, remaining_rp=12_000_000)]
    result = run_matching([need], offers, geo, context())
    assert {(p.offer_id, p.amount_rp) for p in result.proposals} == {(100, 10_000_000), (101, 12_000_000)}


def test_strict_need_may_be_funded_by_several_offers_together(geo, context, make_need, make_offer):
    offers = [make_offer(100, remaining_rp=6_000_000), make_offer(101, remaining_rp=6_000_000)]
    result = run_matching([make_need(remaining_rp=10_000_000)], offers, geo, context())
    assert sum(p.amount_rp for p in result.proposals) == 10_000_000


def test_one_offer_serves_several_needs(geo, context, make_need, make_offer):
    needs = [make_need(i, remaining_rp=5_000_000) for i in (1, 2, 3)]
    result = run_matching(needs, [make_offer(remaining_rp=20_000_000)], geo, context())
    assert [p.need_id for p in result.proposals] == [1, 2, 3]


def test_same_input_same_proposals_whatever_the_order(geo, context, make_need, make_offer):
    needs, offers = village(11, make_need, make_offer)
    first = run_matching(needs, offers, geo, context())
    rng = random.Random(3)
    shuffled_needs, shuffled_offers = needs[:], offers[:]
    rng.shuffle(shuffled_needs)
    rng.shuffle(shuffled_offers)
    again = run_matching(shuffled_needs, shuffled_offers, geo, context())
    assert again.proposals == first.proposals
    assert again.unmatched_offers == first.unmatched_offers


def test_money_without_good_need_is_reported_to_staff(geo, context, make_need, make_offer):
    offers = [make_offer(100, remaining_rp=25_000_000),
              make_offer(101, title="Pelatihan barista", description="Kelas kopi.", categories=())]
    result = run_matching([make_need(remaining_rp=10_000_000)], offers, geo, context())
    idle = {u.offer_id: u for u in result.unmatched_offers}
    assert idle[100].unused_rp == 15_000_000 and idle[100].candidate_count == 1
    assert idle[101].unused_rp == 50_000_000 and idle[101].candidate_count == 0
    assert {u.label for u in idle.values()} == {NO_GOOD_MATCH}
    assert "tidak ada kebutuhan yang cukup cocok" in idle[101].detail
    assert result.stats["unmatched_offer_rp"] == 65_000_000


def test_previous_proposals_survive_a_small_change(geo, context, make_need, make_offer):
    lost_with, lost_without, total = 0, 0, 0
    for seed in range(5):  # summed over several markets: one small market is too noisy
        needs, offers = village(seed, make_need, make_offer, n_needs=60, n_offers=12)
        previous = frozenset((p.need_id, p.offer_id)
                             for p in run_matching(needs, offers, geo, context()).proposals)
        changed = needs + [make_need(500 + i, GOWONGAN, remaining_rp=4_000_000) for i in range(3)]
        changed[0] = replace(changed[0], remaining_rp=changed[0].remaining_rp + 1_000_000)
        with_bonus = run_matching(changed, offers, geo, context(previous_pairs=previous))
        without = run_matching(changed, offers, geo, context(settings=Settings(stability_bonus=0.0)))
        lost_with += len(previous - {(p.need_id, p.offer_id) for p in with_bonus.proposals})
        lost_without += len(previous - {(p.need_id, p.offer_id) for p in without.proposals})
        total += len(previous)
    assert lost_with < lost_without
    assert lost_with <= total // 10


@pytest.mark.parametrize("seed", range(8))
def test_ortools_objective_equals_networkx_on_small_random_cases(seed, random_market):
    m = random_market(seed)
    args = (m["capacity"], m["demand"], m["pair_offer"], m["pair_need"], m["weight"])
    by_nx, by_ot = solve_flow(*args, solver="networkx"), solve_flow(*args, solver="ortools")
    assert int(by_nx @ m["weight"]) == int(by_ot @ m["weight"])


@pytest.mark.parametrize("seed", range(8))
def test_allocation_with_either_solver_keeps_all_rules(seed, random_market):
    m = random_market(seed)
    for solver in ("networkx", "ortools"):
        flow = allocate(m["capacity"], m["demand"], m["partial_ok"], m["pair_offer"], m["pair_need"],
                        m["weight"], solver=solver)
        used = np.bincount(m["pair_offer"], weights=flow, minlength=m["capacity"].size)
        got = np.bincount(m["pair_need"], weights=flow, minlength=m["demand"].size)
        assert (used <= m["capacity"]).all() and (got <= m["demand"]).all()
        strict = ~m["partial_ok"]
        assert ((got[strict] == 0) | (got[strict] == m["demand"][strict])).all()


@pytest.mark.parametrize("seed", range(4))
def test_allocation_objective_is_solver_independent_when_all_needs_accept_parts(seed, random_market):
    m = random_market(seed, partial_share=1.0)
    results = [allocate(m["capacity"], m["demand"], m["partial_ok"], m["pair_offer"], m["pair_need"],
                        m["weight"], solver=s) for s in ("networkx", "ortools")]
    assert int(results[0] @ m["weight"]) == int(results[1] @ m["weight"])


def test_forcing_an_unfundable_need_is_reported_as_infeasible():
    with pytest.raises(Infeasible):
        solve_flow(np.array([5]), np.array([10]), np.array([0]), np.array([0]), np.array([100]),
                   solver="ortools", forced=np.array([True]))
    with pytest.raises(Infeasible):
        solve_flow(np.array([5]), np.array([10]), np.array([0]), np.array([0]), np.array([100]),
                   solver="networkx", forced=np.array([True]))
