"""Relevance is a gate, severity decides; the right kind of help; fairness; alternatives."""

from datetime import timedelta

from gandeng.matching import MatchContext, Reason, Settings, run_matching
from places import BUMIJO, GIWANGAN, KRICAK, PATEHAN, TODAY


def test_collapsed_need_beats_a_keyword_rich_wish_for_comfort_under_scarcity(geo, context, make_need, make_offer):
    severe = make_need(1, kelurahan_code=KRICAK, title="Kakus ambrol", households=15, kms_households=8,
                       urgency="tinggi", description="WC tiga omah ambrol, warga numpang tangga.")
    nicer = make_need(2, title="Jamban sehat jamban sehat", households=20, kms_households=1, urgency="rendah",
                      description="Jamban sehat masih berfungsi, ganti keramik jamban sehat dan tangki septik biar bagus.")
    offer = make_offer(remaining_rp=10_000_000)
    result = run_matching([severe, nicer], [offer], geo, context())
    assert [p.need_id for p in result.proposals] == [1]
    codes = {r.code: r for r in result.proposals[0].reasons}
    assert "ambrol" in codes["severity"].params["words"]


def test_goods_do_not_pay_capital_while_a_cash_offer_has_room(geo, context, make_need, make_offer):
    need = make_need(category="livelihood", title="Modal warung", description="Warung butuh modal kulakan.")
    goods = make_offer(100, kind="barang", categories=("livelihood",), title="Gerobak dan etalase warung",
                       description="Gerobak dan etalase untuk warung.")
    cash = make_offer(101, kind="dana", categories=("livelihood",), title="Hibah modal usaha",
                      description="Hibah modal untuk usaha kecil.")
    result = run_matching([need], [goods, cash], geo, context())
    assert [p.offer_id for p in result.proposals] == [101]
    lost = {a.offer_id: [r.code for r in a.lost] for a in result.alternatives}
    assert "wrong_kind" in lost.get(100, ["wrong_kind"])


def test_a_merely_related_offer_is_used_only_without_a_right_one_and_says_so(geo, context, make_need, make_offer):
    need = make_need(category="nutrition", title="Balita gizi kurang", urgency="tinggi",
                     description="Balita gizi kurang butuh telur dan susu setiap hari.")
    mentoring = make_offer(100, kind="jasa", categories=("nutrition",), title="Pendampingan gizi balita",
                           description="Kelas gizi dan pendampingan ibu balita gizi kurang oleh ahli gizi.")
    food = make_offer(101, kind="barang", categories=("nutrition",), title="Paket telur dan susu balita",
                      description="Telur dan susu untuk balita gizi kurang.", remaining_rp=10_000_000)
    alone = run_matching([need], [mentoring], geo, context())
    assert [p.offer_id for p in alone.proposals] == [100]
    assert any(r.code == "wrong_kind" for r in alone.proposals[0].reasons)
    assert alone.proposals[0].breakdown["kind"] < 0.95
    both = run_matching([need], [mentoring, food], geo, context())
    assert [p.offer_id for p in both.proposals] == [101]


def test_an_offers_own_exclusion_is_a_hard_rule(geo, context, make_need, make_offer):
    need = make_need(category="housing", title="Atap rumah bocor", description="Atap rumah pak Darmo bocor semua.")
    public = make_offer(100, categories=("housing",), title="Renovasi atap fasilitas umum",
                        description="Perbaikan atap balai RW dan mushola. Tidak untuk rumah pribadi.")
    assert run_matching([need], [public], geo, context()).proposals == ()


def test_equal_merit_needs_spread_over_kemantren_instead_of_following_who_posted_most(geo, make_need, make_offer):
    crowded = [k.code for k in geo.kelurahan if k.kemantren_code == "34.71.13"][:6]
    others = [k.code for m in ("34.71.14", "34.71.12", "34.71.03")
              for k in [x for x in geo.kelurahan if x.kemantren_code == m][:2]]
    needs = [make_need(i, kelurahan_code=code, category="livelihood", title="Modal warung",
                       description="Warung kelontong butuh modal usaha.", households=5, kms_households=3,
                       remaining_rp=5_000_000) for i, code in enumerate(crowded + others, 1)]
    offer = make_offer(categories=("livelihood",), title="Hibah modal usaha",
                       description="Hibah modal usaha untuk warung.", remaining_rp=30_000_000)
    fair = run_matching(needs, [offer], geo, MatchContext(today=TODAY))
    shares = fair.fairness["kemantren_share_by_category"]["livelihood"]
    assert max(shares.values()) <= 0.5 and len(shares) == 4
    assert fair.fairness["gini_rp_per_kms"] is not None
    off = run_matching(needs, [offer], geo, MatchContext(today=TODAY, settings=Settings(fairness=0)))
    assert off.fairness["fairness_weight"] == 0


def test_clearly_more_urgent_needs_still_win_over_the_spread(geo, make_need, make_offer):
    crowded = [k.code for k in geo.kelurahan if k.kemantren_code == "34.71.13"][:4]
    needs = [make_need(i, kelurahan_code=code, category="livelihood", title="Modal warung", urgency="darurat",
                       deadline=TODAY + timedelta(days=3), description="Warung butuh modal usaha.",
                       remaining_rp=5_000_000) for i, code in enumerate(crowded, 1)]
    needs += [make_need(9, kelurahan_code=PATEHAN, category="livelihood", title="Modal warung", urgency="rendah",
                        kms_households=0, description="Warung butuh modal usaha.", remaining_rp=5_000_000)]
    offer = make_offer(categories=("livelihood",), title="Hibah modal usaha",
                       description="Hibah modal usaha untuk warung.", remaining_rp=20_000_000)
    result = run_matching(needs, [offer], geo, MatchContext(today=TODAY))
    assert {p.need_id for p in result.proposals} == {1, 2, 3, 4}


def test_alternatives_name_the_next_best_offers_and_why_they_lost(geo, context, make_need, make_offer):
    need = make_need(kelurahan_code=BUMIJO)
    offers = [make_offer(100, areas=(BUMIJO,)), make_offer(101), make_offer(102, areas=(GIWANGAN,))]
    result = run_matching([need], offers, geo, context())
    assert [p.offer_id for p in result.proposals] == [100]
    alternatives = [a for a in result.alternatives if a.need_id == need.id]
    assert [a.offer_id for a in alternatives] == [101]  # 102 does not cover Bumijo
    assert alternatives[0].score <= result.proposals[0].score
    assert {r.code for r in alternatives[0].lost} & {"lower_score", "other_kemantren"}


def test_kms_reasons_are_marked_private():
    assert Reason("kms_share", {"percent": 60}).private
    assert not Reason("urgency", {"level": "tinggi"}).private
