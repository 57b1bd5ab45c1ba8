"""Passwords are stored as salted Argon2id hashes and checked without raising."""
import pytest

from gandeng.accounts import passwords


@pytest.fixture(params=["fast", "normal"])
def cost(request):
    passwords.use_cost(request.param)
    yield request.param
    passwords.use_cost("fast")


def test_hash_is_argon2id_and_not_the_password(cost):
    hashed = passwords.hash_password("rahasia-123")
    assert hashed.startswith("$argon2id$")
    assert "rahasia-123" not in hashed


def test_same_password_gets_a_different_salt_each_time():
    passwords.use_cost("fast")
    assert passwords.hash_password("rahasia-123") != passwords.hash_password("rahasia-123")


def test_normal_cost_uses_the_library_defaults_of_at_least_64_mib():
    passwords.use_cost("normal")
    try:
        hashed = passwords.hash_password("rahasia-123")
    finally:
        passwords.use_cost("fast")
    assert "m=65536" in hashed


def test_check_password_accepts_the_right_password_only():
    passwords.use_cost("fast")
    hashed = passwords.hash_password("rahasia-123")
    assert passwords.check_password(hashed, "rahasia-123")
    assert not passwords.check_password(hashed, "rahasia-124")
    assert not passwords.check_password(hashed, "")


def test_hash_made_with_normal_cost_still_verifies_when_fast_is_chosen():
    passwords.use_cost("normal")
    hashed = passwords.hash_password("rahasia-123")
    passwords.use_cost("fast")
    assert passwords.check_password(hashed, "rahasia-123")


@pytest.mark.parametrize("stored", ["", "rahasia-123", "$argon2id$rusak", "$2b$12$abcdefghijklmnopqrstuv"])
def test_malformed_or_plain_stored_value_never_matches_and_never_raises(stored):
    assert passwords.check_password(stored, "rahasia-123") is False


def test_burn_time_for_unknown_accounts_does_not_raise():
    passwords.use_cost("fast")
    assert passwords.burn_time("apa saja") is None
