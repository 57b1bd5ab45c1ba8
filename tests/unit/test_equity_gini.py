"""The weighted Gini coefficient and the left-behind rule of the equity view (pure functions)."""
import random
from fractions import Fraction

import pytest

from gandeng.reports.equity import is_left_behind, weighted_gini


def brute_force_gini(values, weights):
    """The defining double sum, exactly: Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ)."""
    total_weight = sum(weights)
    mean = Fraction(sum(Fraction(x) * w for x, w in zip(values, weights))) / total_weight
    spread = sum(wi * wj * abs(Fraction(xi) - Fraction(xj))
                 for xi, wi in zip(values, weights) for xj, wj in zip(values, weights))
    return spread / (2 * total_weight ** 2 * mean)


def test_equal_shares_give_zero():
    assert weighted_gini([5, 5, 5]) == 0
    assert weighted_gini([7, 7], [1, 30]) == 0


def test_everything_to_one_of_n_gives_n_minus_one_over_n():
    assert weighted_gini([0, 0, 0, 10]) == pytest.approx(3 / 4)
    assert weighted_gini([0] * 44 + [1]) == pytest.approx(44 / 45)


def test_hand_computed_unweighted_case():
    # |1-2| + |1-3| + |2-3| = 4, twice over ordered pairs = 8; n = 3, mean 2: 8 / (2·9·2) = 2/9
    assert weighted_gini([1, 2, 3]) == pytest.approx(2 / 9)


def test_everything_to_one_weighted_group_gives_the_share_of_households_that_got_nothing():
    # 3 households got 0, 1 household got 10: 2·3·1·10 / (2·4²·2.5) = 60/80
    assert weighted_gini([0, 10], [3, 1]) == pytest.approx(3 / 4)
    assert weighted_gini([0, 10], [1, 3]) == pytest.approx(1 / 4)


def test_a_weight_counts_like_that_many_copies_of_the_value():
    # [1, 3] with weights [2, 1] is [1, 1, 3]: 8 / (2·9·5/3) = 4/15
    assert weighted_gini([1, 3], [2, 1]) == pytest.approx(4 / 15)
    assert weighted_gini([1, 1, 3]) == pytest.approx(4 / 15)


def test_order_of_the_entries_does_not_matter():
    values, weights = [4.0, 0.0, 9.5, 2.0], [3, 1, 2, 5]
    assert weighted_gini(values, weights) == pytest.approx(weighted_gini(values[::-1], weights[::-1]))


def test_sorted_computation_equals_the_defining_double_sum():
    rng = random.Random(6)
    for _ in range(50):
        n = rng.randint(1, 12)
        values = [rng.choice([0, rng.randint(0, 5_000_000)]) for _ in range(n)]
        weights = [rng.randint(1, 40) for _ in range(n)]
        if not any(values):
            values[0] = 1
        assert weighted_gini(values, weights) == pytest.approx(float(brute_force_gini(values, weights)))


def test_zero_weights_are_ignored():
    assert weighted_gini([0, 10, 999], [3, 1, 0]) == pytest.approx(3 / 4)


def test_undefined_without_entries_or_without_any_money():
    assert weighted_gini([]) is None
    assert weighted_gini([3], [0]) is None
    assert weighted_gini([0, 0], [2, 5]) is None


def test_negative_values_and_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        weighted_gini([-1, 2])
    with pytest.raises(ValueError):
        weighted_gini([1, 2], [1])


def test_left_behind_below_half_of_the_city_figure():
    # city: Rp1.000 over 10 households = Rp100 each; half = Rp50
    assert is_left_behind(40, 1, 1_000, 10)
    assert not is_left_behind(50, 1, 1_000, 10)  # exactly half is not below half
    assert not is_left_behind(300, 2, 1_000, 10)


def test_households_without_any_commitment_are_left_behind_and_no_households_is_never():
    assert is_left_behind(0, 4, 1_000, 10)
    assert is_left_behind(0, 4, 0, 10)
    assert not is_left_behind(500, 0, 1_000, 10)
