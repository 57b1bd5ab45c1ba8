"""Phone numbers normalised to E.164; the password rules (length, the 10,000 most common, own e-mail/name)."""
import pytest

from gandeng.accounts.password_policy import common_passwords, password_problems
from gandeng.accounts.phones import normalise_phone, phone_or_none, whatsapp_id
from gandeng.errors import DomainError


@pytest.mark.parametrize("raw", ["0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890", "6281234567890",
                                 "(0812) 3456.7890", " 081234567890 "])
def test_indonesian_number_in_any_form_becomes_one_e164(raw):
    assert normalise_phone(raw) == "+6281234567890"
    assert whatsapp_id(normalise_phone(raw)) == "6281234567890"


def test_landline_and_empty():
    assert normalise_phone("0274 512345") == "+62274512345"
    assert normalise_phone("") == "" and normalise_phone(None) == ""


@pytest.mark.parametrize("raw", ["12345", "0812", "bukan nomor", "+62 000 0000", "08123456789012345"])
def test_invalid_numbers_are_refused_with_an_indonesian_message(raw):
    with pytest.raises(DomainError) as refused:
        normalise_phone(raw)
    assert refused.value.field == "phone" and "Nomor HP tidak sah" in refused.value.message
    assert phone_or_none(raw) is None


def test_the_shipped_list_holds_ten_thousand_common_passwords():
    common = common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= common


@pytest.mark.parametrize("password", ["password", "Password", "iloveyou", "12345678", "sunshine", "qwertyuiop"])
def test_common_passwords_are_refused(app, password):
    with app.test_request_context():
        assert any("paling sering dipakai" in p for p in password_problems(password))


@pytest.mark.parametrize("password", ["budi-santoso-99", "xxSANTOSOxx", "bsantoso2026", "Budi.Kampung1"])
def test_passwords_with_the_name_or_email_are_refused(app, password):
    with app.test_request_context():
        problems = password_problems(password, email="bsantoso@contoh.id", name="Budi Santoso")
    assert any("email atau nama" in p for p in problems)


def test_short_password_and_a_good_one(app):
    with app.test_request_context():
        assert password_problems("pendek") == ["Kata sandi minimal 8 karakter."]
        assert password_problems("kebun-salak-di-gunung-77", email="budi@contoh.id", name="Budi") == []
        assert password_problems("rahasia-123", email="user12@contoh.id", name="Pengguna 12") == []
