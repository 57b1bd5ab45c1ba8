"""Transport (audit finding 9): served over https, the session cookie is Secure and browsers get HSTS
by default; plain-http set-ups (make run) keep working; explicit settings win."""
import pytest

from gandeng.db import db
from tests import factories as f
from tests.conftest import make_app


@pytest.fixture
def build(tmp_path, template_db, monkeypatch):
    for name in ("SESSION_COOKIE_SECURE", "HSTS_MAX_AGE", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    apps = []

    def _build(**config):
        app = make_app(tmp_path, template_db, **config)
        apps.append(app)
        return app

    yield _build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _login_cookie(app) -> str:
    with app.app_context():
        staff = f.make_staff(db.session)
        db.session.commit()
        response = app.test_client().post("/login", data={"email": staff.email, "password": f.PASSWORD},
                                          base_url="https://gandeng.example")
    assert response.status_code == 302
    return response.headers["Set-Cookie"]


def test_https_public_address_makes_the_session_cookie_secure_and_sends_hsts(build):
    app = build(PUBLIC_BASE_URL="https://gandeng.example")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "Secure" in _login_cookie(app)
    response = app.test_client().get("/", base_url="https://gandeng.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_plain_http_set_up_keeps_cookies_usable_over_http(build):
    app = build()
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert "Secure" not in _login_cookie(app)
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def test_explicit_settings_override_the_https_default(build, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "false")
    monkeypatch.setenv("HSTS_MAX_AGE", "0")
    app = build(PUBLIC_BASE_URL="https://gandeng.example")
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers
    monkeypatch.setenv("HSTS_MAX_AGE", "600")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    app = build(PUBLIC_BASE_URL="http://intranet.example")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.test_client().get("/").headers["Strict-Transport-Security"] == "max-age=600"
