"""The `wa_link` filter: Indonesian numbers as typed become WhatsApp click-to-chat links."""
import pytest

from gandeng.formatting import wa_link


@pytest.mark.parametrize("phone", [
    "0812-3456-7890", "081234567890", "+62 812 3456 7890", "+62-812-3456-7890", "62 812 3456 7890",
    "812 3456 7890", "(0812) 3456.7890",
])
def test_indonesian_mobile_numbers_become_wa_me_links_with_country_code(phone):
    assert wa_link(phone) == "https://wa.me/6281234567890"


@pytest.mark.parametrize("phone", ["", None, "-", "(0274) 51", "+1 555 0100 200", "0812", "08" + "1" * 20])
def test_non_numbers_short_numbers_and_foreign_numbers_give_no_link(phone):
    assert wa_link(phone) is None

