"""Equity figures against a hand-built world (tests/integration/equity_world.py) whose answers
were computed by hand: per-kelurahan values, the left-behind set, the Gini coefficient, the
quarterly series and the period filter."""
from datetime import date
from fractions import Fraction

import pytest

from gandeng.reports import equity
from gandeng.reports.periods import Period
from tests.integration.equity_world import (
    BENER, BUMIJO, GOWONGAN, KARANGWARU, KRICAK, TEGALREJO, M, build_equity_world,
)


@pytest.fixture
def world(session):
    return build_equity_world(session)


def by_code(report):
    return {row.code: row for row in report.rows}


def test_every_kelurahan_is_listed_once(session, world):
    report = equity.kelurahan_equity(session)
    assert len(report.rows) == 45
    assert len(by_code(report)) == 45


def test_figures_per_kelurahan_now(session, world):
    rows = by_code(equity.kelurahan_equity(session))
    kricak = rows[KRICAK]
    assert (kricak.kms_households, kricak.needs, kricak.collaborations) == (6, 2, 2)
    assert (kricak.needed_rp, kricak.committed_rp, kricak.realised_rp) == (15 * M, 10 * M, 3 * M)
    assert kricak.per_kms_rp == 1_666_667
    assert kricak.coverage_percent == 66.7
    # 3M held plus the realised 1M of the cancelled 4M; both count as collaborations
    karangwaru = rows[KARANGWARU]
    assert (karangwaru.kms_households, karangwaru.committed_rp, karangwaru.realised_rp) == (6, 4 * M, 1 * M)
    assert (karangwaru.needs, karangwaru.collaborations, karangwaru.per_kms_rp) == (1, 2, 666_667)
    # a declined commitment counts nothing
    tegalrejo = rows[TEGALREJO]
    assert (tegalrejo.kms_households, tegalrejo.committed_rp, tegalrejo.collaborations) == (10, 0, 0)
    assert tegalrejo.per_kms_rp == 0 and tegalrejo.coverage_percent == 0.0
    bener = rows[BENER]
    assert (bener.kms_households, bener.committed_rp, bener.per_kms_rp, bener.coverage_percent) == (0, 7 * M, None, 100.0)
    # draft and withdrawn needs are not the programme's households
    assert (rows[BUMIJO].needs, rows[BUMIJO].kms_households, rows[BUMIJO].status) == (0, 0, equity.NO_DATA)
    assert rows[GOWONGAN].kms_households == 8


def test_city_totals_and_threshold(session, world):
    report = equity.kelurahan_equity(session)
    assert (report.kms_households, report.committed_rp, report.realised_rp) == (30, 21 * M, 4 * M)
    assert (report.needs, report.collaborations, report.needed_rp) == (6, 5, 50 * M)
    assert report.per_kms_rp == 700_000
    assert report.threshold_rp == 350_000


def test_left_behind_are_those_with_households_and_nothing_or_under_half(session, world):
    report = equity.kelurahan_equity(session)
    assert [row.code for row in report.left_behind] == [GOWONGAN, TEGALREJO]  # both Rp0, by name
    assert all(row.status == equity.LEFT_BEHIND for row in report.left_behind)
    assert by_code(report)[KARANGWARU].status == equity.OK
    no_data = {row.code for row in report.no_data}
    assert BENER in no_data and BUMIJO in no_data and len(no_data) == 41
    # lowest figure first, kelurahan without KMS households last
    assert [row.code for row in report.rows[:4]] == [GOWONGAN, TEGALREJO, KARANGWARU, KRICAK]
    assert all(row.status == equity.NO_DATA for row in report.rows[4:])


def test_gini_is_weighted_by_kms_households(session, world):
    # x = 10/6, 4/6, 0, 0 (M per household) with weights 6, 6, 10, 8: 576 / (2·30²·14/30) = 24/35
    assert equity.kelurahan_equity(session).gini == pytest.approx(float(Fraction(24, 35)))


def test_first_quarter_is_as_of_its_end_in_wib(session, world):
    report = equity.kelurahan_equity(session, Period(2025, 1))
    rows = by_code(report)
    # Kricak's May need and Gowongan's August need are not there yet; Karangwaru's second
    # commitment was approved at 01.00 WIB on 1 April, so it is not either.
    assert (rows[KRICAK].kms_households, rows[KRICAK].committed_rp, rows[KRICAK].per_kms_rp) == (4, 8 * M, 2 * M)
    assert (rows[KARANGWARU].committed_rp, rows[KARANGWARU].collaborations, rows[KARANGWARU].per_kms_rp) == \
        (3 * M, 1, 500_000)
    assert rows[GOWONGAN].needs == 0 and rows[GOWONGAN].status == equity.NO_DATA
    assert (report.kms_households, report.committed_rp, report.per_kms_rp) == (20, 18 * M, 900_000)
    # Karangwaru's Rp500.000 is above half of Rp900.000: only Tegalrejo is left behind
    assert [row.code for row in report.left_behind] == [TEGALREJO]
    # x = 2, 0.5, 0 with weights 4, 6, 10: 292 / (2·20²·11/20) = 73/110
    assert report.gini == pytest.approx(float(Fraction(73, 110)))


def test_a_whole_year_is_as_of_its_last_day(session, world):
    year = equity.kelurahan_equity(session, Period(2025))
    now = equity.kelurahan_equity(session)
    assert [(r.code, r.committed_rp, r.kms_households) for r in year.rows] == \
        [(r.code, r.committed_rp, r.kms_households) for r in now.rows]
    assert year.gini == now.gini
    assert equity.kelurahan_equity(session, Period(2024)).committed_rp == 0


def test_gini_series_runs_from_the_first_commitment_quarter(session, world):
    series = equity.gini_by_quarter(session, today=date(2025, 12, 31))
    assert [point.period for point in series] == [Period(2025, q) for q in (1, 2, 3, 4)]
    expected = [Fraction(73, 110), Fraction(4, 7), Fraction(24, 35), Fraction(24, 35)]
    assert [point.gini for point in series] == pytest.approx([float(g) for g in expected])
    assert [point.kms_households for point in series] == [20, 22, 30, 30]
    # the series' commitments are those of kelurahan with KMS households (Bener's 7M is not in the Gini)
    assert [point.committed_rp for point in series] == [11 * M, 14 * M, 14 * M, 14 * M]


def test_series_agrees_with_the_period_filter(session, world):
    for point in equity.gini_by_quarter(session):
        assert point.gini == pytest.approx(equity.kelurahan_equity(session, point.period).gini)


def test_series_ends_in_the_current_quarter(session, world):
    series = equity.gini_by_quarter(session, today=date(2026, 11, 28))
    assert series[-1].period == Period(2026, 4)
    assert len(series) == 8


def test_nothing_committed_gives_no_series_and_no_gini(session):
    assert equity.gini_by_quarter(session) == []
    report = equity.kelurahan_equity(session)
    assert report.gini is None and report.per_kms_rp is None and report.left_behind == []
    assert len(report.no_data) == 45
