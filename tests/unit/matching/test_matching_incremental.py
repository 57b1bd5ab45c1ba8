"""Incremental path: ranked offers for one need while it is being written."""

from gandeng.matching import build_offer_index, rank_offers_for_need, run_matching
from places import BUMIJO, JETIS, KRATON


def test_offers_are_ranked_best_first_with_rules_applied(geo, context, make_need, make_offer):
    offers = [make_offer(100), make_offer(101, areas=(JETIS,)), make_offer(102, areas=(KRATON,)),
              make_offer(103, categories=("housing",))]
    ranked = rank_offers_for_need(make_need(kelurahan_code=BUMIJO), offers, geo, context())
    assert [r.offer_id for r in ranked] == [101, 100]
    assert ranked[0].score >= ranked[1].score
    assert all(1 <= len(r.reasons) <= 7 for r in ranked)


def test_rejected_pair_is_not_offered_again(geo, context, make_need, make_offer):
    offers = [make_offer(100), make_offer(101, areas=(JETIS,))]
    ranked = rank_offers_for_need(make_need(), offers, geo, context(rejected_pairs=frozenset({(1, 101)})))
    assert [r.offer_id for r in ranked] == [100]


def test_prebuilt_index_gives_the_scores_of_a_full_run(geo, context, make_need, make_offer):
    need = make_need()
    others = [make_need(2, title="Sumur kering", description="Butuh sumur bor.")]
    offers = [make_offer(100, areas=(JETIS,))]
    index = build_offer_index(offers, geo, context(), needs=[need, *others])
    ranked = rank_offers_for_need(need, index=index)
    run = run_matching([need, *others], offers, geo, context())
    proposal = next(p for p in run.proposals if p.need_id == need.id)
    assert ranked[0].score == proposal.score
    assert ranked[0].breakdown == proposal.breakdown
    assert ranked[0].reasons == proposal.reasons


def test_need_text_not_seen_when_the_index_was_built_still_ranks(geo, context, make_need, make_offer):
    index = build_offer_index([make_offer()], geo, context())
    need = make_need(title="WC ambrol", description="Kakus roboh kena hujan, pakai kloset tetangga.")
    assert [r.offer_id for r in rank_offers_for_need(need, index=index)] == [100]


def test_limit_caps_the_list(geo, context, make_need, make_offer):
    offers = [make_offer(100 + j) for j in range(30)]
    assert len(rank_offers_for_need(make_need(), offers, geo, context(), limit=5)) == 5
