"""Running as several processes: /healthz reports database and Redis, log-in limits are shared through
Redis, a reverse proxy's X-Forwarded-For is trusted only when PROXY_FIX_X_FOR says so."""
import os
import socket
import uuid
from contextlib import contextmanager

import pytest

from gandeng.db import db
from tests import factories as f
from tests.conftest import make_app


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(tmp_path, template_db, **config):
    tmp_path.mkdir(parents=True, exist_ok=True)
    app = make_app(tmp_path, template_db, **config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


# /healthz


def test_healthz_is_ok_without_redis_configured(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "not configured"}


def test_healthz_reports_redis_down_with_503(tmp_path, template_db):
    with serving(tmp_path, template_db, REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0") as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"database": "ok", "redis": "error"}


def test_healthz_reports_database_down_with_503(tmp_path, template_db):
    unreachable = f"postgresql+psycopg://gandeng:x@127.0.0.1:{closed_port()}/gandeng?connect_timeout=2"
    with serving(tmp_path, template_db, SQLALCHEMY_DATABASE_URI=unreachable) as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"database": "error", "redis": "not configured"}


def test_healthz_reports_redis_ok_when_it_answers(tmp_path, template_db, redis_url):
    with serving(tmp_path, template_db, REDIS_URL=redis_url) as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "ok"}


# Log-in limits across processes


def _attempt(app, email, password, ip="10.7.0.1", headers=None):
    return app.test_client().post("/login", data={"email": email, "password": password},
                                  environ_base={"REMOTE_ADDR": ip}, headers=headers or {})


def _limit_config(storage_uri, prefix):
    return {"RATELIMIT_STORAGE_URI": storage_uri, "RATELIMIT_KEY_PREFIX": prefix,
            "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "LOGIN_LIMIT_PER_IP": "1000 per minute"}


def _failures_then_try_in_a_second_app(tmp_path, template_db, storage_uri, prefix, email):
    """Three failed log-ins through app A, then the right password through a new app B on the same
    database and limit storage; B's response status."""
    with serving(tmp_path / "a", template_db, **_limit_config(storage_uri, prefix)) as first:
        f.make_staff(db.session, email=email)
        db.session.commit()
        for _ in range(3):
            assert _attempt(first, email, "tebakan-salah").status_code == 200
        database = first.config["SQLALCHEMY_DATABASE_URI"]
    # create_app() again, as another gunicorn worker would: a fresh limiter storage connection.
    with serving(tmp_path / "b", template_db, SQLALCHEMY_DATABASE_URI=database,
                 **_limit_config(storage_uri, prefix)) as second:
        return _attempt(second, email, f.PASSWORD).status_code


def test_two_app_instances_sharing_redis_share_login_failure_counts(tmp_path, template_db, redis_url):
    token = uuid.uuid4().hex[:12]
    email = f"bersama-{token}@contoh.id"
    try:
        status = _failures_then_try_in_a_second_app(tmp_path, template_db, redis_url, f"test-{token}", email)
        assert status == 429  # the account is locked for every worker, not just the one attacked
    finally:
        from redis import Redis

        client = Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"*{token}*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_without_shared_storage_a_new_instance_starts_counting_afresh(tmp_path, template_db):
    """The control for the test above: with per-process memory storage the counts are not shared."""
    token = uuid.uuid4().hex[:12]
    status = _failures_then_try_in_a_second_app(tmp_path, template_db, "memory://", f"test-{token}",
                                                f"sendiri-{token}@contoh.id")
    assert status == 302


# Behind a reverse proxy


def test_behind_a_proxy_each_forwarded_client_has_its_own_address_limit(tmp_path, template_db):
    with serving(tmp_path, template_db, PROXY_FIX_X_FOR=1, LOGIN_LIMIT_PER_IP="2 per minute") as app:
        proxy = "127.0.0.1"
        for _ in range(2):
            assert _attempt(app, "a@contoh.id", "salah", ip=proxy,
                            headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200
        assert _attempt(app, "b@contoh.id", "salah", ip=proxy,
                        headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
        # Another client behind the same proxy is not locked out by the first one.
        assert _attempt(app, "c@contoh.id", "salah", ip=proxy,
                        headers={"X-Forwarded-For": "198.51.100.20"}).status_code == 200


def test_proxy_takes_only_the_address_its_own_proxy_appended(tmp_path, template_db):
    """A client cannot dodge the limit by sending its own X-Forwarded-For through the proxy."""
    with serving(tmp_path, template_db, PROXY_FIX_X_FOR=1, LOGIN_LIMIT_PER_IP="2 per minute") as app:
        for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
            response = _attempt(app, "a@contoh.id", "salah", ip="127.0.0.1",
                                headers={"X-Forwarded-For": f"{forged}, 203.0.113.7"})
        assert response.status_code == 429


def test_without_proxy_setting_forwarded_headers_are_ignored(tmp_path, template_db):
    with serving(tmp_path, template_db, LOGIN_LIMIT_PER_IP="2 per minute") as app:
        statuses = [
            _attempt(app, "a@contoh.id", "salah", ip="10.9.9.9", headers={"X-Forwarded-For": forged}).status_code
            for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3")
        ]
    assert statuses == [200, 200, 429]


def test_proxy_settings_come_from_the_environment(tmp_path, template_db, monkeypatch):
    from werkzeug.middleware.proxy_fix import ProxyFix

    monkeypatch.setenv("PROXY_FIX_X_FOR", "1")
    monkeypatch.setenv("PROXY_FIX_X_PROTO", "1")
    with serving(tmp_path, template_db) as app:
        assert isinstance(app.wsgi_app, ProxyFix)
        assert (app.wsgi_app.x_for, app.wsgi_app.x_proto, app.wsgi_app.x_host) == (1, 1, 0)
    monkeypatch.delenv("PROXY_FIX_X_FOR")
    monkeypatch.delenv("PROXY_FIX_X_PROTO")
    with serving(tmp_path / "direct", template_db) as app:
        assert not isinstance(app.wsgi_app, ProxyFix)
