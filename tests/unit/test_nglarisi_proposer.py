"""The Nglarisi proposer: who can make an order, the rotation, refusals, and the fairness simulation."""
from datetime import date, datetime, timedelta

from gandeng.nglarisi import proposer
from gandeng.nglarisi.simulation import simulate

DAY = date(2026, 3, 10)
AT = datetime(2026, 3, 10, 4, 0)  # 11:00 WIB
NOW = AT - timedelta(days=2)


def _group(gid, **changes):
    values = dict(group_id=gid, name=f"Kelompok {gid}", kelurahan_code="A", verified=True, capacity_per_day=100,
                  used_portions=0, lead_time_hours=24, cheapest_rp=20_000, month_value_rp=1_000_000)
    values.update(changes)
    return proposer.Candidate(**values)


def _request(**changes):
    values = dict(deliver_on=DAY, deliver_at=AT, now=NOW, kelurahan_code="A", portions=50, budget_rp=1_500_000)
    values.update(changes)
    return proposer.Request(**values)


def _near(a, b):
    return 0.0 if a == b else 4.0


def test_groups_unable_to_make_the_order_are_left_out_with_their_reason():
    groups = [
        _group(1, days_off=frozenset({DAY})),
        _group(2, used_portions=70),
        _group(3, lead_time_hours=72),
        _group(4, cheapest_rp=35_000),
        _group(5, kelurahan_code="B", max_distance_km=3.0),
        _group(6, verified=False),
        _group(7),
    ]
    result = proposer.propose(_request(), groups, _near)
    assert [r.group_id for r in result.ranked] == [7]
    reasons = {e.group_id: e.reason for e in result.excluded}
    assert reasons == {1: "day_off", 2: "capacity", 3: "lead_time", 4: "budget", 5: "distance_far", 6: "not_verified"}
    assert result.excluded[1].params == {"left": 30}


def test_the_group_with_less_order_value_for_its_capacity_comes_first():
    busy = _group(1, month_value_rp=5_000_000, capacity_per_day=100)
    quiet = _group(2, month_value_rp=1_000_000, capacity_per_day=100)
    big_kitchen = _group(3, month_value_rp=2_000_000, capacity_per_day=400)  # 2M/sqrt(400) = 1M/sqrt(100)
    result = proposer.propose(_request(), [busy, quiet, big_kitchen], _near)
    assert [r.group_id for r in result.ranked][-1] == 1
    assert result.best.reasons[3] == ("rotation", {"month_value": 1_000_000, "position": 1, "of": 3})


def test_distance_breaks_a_tie_of_load():
    far = _group(1, kelurahan_code="B")
    near = _group(2)
    assert proposer.propose(_request(), [far, near], _near).best.group_id == 2


def test_a_new_group_joins_the_front_of_the_rotation_without_its_own_history():
    settled = [_group(i, month_value_rp=2_000_000 + i) for i in range(1, 5)]
    newcomer = _group(9, month_value_rp=3_000_000, new=True, kelurahan_code="B")  # counted at the lowest load
    result = proposer.propose(_request(), [*settled, newcomer], _near)
    assert result.ranked[0].group_id in (1, 9)
    assert ("new_group", {}) in next(r for r in result.ranked if r.group_id == 9).reasons


def test_an_order_bigger_than_any_kitchen_is_refused_not_split():
    result = proposer.propose(_request(portions=500, budget_rp=50_000_000), [_group(1), _group(2, capacity_per_day=150)],
                              _near)
    assert result.refusal == "too_many_portions" and result.refusal_params == {"max_capacity": 150}
    assert result.ranked == []


def test_a_budget_below_the_cheapest_menu_is_refused():
    result = proposer.propose(_request(budget_rp=500_000), [_group(1, cheapest_rp=15_000), _group(2)], _near)
    assert result.refusal == "budget_below_menu"
    assert result.refusal_params == {"cheapest": 15_000, "total": 750_000}


def test_groups_already_tried_are_skipped():
    result = proposer.propose(_request(), [_group(1, month_value_rp=0), _group(2)], _near, skip=[1])
    assert result.best.group_id == 2
    assert result.excluded[0].reason == "already_tried"


def test_no_able_group_leaves_the_order_unplaced_with_every_reason():
    result = proposer.propose(_request(), [_group(1, used_portions=90)], _near)
    assert result.best is None and result.refusal == "none_able"
    assert result.excluded[0].reason == "capacity"


def test_fairness_simulation_1000_orders_over_190_groups():
    outcome = simulate(orders=1000, groups=190)
    assert outcome.placed + outcome.refused + outcome.unplaced == 1000
    assert outcome.placed == 1000  # every order placed...
    assert outcome.infeasible_placements == 0  # ...with a group able to make it
    assert outcome.gini <= 0.25
    assert min(outcome.value_by_group.values()) > 0  # no group left without orders
