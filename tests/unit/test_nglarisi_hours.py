"""The group's answer window counts waking hours only (06.00-21.00 WIB by default)."""
from datetime import datetime, timedelta

import pytest

from gandeng.nglarisi import hours, proposer


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A WIB moment of December 2026 as stored (naive UTC)."""
    return datetime(2026, 12, day, hour, minute) - timedelta(hours=7)


def test_an_order_placed_at_night_is_answered_by_the_next_morning_not_at_night():
    assert hours.add_waking_minutes(wib(6, 23, 48), 120) == wib(7, 8, 0)
    assert hours.add_waking_minutes(wib(7, 2, 0), 120) == wib(7, 8, 0)


def test_the_window_pauses_at_21_and_goes_on_at_6():
    assert hours.add_waking_minutes(wib(6, 20, 30), 120) == wib(7, 7, 30)
    assert hours.add_waking_minutes(wib(6, 10, 0), 120) == wib(6, 12, 0)
    assert hours.waking_minutes_between(wib(6, 20, 30), wib(7, 7, 30)) == 120


def test_the_waking_hours_are_configurable_and_checked():
    assert hours.parse_hours("07.00–20.00")[0].hour == 7
    assert hours.add_waking_minutes(wib(6, 23, 0), 60, hours.parse_hours("07:00-20:00")) == wib(7, 8, 0)
    with pytest.raises(ValueError):
        hours.parse_hours("21:00-06:00")


def test_the_window_never_ends_after_the_groups_lead_time_starts():
    deadline, shortened = hours.answer_deadline(wib(6, 23, 48), 120, deliver_at=wib(8, 7, 0), lead_time_hours=24)
    assert (deadline, shortened) == (wib(7, 7, 0), True)
    assert hours.answer_deadline(wib(6, 10, 0), 120, wib(9, 11, 0), 24) == (wib(6, 12, 0), False)


def test_a_group_without_time_to_answer_before_its_lead_time_is_left_out():
    # Placed at 23.48 for 06.30 the day after next with a 24-hour lead time: the group would have to
    # answer by 06.30 tomorrow, 30 waking minutes: just enough. For 06.10 (10 minutes) it cannot.
    def request(deliver_at):
        return proposer.Request(deliver_on=deliver_at.date(), deliver_at=deliver_at, now=wib(6, 23, 48),
                                kelurahan_code="A", portions=10, budget_rp=1_000_000, answer_minutes=120)

    group = proposer.Candidate(group_id=1, name="Dapur", kelurahan_code="A", verified=True, capacity_per_day=100,
                               used_portions=0, lead_time_hours=24, cheapest_rp=20_000)
    able = proposer.propose(request(wib(8, 6, 30)), [group], lambda a, b: 0.0)
    assert able.best is not None
    late = proposer.propose(request(wib(8, 6, 10)), [group], lambda a, b: 0.0)
    assert late.best is None and late.excluded[0].reason == "answer_time"


@pytest.mark.parametrize("written", ["11.30", "11:30", " 11.30 "])
def test_a_delivery_time_is_read_with_a_dot_or_a_colon_and_stored_as_hh_mm(written):
    from datetime import date

    from gandeng.nglarisi.orders import parse_when

    assert parse_when(date(2026, 12, 9), written)[1] == "11:30"
    assert parse_when(date(2026, 12, 9), "9.05")[1] == "09:05"
