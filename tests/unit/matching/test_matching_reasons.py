"""Reasons staff read: short Indonesian sentences, strongest first."""

from datetime import timedelta

from gandeng.matching import Weights, run_matching
from gandeng.matching.reasons import format_rp, render_id
from places import COKRODININGRATAN, JETIS, TODAY


def reasons_for(geo, context, need, offer, **ctx):
    result = run_matching([need], [offer], geo, context(**ctx))
    assert len(result.proposals) == 1
    return [render_id(r) for r in result.proposals[0].reasons]


def test_reasons_name_category_place_and_shared_keywords(geo, context, make_need, make_offer):
    need = make_need(kelurahan_code=COKRODININGRATAN, title="Kakus dan septictank",
                     description="Belum punya kakus, septictank penuh.")
    reasons = reasons_for(geo, context, need, make_offer(areas=(JETIS,)))
    assert "kategori sama: Sanitasi & air bersih" in reasons
    assert "satu kemantren (Jetis)" in reasons
    keywords = [r for r in reasons if r.startswith("kata kunci cocok: ")]
    assert keywords and set(keywords[0].removeprefix("kata kunci cocok: ").split(", ")) == {
        "jamban", "tangki septik"}


def test_one_to_four_reasons_always(geo, context, make_need, make_offer):
    quiet = make_need(urgency="rendah", kms_households=0)
    loud = make_need(urgency="darurat", kms_households=9, deadline=TODAY + timedelta(days=3))
    # up to four reasons for, and at most two against
    assert 1 <= len(reasons_for(geo, context, quiet, make_offer())) <= 7
    assert len(reasons_for(geo, context, loud, make_offer(areas=(JETIS,)))) >= 4


def test_urgency_and_poverty_are_explained_when_they_matter(geo, context, make_need, make_offer):
    need = make_need(urgency="darurat", kms_households=9, households=10,
                     deadline=TODAY + timedelta(days=5))
    reasons = reasons_for(geo, context, need, make_offer(),
                          weights=Weights(0.4, 0, 0, 0.3, 0.3))
    assert "urgensi darurat" in reasons and "tenggat 5 hari lagi" in reasons
    assert "90% KK pemegang KMS" in reasons


def test_offer_for_all_categories_says_so(geo, context, make_need, make_offer):
    reasons = reasons_for(geo, context, make_need(), make_offer(categories=()))
    assert any(r.startswith("penawaran terbuka untuk semua kategori") for r in reasons) or \
        "penawaran untuk jenis lain (semua kategori)" in reasons


def test_rupiah_is_written_the_indonesian_way():
    assert format_rp(1_500_000) == "Rp1.500.000"


def test_a_runs_shared_explainer_gives_the_reasons_explain_gives(kampung, geo, labels):
    """The engine writes reasons through one Explainer per run (shared per need); it must say
    exactly what `explain` says for every scored pair, proposed or not."""
    import numpy as np

    from gandeng.matching import MatchContext
    from gandeng.matching.engine import run_explainer, solve
    from gandeng.matching.model import BREAKDOWN_KEYS
    from gandeng.matching.problem import build_problem
    from gandeng.matching.reasons import explain
    from gandeng.matching.text import shared_terms_many

    needs, offers, _, today, _ = kampung
    p = build_problem(needs, offers, geo, MatchContext(today=today, category_labels=labels))
    pairs, _, _ = solve(p)
    explainer = run_explainer(p)
    keywords = shared_terms_many(p.text_model, p.need_vectors, p.offer_vectors, pairs.need, pairs.offer)
    parts_all = np.round(pairs.parts.astype(np.float64), 4).tolist()
    pr = p.profiles
    for k, (i, j) in enumerate(zip(pairs.need.tolist(), pairs.offer.tolist())):
        parts = dict(zip(BREAKDOWN_KEYS, parts_all[k]))
        profile = (pr.severe_words[i], pr.comfort_words[i], pr.asked[i], pr.gives[j])
        spread = float(p.spread[p.need_kel[i]])
        expected = explain(p.needs[i], p.offers[j], parts, p.weights, keywords[k], p.geo, labels, today,
                           spread, profile)
        assert explainer(i, p.needs[i], p.offers[j], parts, keywords[k], spread, profile) == expected
        assert explainer(i, p.needs[i], p.offers[j], parts, keywords[k], spread, profile,
                         positive_only=True) == tuple(r for r in expected if not r.negative)[:3]
