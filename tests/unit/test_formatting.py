"""Money, dates and times are shown the Indonesian way."""
from datetime import date, datetime

import pytest

from gandeng.formatting import long_date, long_datetime, rupiah
from gandeng.forms_common import parse_date, parse_rupiah


def test_rupiah_has_dots_and_no_space_after_rp():
    assert rupiah(1_500_000) == "Rp1.500.000"
    assert rupiah(0) == "Rp0"
    assert rupiah(999) == "Rp999"


def test_long_date_uses_indonesian_month_names():
    assert long_date(date(2026, 11, 28)) == "28 November 2026"
    assert long_date(date(2026, 8, 17)) == "17 Agustus 2026"
    assert long_date(date(2026, 8, 17), "en") == "17 August 2026"


def test_times_are_shown_in_wib():
    # 20.30 UTC on 27 November is 03.30 on 28 November in Yogyakarta (UTC+7).
    assert long_datetime(datetime(2026, 11, 27, 20, 30)) == "28 November 2026 03.30 WIB"


@pytest.mark.parametrize("text", ["1.500.000", "Rp1.500.000", "Rp 1.500.000", "1500000", "rp. 1.500.000,-", 1500000])
def test_parse_rupiah_accepts_the_ways_people_write_money(text):
    assert parse_rupiah(text) == 1_500_000


@pytest.mark.parametrize("text", ["abc", "1.50.000", "-5", "", "2.5", True, 1.5])
def test_parse_rupiah_refuses_what_is_not_a_whole_amount(text):
    with pytest.raises(ValueError):
        parse_rupiah(text)


@pytest.mark.parametrize("text", ["2026-12-31", "31/12/2026", "31-12-2026"])
def test_parse_date_accepts_iso_and_indonesian_order(text):
    assert parse_date(text) == date(2026, 12, 31)


@pytest.mark.parametrize("text", ["31/13/2026", "kemarin", "2026-02-30", ""])
def test_parse_date_refuses_impossible_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_scores_shares_and_big_sums_follow_the_locale():
    from gandeng.formatting import big_decimal, decimal, month_year, percent, whole

    assert (decimal(0.6449), decimal(0.6449, "en")) == ("0,64", "0.64")
    assert (percent(48.23, "id", 1), percent(48.23, "en", 1), percent(40)) == ("48,2%", "48.2%", "40%")
    assert (big_decimal(2.45e8), big_decimal(2.45e8, "en")) == ("245.000.000", "245,000,000")
    assert (whole(15_000_000), whole(100_000, "en")) == ("15.000.000", "100,000")
    assert (month_year("2026-12"), month_year("2026-12", "en"), month_year("v2")) == (
        "Desember 2026", "December 2026", "v2")
