"""Hard rules: category, area, validity, rejected pairs, money left."""

from dataclasses import replace
from datetime import timedelta

from gandeng.matching import run_matching
from places import BUMIJO, GOWONGAN, JETIS, KRICAK, PANEMBAHAN, PATEHAN, TEGALREJO, TODAY


def pairs(result):
    return {(p.need_id, p.offer_id) for p in result.proposals}


def test_offer_without_categories_covers_all(geo, context, make_need, make_offer):
    offer = make_offer(categories=())
    result = run_matching([make_need(category="sanitation")], [offer], geo, context())
    assert pairs(result) == {(1, 100)}


def test_offer_for_another_category_is_never_proposed(geo, context, make_need, make_offer):
    offer = make_offer(categories=("housing", "health"))
    result = run_matching([make_need(category="sanitation")], [offer], geo, context())
    assert result.proposals == ()
    assert [u.offer_id for u in result.unmatched_offers] == [100]


def test_offer_for_a_kemantren_covers_its_kelurahan_only(geo, context, make_need, make_offer):
    needs = [make_need(1, BUMIJO), make_need(2, GOWONGAN), make_need(3, KRICAK)]
    result = run_matching(needs, [make_offer(areas=(JETIS,))], geo, context())
    assert pairs(result) == {(1, 100), (2, 100)}


def test_offer_for_a_kelurahan_covers_only_that_kelurahan(geo, context, make_need, make_offer):
    needs = [make_need(1, BUMIJO), make_need(2, GOWONGAN)]
    result = run_matching(needs, [make_offer(areas=(GOWONGAN,))], geo, context())
    assert pairs(result) == {(2, 100)}


def test_offer_areas_may_mix_kemantren_and_kelurahan(geo, context, make_need, make_offer):
    needs = [make_need(1, BUMIJO), make_need(2, KRICAK), make_need(3, PANEMBAHAN)]
    result = run_matching(needs, [make_offer(areas=(TEGALREJO, BUMIJO))], geo, context())
    assert pairs(result) == {(1, 100), (2, 100)}


def test_offer_without_areas_covers_the_whole_city(geo, context, make_need, make_offer):
    needs = [make_need(i, k.code) for i, k in enumerate(geo.kelurahan, start=1)]
    result = run_matching(needs, [make_offer(remaining_rp=10**10)], geo, context())
    assert len(pairs(result)) == len(geo.kelurahan)


def test_expired_offer_is_never_proposed(geo, context, make_need, make_offer):
    offers = [make_offer(100, valid_until=TODAY - timedelta(days=1)),
              make_offer(101, valid_until=TODAY)]
    result = run_matching([make_need()], offers, geo, context())
    assert pairs(result) == {(1, 101)}
    assert result.stats["skipped_offers"] == 1


def test_rejected_pair_is_not_proposed_again(geo, context, make_need, make_offer):
    offers = [make_offer(100), make_offer(101, areas=(JETIS,))]
    first = run_matching([make_need()], offers, geo, context())
    assert pairs(first) == {(1, 101)}
    second = run_matching([make_need()], offers, geo, context(rejected_pairs=frozenset({(1, 101)})))
    assert pairs(second) == {(1, 100)}


def test_offer_or_need_without_money_left_is_ignored(geo, context, make_need, make_offer):
    result = run_matching([make_need(1), make_need(2, remaining_rp=0)],
                          [make_offer(100, remaining_rp=0), make_offer(101)], geo, context())
    assert pairs(result) == {(1, 101)}


def test_approved_commitments_are_already_out_of_remaining_money(geo, context, make_need, make_offer):
    # The caller passes remaining_rp = capacity - approved; the engine never proposes more.
    needs = [make_need(i, remaining_rp=4_000_000, partial_ok=True) for i in (1, 2, 3)]
    result = run_matching(needs, [make_offer(remaining_rp=7_000_000)], geo, context())
    assert sum(p.amount_rp for p in result.proposals) == 7_000_000


def test_need_in_unknown_kelurahan_is_skipped(geo, context, make_need, make_offer):
    need = make_need(1)
    stray = replace(need, id=2, kelurahan_code="99.99.99.9999")
    result = run_matching([need, stray], [make_offer()], geo, context())
    assert pairs(result) == {(1, 100)}
    assert result.stats["skipped_needs"] == 1


def test_need_in_another_kemantren_is_not_served(geo, context, make_need, make_offer):
    result = run_matching([make_need(1, PATEHAN)], [make_offer(areas=(JETIS,))], geo, context())
    assert result.proposals == ()


def test_nothing_to_match_gives_an_empty_result(geo, context, make_need, make_offer):
    assert run_matching([], [], geo, context()).proposals == ()
    assert run_matching([make_need()], [], geo, context()).unmatched_offers == ()
    idle = run_matching([], [make_offer()], geo, context()).unmatched_offers
    assert [(u.offer_id, u.unused_rp) for u in idle] == [(100, 50_000_000)]
