"""Quality on the kampung set (issue 13): Javanese and chat-style texts, decoys of the wrong kind
of help, severity under scarcity, equal-merit needs crowded in one kemantren, needs no offer fits.

The figures are printed (pytest -s) and held to the issue's targets."""

import pytest

from gandeng.matching import MatchContext, run_matching
from scorecard import score


@pytest.fixture(scope="module")
def card(kampung, geo, labels):
    needs, offers, _, today, _ = kampung
    result = run_matching(needs, offers, geo, MatchContext(today=today, category_labels=labels))
    card = score(kampung, result, geo)
    print("\nkampung set:", card.line())
    for v in card.violations:
        print("  violation", v)
    return card


def test_no_violation_on_the_kampung_set(card):
    assert card.violations == []


def test_precision_and_coverage_reach_95_percent_on_the_kampung_set(card):
    assert card.precision >= 0.95
    assert card.coverage >= 0.95


def test_no_kemantren_takes_more_than_half_of_a_contested_offer_at_equal_merit(card):
    assert card.top_kemantren_share and max(card.top_kemantren_share.values()) <= 0.5


@pytest.fixture(scope="module")
def card2(kampung2, geo, labels):
    needs, offers, _, today, _ = kampung2
    result = run_matching(needs, offers, geo, MatchContext(today=today, category_labels=labels))
    card = score(kampung2, result, geo)
    print("\nkampung2 set:", card.line())
    return card, result


def test_needs_sharing_one_everyday_word_with_an_offer_stay_unmatched(card2, kampung2):
    card, result = card2
    _, _, right, _, _ = kampung2
    assert {p.need_id for p in result.proposals if not right[p.need_id]} == set()
    assert card.violations == []
    assert card.precision >= 0.95 and card.coverage >= 0.95


def test_a_pair_sharing_only_weak_words_is_not_relevant(make_need, make_offer, geo, context):
    offer = make_offer(categories=("infrastructure",), kind="barang", title="Paving block gang kampung",
                       description="Paving block, semen dan pasir untuk pengerasan gang kampung yang rusak.")
    portal = make_need(1, category="infrastructure", title="Portal gang",
                       description="Pasang portal besi di mulut gang, motor ngebut.")
    muddy = make_need(2, category="infrastructure", title="Gang becek",
                      description="Gang RT 03 durung dipaving, becek nek udan.")
    result = run_matching([portal, muddy], [offer], geo, context())
    assert {p.need_id for p in result.proposals} == {2}   # "dipaving" is paving; "gang" alone is not enough


@pytest.fixture(scope="module")
def card3(kampung3, geo, labels):
    needs, offers, _, today, _ = kampung3
    result = run_matching(needs, offers, geo, MatchContext(today=today, category_labels=labels))
    card = score(kampung3, result, geo)
    print("\nkampung3 set:", card.line())
    return card, result


def test_needs_linked_only_by_a_shared_stem_or_a_thing_of_another_kind_of_help_stay_unmatched(card3, kampung3):
    card, result = card3
    _, _, right, _, _ = kampung3
    assert {p.need_id for p in result.proposals if not right[p.need_id]} == set()
    assert card.violations == []
    assert card.precision >= 0.95 and card.coverage >= 0.95


@pytest.fixture(scope="module")
def card4(kampung4, geo, labels):
    needs, offers, _, today, _ = kampung4
    result = run_matching(needs, offers, geo, MatchContext(today=today, category_labels=labels))
    card = score(kampung4, result, geo)
    print("\nkampung4 set:", card.line())
    return card, result


def test_the_school_year_is_not_teaching_though_ajaran_stems_to_ajar(card4):
    """Goods or money asked "menjelang tahun ajaran baru" do not go to tutors; tutoring asked before
    the school year does."""
    card, _result = card4
    assert card.violations == []
    assert card.precision >= 0.95 and card.coverage >= 0.95


def test_learning_is_not_teaching_though_both_stem_to_ajar(make_need, make_offer, geo, context):
    tutors = make_offer(categories=("education",), kind="jasa", title="Relawan pengajar les",
                        description="Mahasiswa relawan mengajar les matematika untuk anak SD.")
    wifi = make_need(1, category="education", title="Wifi utk sinau daring",
                     description="wifi gratis utk anak2 sklh daring, kuota mahal")
    maths = make_need(2, category="education", title="Les mtk",
                      description="anak2 kls 4 blm lancar mtk, pengin diajari mahasiswa.")
    result = run_matching([wifi, maths], [tutors], geo, context())
    assert {p.need_id for p in result.proposals} == {2}


def test_one_shared_thing_counts_only_for_the_kind_of_help_asked(make_need, make_offer, geo, context):
    """A school-costs fund pays uniforms: a drumband's uniforms (goods for a group) share only
    that word and are not funded; a pupil's uniform shares more (anak, yatim) and is."""
    fees = make_offer(categories=("education",), kind="dana", title="Bantuan biaya pendidikan",
                      description="Bantuan biaya sekolah: SPP, uang gedung dan seragam untuk anak yatim.")
    books = make_offer(101, categories=("education",), kind="barang", title="Donasi seragam dan buku",
                       description="Seragam, buku dan tas untuk kelompok anak dan remaja.")
    drumband = make_need(1, category="education", title="Alat drumband TPA",
                         description="TPA butuh seragam dan alat drumband untuk pawai.")
    pupil = make_need(2, category="education", title="Seragam SD anak yatim",
                      description="Anak yatim kls 1 SD durung duwe seragam.", remaining_rp=750_000)
    result = run_matching([drumband, pupil], [fees], geo, context())
    assert {p.need_id for p in result.proposals} == {2}
    # The same word is evidence enough for an offer of the kind asked (goods).
    result = run_matching([drumband], [books], geo, context())
    assert [p.offer_id for p in result.proposals] == [101]
