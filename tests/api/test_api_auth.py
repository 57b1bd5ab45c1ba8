"""Tokens: issued for e-mail and password, stored hashed, expiring, revocable; rate limits."""
from datetime import timedelta

from sqlalchemy import select, text

from gandeng.accounts.models import UserStatus
from gandeng.api.auth import hash_token
from gandeng.api.models import ApiToken
from gandeng.db import utcnow
from tests import factories as f
from tests.api.helpers import bearer, token_for
from tests.conftest import make_app


def _token(client, user, password=f.PASSWORD):
    return client.post("/api/v1/auth/token", json={"email": user.email, "password": password})


def test_token_is_issued_for_email_and_password_and_works_as_bearer(client, session):
    staff = f.make_staff(session)
    session.commit()
    response = _token(client, staff)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_at"} and len(body["token"]) >= 40
    token = session.scalar(select(ApiToken))
    assert token.expires_at - utcnow() > timedelta(days=29, hours=23)
    needs = client.get("/api/v1/proposals", headers=bearer(body["token"]))
    assert needs.status_code == 200


def test_only_the_hash_of_the_token_is_stored(client, session):
    staff = f.make_staff(session)
    session.commit()
    plain = _token(client, staff).get_json()["token"]
    rows = session.execute(text("SELECT * FROM api_tokens")).all()
    assert len(rows) == 1
    assert all(plain not in str(value) for value in rows[0])
    assert rows[0].token_hash == hash_token(plain)


def test_wrong_password_is_a_json_401(client, session):
    staff = f.make_staff(session)
    session.commit()
    response = _token(client, staff, "salah-sekali")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"
    assert response.get_json()["error"]["message"] == "Email atau kata sandi salah."


def test_revoked_token_is_refused(client, session):
    staff = f.make_staff(session)
    token = token_for(session, staff)
    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    response = client.get("/api/v1/proposals", headers=bearer(token))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_expired_token_is_refused(client, session):
    staff = f.make_staff(session)
    token = token_for(session, staff)
    row = session.scalar(select(ApiToken))
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get("/api/v1/proposals", headers=bearer(token)).status_code == 401


def test_token_of_a_suspended_user_stops_working(client, session):
    partner = f.make_partner(session)
    token = token_for(session, partner)
    partner.status = UserStatus.SUSPENDED
    session.commit()
    assert client.get("/api/v1/proposals", headers=bearer(token)).status_code == 401


def test_unknown_or_malformed_authorization_is_401_even_on_public_reads(client):
    assert client.get("/api/v1/needs", headers=bearer("tidak-ada")).status_code == 401
    response = client.get("/api/v1/needs", headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401 and "Bearer" in response.get_json()["error"]["message"]


def test_token_expiry_follows_api_token_days(tmp_path, template_db):
    app = make_app(tmp_path, template_db, API_TOKEN_DAYS=2)
    with app.app_context():
        from gandeng.db import db

        staff = f.make_staff(db.session)
        db.session.commit()
        app.test_client().post("/api/v1/auth/token", json={"email": staff.email, "password": f.PASSWORD})
        row = db.session.scalar(select(ApiToken))
        assert timedelta(days=1, hours=23) < row.expires_at - row.created_at <= timedelta(days=2)
        db.session.remove()
        db.engine.dispose()


def test_failed_api_logins_count_against_the_login_form_limit(tmp_path, template_db):
    app = make_app(tmp_path, template_db, LOGIN_LIMIT_PER_ACCOUNT="2 per minute")
    with app.app_context():
        from gandeng.db import db

        staff = f.make_staff(db.session)
        db.session.commit()
        client = app.test_client()
        assert _token(client, staff, "salah-1").status_code == 401
        client.post("/login", data={"email": staff.email, "password": "salah-2"})
        response = _token(client, staff)  # even the right password: the account is locked for now
        assert response.status_code == 429
        assert response.get_json()["error"]["code"] == "rate_limited"
        db.session.remove()
        db.engine.dispose()


def test_api_rate_limit_counts_per_token(tmp_path, template_db):
    app = make_app(tmp_path, template_db, API_RATE_LIMIT="3 per minute")
    with app.app_context():
        from gandeng.db import db

        one, two = f.make_staff(db.session, email="a@contoh.id"), f.make_staff(db.session, email="b@contoh.id")
        first, second = token_for(db.session, one), token_for(db.session, two)
        client = app.test_client()
        statuses = [client.get("/api/v1/needs", headers=bearer(first)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert client.get("/api/v1/needs", headers=bearer(second)).status_code == 200
        db.session.remove()
        db.engine.dispose()
