"""Log-in attempts are limited per account and per address, with an Indonesian 429 page."""
from contextlib import contextmanager

from gandeng.db import db
from tests import factories as f
from tests.conftest import make_app


@contextmanager
def limited_app(tmp_path, template_db, **limits):
    app = make_app(tmp_path, template_db, **limits)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _attempt(client, email, password, ip="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def test_account_is_locked_after_the_limit_of_failed_attempts_even_from_another_address(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT="3 per minute") as app:
        user = f.make_staff(db.session, email="sasaran@contoh.id")
        db.session.commit()
        client = app.test_client()
        for _ in range(3):
            assert _attempt(client, user.email, "tebakan-salah").status_code == 200
        response = _attempt(client, user.email, f.PASSWORD, ip="10.9.9.9")
        assert response.status_code == 429
        assert "Terlalu banyak percobaan" in response.text
        assert "_user_id" not in _session(client)


def test_account_limit_counts_the_email_in_any_case(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT="2 per minute") as app:
        client = app.test_client()
        assert _attempt(client, "Sasaran@Contoh.id", "salah", ip="10.0.0.1").status_code == 200
        assert _attempt(client, " sasaran@contoh.id", "salah", ip="10.0.0.2").status_code == 200
        assert _attempt(client, "SASARAN@CONTOH.ID", "salah", ip="10.0.0.3").status_code == 429


def test_locked_account_does_not_lock_other_accounts(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT="2 per minute") as app:
        other = f.make_staff(db.session, email="lain@contoh.id")
        db.session.commit()
        client = app.test_client()
        for _ in range(3):
            _attempt(client, "sasaran@contoh.id", "salah")
        assert _attempt(client, other.email, f.PASSWORD).status_code == 302


def test_successful_logins_do_not_use_up_the_failure_budget(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT="2 per minute") as app:
        user = f.make_staff(db.session, email="rajin@contoh.id")
        db.session.commit()
        client = app.test_client()
        for _ in range(4):
            assert _attempt(client, user.email, f.PASSWORD).status_code == 302
            client.post("/logout", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert _attempt(client, user.email, "salah").status_code == 200
        assert _attempt(client, user.email, f.PASSWORD).status_code == 302


def test_one_address_trying_many_emails_is_limited(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_IP="3 per minute") as app:
        client = app.test_client()
        for n in range(3):
            assert _attempt(client, f"orang{n}@contoh.id", "salah", ip="10.1.1.1").status_code == 200
        response = _attempt(client, "orang99@contoh.id", "salah", ip="10.1.1.1")
        assert response.status_code == 429
        assert "Terlalu banyak percobaan" in response.text
        # Another address is not affected.
        assert _attempt(client, "orang99@contoh.id", "salah", ip="10.2.2.2").status_code == 200


def test_limit_applies_to_posting_the_form_not_to_opening_it(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_IP="1 per minute") as app:
        client = app.test_client()
        _attempt(client, "a@contoh.id", "salah")
        assert _attempt(client, "b@contoh.id", "salah").status_code == 429
        assert client.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200


def _session(client):
    with client.session_transaction() as sess:
        return dict(sess)


# --- audit finding 5: the per-account limit slows a guesser without locking the owner out ---------

def test_owner_signs_in_from_a_known_browser_while_a_guesser_has_used_up_the_account_ceiling(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT="4 per hour",
                     LOGIN_LIMIT_PER_ACCOUNT_CLIENT="2 per minute") as app:
        owner = f.make_partner(db.session, email="pemilik@contoh.id")
        db.session.commit()
        browser = app.test_client()
        assert _attempt(browser, owner.email, f.PASSWORD, ip="10.0.0.1").status_code == 302
        browser.post("/logout", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        guesser = app.test_client()
        for n in range(4):  # from four addresses, two failures each would be allowed per address
            assert _attempt(guesser, owner.email, "tebakan", ip=f"10.6.6.{n}").status_code == 200
        assert _attempt(guesser, owner.email, f.PASSWORD, ip="10.6.6.9").status_code == 429  # ceiling: slowed
        response = _attempt(browser, owner.email, f.PASSWORD, ip="10.0.0.1")
        assert response.status_code == 302  # the owner's browser is not locked out
        assert "_user_id" in _session(browser)


def test_failures_count_per_account_and_client(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT_CLIENT="2 per minute",
                     LOGIN_LIMIT_PER_ACCOUNT="100 per hour") as app:
        user = f.make_staff(db.session, email="sasaran@contoh.id")
        db.session.commit()
        client = app.test_client()
        for _ in range(2):
            assert _attempt(client, user.email, "salah", ip="10.0.0.1").status_code == 200
        assert _attempt(client, user.email, f.PASSWORD, ip="10.0.0.1").status_code == 429
        assert _attempt(client, user.email, f.PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_known_browser_is_still_limited_for_its_own_failures(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT_CLIENT="2 per minute") as app:
        user = f.make_staff(db.session, email="lupa@contoh.id")
        db.session.commit()
        client = app.test_client()
        _attempt(client, user.email, f.PASSWORD)
        client.post("/logout", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        for _ in range(2):
            assert _attempt(client, user.email, "salah").status_code == 200
        assert _attempt(client, user.email, f.PASSWORD).status_code == 429


def test_a_forged_or_foreign_device_cookie_earns_no_exemption(tmp_path, template_db):
    with limited_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT="1 per hour") as app:
        owner = f.make_staff(db.session, email="pemilik@contoh.id")
        guesser_account = f.make_staff(db.session, email="penebak@contoh.id")
        db.session.commit()
        guesser = app.test_client()
        assert _attempt(guesser, guesser_account.email, f.PASSWORD).status_code == 302  # a cookie for *its* account
        guesser.post("/logout", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        cookie = guesser.get_cookie("gg_device", path="/login")
        assert cookie is not None and "penebak" not in cookie.value and cookie.http_only
        assert _attempt(guesser, owner.email, "salah", ip="10.0.0.3").status_code == 200
        assert _attempt(guesser, owner.email, f.PASSWORD, ip="10.0.0.4").status_code == 429
        guesser.set_cookie("gg_device", cookie.value[:-3] + "abc", path="/login")
        assert _attempt(guesser, owner.email, f.PASSWORD, ip="10.0.0.5").status_code == 429
