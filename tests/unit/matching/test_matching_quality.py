"""Quality on the labelled Yogyakarta set: right offers, no rule broken, figures >= 0.95."""

import subprocess
import sys
from pathlib import Path

import pytest

from gandeng.matching import MatchContext, run_matching


@pytest.fixture(scope="module")
def outcome(labelled, geo, labels):
    needs, offers, right, today = labelled
    result = run_matching(needs, offers, geo, MatchContext(today=today, category_labels=labels))
    return needs, offers, right, result, today


def quality(needs, right, result):
    """Precision: share of proposed Rp on a right offer. Coverage: share of the Rp of needs
    that have a right offer, proposed from a right offer."""
    proposed = sum(p.amount_rp for p in result.proposals)
    on_right = sum(p.amount_rp for p in result.proposals if p.offer_id in right[p.need_id])
    fundable = sum(n.remaining_rp for n in needs if right[n.id])
    return on_right / proposed, on_right / fundable


def test_precision_and_coverage_reach_95_percent(outcome):
    needs, _, right, result, _ = outcome
    precision, coverage = quality(needs, right, result)
    assert precision >= 0.95
    assert coverage >= 0.95


@pytest.mark.parametrize("need_id,right_offer,acceptable", [
    (1, 101, 122),   # kakus + septictank: the Jetis jamban programme, not the market MCK
    (2, 101, 103),   # septitank: tangki septik, not the communal IPAL
    (5, 104, 105),   # house about to collapse: bedah rumah, not roof materials alone
    (16, 110, 109),  # les sore: bimbingan belajar, not a scholarship
    (21, 112, 114),  # bakpia nobody buys: a buyer, not an online-selling course
    (27, 116, 117),  # dead street lights: PJU, not paving
    (29, 118, 117),  # overflowing got: drainase, not paving
])
def test_right_offer_is_chosen_where_an_acceptable_one_competes(outcome, need_id, right_offer, acceptable):
    _, _, _, result, _ = outcome
    chosen = {p.offer_id for p in result.proposals if p.need_id == need_id}
    assert chosen == {right_offer}


def test_most_needs_no_offer_fits_stay_unmatched(outcome):
    needs, _, right, result, _ = outcome
    no_fit = {n.id for n in needs if not right[n.id]}
    funded = {p.need_id for p in result.proposals}
    assert len(no_fit & funded) <= 1  # need 38 (WC) takes the market-MCK offer: see docs/matching.md


def test_no_rule_is_broken_on_the_labelled_set(outcome, geo):
    needs, offers, _, result, today = outcome
    need_of = {n.id: n for n in needs}
    offer_of = {o.id: o for o in offers}
    for p in result.proposals:
        need, offer = need_of[p.need_id], offer_of[p.offer_id]
        assert not offer.categories or need.category in offer.categories
        assert geo.covered(offer.areas)[geo.index[need.kelurahan_code]]
        assert offer.valid_until is None or offer.valid_until >= today
    for offer_id in (120, 121):  # the generic fund and the expired offer
        assert offer_id not in {p.offer_id for p in result.proposals}


def test_importing_the_matcher_does_not_import_flask_or_sqlalchemy():
    code = "import sys, gandeng.matching; print(sorted(m for m in ('flask', 'sqlalchemy') if m in sys.modules))"
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=root)
    assert out.stdout.strip() == "[]"
