"""The sister pairing solver: one campus and one company per kampung, within capacity, deterministic."""
import csv
import random
from pathlib import Path

import pytest

from gandeng.matching.geography import load_geography
from gandeng.sister.solver import (
    NO_HOME_BASE, NO_PARTNER, SHORT_CAPACITY, LockError, SisterKampung as K, SisterPartner as P, Weights, pair,
)

WILAYAH = Path(__file__).parents[3] / "gandeng" / "reference" / "data" / "wilayah.csv"


def line_km(a, b):
    """Kelurahan 'x3' lies 3 km along one road: distances are easy to reason about."""
    return abs(int(a[1:]) - int(b[1:]))


def campus(id, at, capacity=5, themes=()):
    return P(id, "kampus", at, capacity, frozenset(themes))


def company(id, at, capacity=5, themes=()):
    return P(id, "korporat", at, capacity, frozenset(themes))


def kampung(id, at, themes=()):
    return K(id, at, frozenset(themes))


def partner_of(result, kind):
    return {k: a.partner_id for k, a in result.sides[kind].assignments.items()}


def test_every_kampung_gets_one_campus_and_one_company_when_capacity_allows():
    kampung_list = [kampung(i, f"x{i % 5}") for i in range(1, 11)]
    partners = [campus(101, "x0", 4), campus(102, "x4", 6), company(201, "x2", 10)]
    result = pair(kampung_list, partners, line_km)
    campus_of, company_of = partner_of(result, "kampus"), partner_of(result, "korporat")
    assert set(campus_of) == set(company_of) == set(range(1, 11))
    assert set(campus_of.values()) <= {101, 102} and set(company_of.values()) == {201}
    assert result.sides["kampus"].unpaired == {} and result.sides["korporat"].unpaired == {}


def test_no_partner_is_given_more_kampung_than_its_capacity():
    kampung_list = [kampung(i, "x0") for i in range(1, 9)]
    partners = [campus(101, "x0", 3), campus(102, "x1", 2), campus(103, "x9", 3), company(201, "x0", 8)]
    result = pair(kampung_list, partners, line_km)
    side = result.sides["kampus"]
    assert side.load == {101: 3, 102: 2, 103: 3}
    assert all(side.load[p] <= side.capacity[p] for p in side.load)


def test_nearest_partner_is_chosen_and_its_distance_reported():
    result = pair([kampung(1, "x2")], [campus(101, "x9"), campus(102, "x3"), company(201, "x2")], line_km)
    assignment = result.sides["kampus"].assignments[1]
    assert assignment.partner_id == 102 and assignment.km == 1.0
    assert result.sides["korporat"].assignments[1].km == 0.0


def test_short_capacity_leaves_the_costliest_kampung_unpaired_with_the_reason():
    kampung_list = [kampung(1, "x0"), kampung(2, "x1"), kampung(3, "x8"), kampung(4, "x9")]
    partners = [campus(101, "x0", 2), company(201, "x0", 4)]
    result = pair(kampung_list, partners, line_km)
    assert result.sides["kampus"].unpaired == {3: SHORT_CAPACITY, 4: SHORT_CAPACITY}
    assert set(partner_of(result, "kampus")) == {1, 2}
    assert len(result.sides["korporat"].assignments) == 4


def test_a_kind_without_any_partner_leaves_every_kampung_unpaired_for_that_kind():
    result = pair([kampung(1, "x0"), kampung(2, "x1")], [campus(101, "x0")], line_km)
    assert result.sides["korporat"].unpaired == {1: NO_PARTNER, 2: NO_PARTNER}
    assert len(result.sides["kampus"].assignments) == 2


def test_partners_without_home_base_or_capacity_are_left_out_and_named():
    partners = [campus(101, None), campus(102, "x0", 0), campus(103, "x5"), company(201, "x0")]
    result = pair([kampung(1, "x0")], partners, line_km)
    assert result.skipped_partners == {101: NO_HOME_BASE, 102: "no_capacity"}
    assert partner_of(result, "kampus") == {1: 103}


def test_shared_themes_win_when_distances_are_close():
    partners = [campus(101, "x1"), campus(102, "x1", themes=("social", "environment")), company(201, "x0")]
    result = pair([kampung(1, "x0", themes=("social", "environment", "health"))], partners, line_km)
    assignment = result.sides["kampus"].assignments[1]
    assert assignment.partner_id == 102 and assignment.shared_themes == ("environment", "social")


def test_last_years_partner_is_kept_unless_it_is_much_further():
    partners = [campus(101, "x1"), campus(102, "x3"), company(201, "x0")]
    kept = pair([kampung(1, "x0")], partners, line_km, previous={1: {102}})
    assert kept.sides["kampus"].assignments[1].partner_id == 102 and kept.sides["kampus"].assignments[1].continued
    far = [campus(101, "x1"), campus(102, "x9"), company(201, "x0")]
    moved = pair([kampung(1, "x0")], far, line_km, previous={1: {102}})
    assert moved.sides["kampus"].assignments[1].partner_id == 101
    assert not moved.sides["kampus"].assignments[1].continued


def test_load_spreads_over_equally_near_partners():
    kampung_list = [kampung(i, "x0") for i in range(1, 5)]
    partners = [campus(101, "x0", 4), campus(102, "x0", 4), company(201, "x0", 4)]
    result = pair(kampung_list, partners, line_km)
    assert result.sides["kampus"].load == {101: 2, 102: 2}


def test_locked_pairs_are_kept_and_the_rest_is_paired_around_them():
    kampung_list = [kampung(1, "x0"), kampung(2, "x0"), kampung(3, "x9")]
    partners = [campus(101, "x0", 2), campus(102, "x9", 2), company(201, "x0", 3)]
    result = pair(kampung_list, partners, line_km, locks={1: {102}, 3: {101}})
    campus_of = partner_of(result, "kampus")
    assert campus_of[1] == 102 and campus_of[3] == 101 and campus_of[2] == 101
    assert result.sides["kampus"].assignments[1].locked and not result.sides["kampus"].assignments[2].locked


def test_a_lock_beyond_capacity_or_to_an_absent_partner_is_refused():
    partners = [campus(101, "x0", 1), company(201, "x0", 3)]
    with pytest.raises(LockError) as error:
        pair([kampung(1, "x0"), kampung(2, "x0")], partners, line_km, locks={1: {101}, 2: {101}})
    assert error.value.problem == "over capacity"
    with pytest.raises(LockError) as error:
        pair([kampung(1, "x0")], partners, line_km, locks={1: {999}})
    assert error.value.partner_id == 999


def test_the_same_input_in_any_order_gives_the_same_pairing():
    rng = random.Random(7)
    kampung_list = [kampung(i, f"x{rng.randrange(10)}", rng.sample(["a", "b", "c", "d"], 2)) for i in range(30)]
    partners = [campus(100 + j, f"x{rng.randrange(10)}", rng.randrange(1, 6), rng.sample(["a", "b", "c"], 1))
                for j in range(8)] + [company(200 + j, f"x{rng.randrange(10)}", 4) for j in range(6)]
    first = pair(kampung_list, partners, line_km)
    rng.shuffle(kampung_list)
    rng.shuffle(partners)
    again = pair(kampung_list, partners, line_km)
    for kind in ("kampus", "korporat"):
        assert first.sides[kind].assignments == again.sides[kind].assignments
        assert first.sides[kind].unpaired == again.sides[kind].unpaired


@pytest.mark.parametrize("seed", range(6))
def test_networkx_and_ortools_reach_the_same_optimal_cost(seed):
    rng = random.Random(seed)
    kampung_list = [kampung(i, f"x{rng.randrange(12)}", rng.sample(["a", "b", "c", "d", "e"], rng.randrange(3)))
                    for i in range(rng.randrange(5, 25))]
    partners = [P(100 + j, rng.choice(["kampus", "korporat"]), f"x{rng.randrange(12)}", rng.randrange(0, 5),
                  frozenset(rng.sample(["a", "b", "c", "d", "e"], rng.randrange(3)))) for j in range(10)]
    previous = {k.id: {rng.choice(partners).id} for k in kampung_list if rng.random() < 0.3}
    results = {solver: pair(kampung_list, partners, line_km, previous=previous, solver=solver)
               for solver in ("networkx", "ortools")}
    for kind in ("kampus", "korporat"):
        a, b = results["networkx"].sides[kind], results["ortools"].sides[kind]
        assert a.cost == b.cost
        assert len(a.unpaired) == len(b.unpaired)
        assert all(b.load[p] <= b.capacity[p] for p in b.load)


def test_real_city_points_pair_kampung_near_their_partners():
    with WILAYAH.open(encoding="utf-8") as handle:
        geography = load_geography(csv.DictReader(handle))

    def km(a, b):
        return float(geography.distance_km[geography.index[a], geography.index[b]])

    codes = [k.code for k in geography.kelurahan]
    kampung_list = [kampung(i, code) for i, code in enumerate(codes)]
    partners = [campus(100 + j, codes[j * 5], 5) for j in range(9)] + [company(200 + j, codes[j * 3], 3)
                                                                          for j in range(15)]
    result = pair(kampung_list, partners, km)
    distance_only = pair(kampung_list, partners, km, weights=Weights.distance_only())
    for kind in ("kampus", "korporat"):
        side = result.sides[kind]
        assert len(side.assignments) == 45 and not side.unpaired
        mean = sum(a.km for a in side.assignments.values()) / 45
        best = sum(a.km for a in distance_only.sides[kind].assignments.values()) / 45
        assert best <= mean <= best + 1.0


def test_of_two_pairings_with_the_same_total_distance_the_one_without_a_far_partner_wins():
    # K1 at 0 km and K2 at 3 km; campuses at 3 and 6 km. Both pairings total 6 km, but K1-6/K2-3 would
    # leave K1 six kilometres from its campus.
    partners = [campus(101, "x3", 1), campus(102, "x6", 1), company(201, "x0", 2)]
    for order, solver in ((partners, "networkx"), (partners[::-1], "networkx"), (partners, "ortools")):
        result = pair([kampung(1, "x0"), kampung(2, "x3")], order, line_km, solver=solver)
        assert partner_of(result, "kampus") == {1: 101, 2: 102}
        assert max(a.km for a in result.sides["kampus"].assignments.values()) == 3.0
