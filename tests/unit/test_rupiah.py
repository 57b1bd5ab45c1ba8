"""One reader of Rupiah amounts for every form and import: the ways people really write money."""
import pytest

from gandeng.forms_common import parse_rupiah as forms_parse_rupiah
from gandeng.imports.common import money
from gandeng.rupiah import parse_rupiah


@pytest.mark.parametrize("text, amount", [
    ("50 juta", 50_000_000),
    ("50jt", 50_000_000),
    ("50 JT", 50_000_000),
    ("1,5 juta", 1_500_000),
    ("1.5jt", 1_500_000),
    ("Rp 1,5 jt", 1_500_000),
    ("Rp 50.000.000", 50_000_000),
    ("Rp50.000.000", 50_000_000),
    ("50.000.000", 50_000_000),
    ("50000000", 50_000_000),
    ("Rp50.000.000,00", 50_000_000),
    ("rp. 1.500.000,-", 1_500_000),
    ("500 ribu", 500_000),
    ("500rb", 500_000),
    ("750k", 750_000),
    ("1 juta 250 ribu", 1_250_000),
    ("2 miliar", 2_000_000_000),
    ("1.500 rb", 1_500_000),
    (1_500_000, 1_500_000),
])
def test_amounts_are_read_as_people_write_them(text, amount):
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", [
    "abc", "juta", "", "   ", "Rp", "-5", "1.50.000", "2.5", "1,5",
    "50 jutaan",            # a word that only starts like a unit
    "500 ribu 1 juta",      # units out of order: a typo, not an amount
    "1 juta 2",             # a bare number after a unit
    "1,2345678 rb",         # a fraction of a Rupiah
    "1.000.000.000.000.000.000",
    True, 1.5, -3,
])
def test_what_is_not_a_whole_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_rupiah(text)


def test_forms_and_imports_share_the_one_reader():
    assert forms_parse_rupiah is parse_rupiah
    assert money("50 juta") == 50_000_000
