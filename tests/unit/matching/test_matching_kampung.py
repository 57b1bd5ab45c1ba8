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
