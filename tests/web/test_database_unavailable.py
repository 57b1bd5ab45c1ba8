"""The database away: pages and the API answer 503 with Retry-After (a page drawn without the
database, for a signed-in user too; JSON code `unavailable`), /healthz says so, and everything
recovers by itself when the database is back — no operator, no restart.

SQLite: the database's folder is moved away (new connections cannot open it; the connections
already open are dropped, as a process restart or a broken file handle would). PostgreSQL: the
database refuses connections (ALTER DATABASE … ALLOW_CONNECTIONS false) and its sessions are
terminated, as a restart or fail-over does. The figures are printed (-s)."""
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from gandeng.db import db
from tests import factories as f
from tests.conftest import _serve

PAGES = ["/", "/needs", "/matching", "/notifications"]


@pytest.fixture
def prod_app(request, backend, tmp_path, template_db):
    """The app as in production (errors inside error pages are handled, not raised to the test); on
    SQLite its database lives in a folder of its own, so that the folder can be moved away."""
    overrides = {"PROPAGATE_EXCEPTIONS": False}
    if backend == "sqlite":
        folder = tmp_path / "database"
        folder.mkdir()
        shutil.copy(template_db, folder / "gandeng.sqlite")
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'gandeng.sqlite'}"
    yield from _serve(request, backend, tmp_path, template_db, **overrides)


@contextmanager
def database_away(app, backend, tmp_path):
    """The app's database unreachable inside the block, back afterwards (restored even on failure)."""
    if backend == "sqlite":
        folder = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent
        folder.rename(tmp_path / "database-moved")
        db.session.remove()  # the test's app context outlives requests: its session holds a connection
        db.engine.dispose()  # open connections would still reach the moved file
        try:
            yield
        finally:
            (tmp_path / "database-moved").rename(folder)
        return
    # PostgreSQL, as the test role that owns the database, from the `postgres` database (a database
    # cannot refuse connections while one is connected to it to say so).
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    name = url.database
    admin = create_engine(url.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        try:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                               {"name": name})
            yield
        finally:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    admin.dispose()


def _signed_in_staff(app):
    staff = f.make_staff(db.session)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
        sess["_fresh"] = True
    return client


def test_pages_and_api_answer_503_while_the_database_is_away_and_recover_by_themselves(
        prod_app, backend, tmp_path):
    client = _signed_in_staff(prod_app)
    anonymous = prod_app.test_client()
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/needs").status_code == 200

    with database_away(prod_app, backend, tmp_path):
        statuses = []
        for path in PAGES:
            response = client.get(path)
            statuses.append(response.status_code)
            assert response.status_code == 503, path
            assert response.headers["Retry-After"] == "15"
            assert "Basis data sedang tidak dapat dihubungi" in response.text
            assert "Internal Server Error" not in response.text
            assert '<meta http-equiv="refresh" content="15">' in response.text
        assert anonymous.get("/").status_code == 503
        posted = anonymous.post("/login", data={"email": "a@b.id", "password": "x"})
        assert posted.status_code == 503 and "Kiriman Anda belum tersimpan" in posted.text
        assert client.get("/halaman-yang-tidak-ada").status_code == 503  # the 404 page needs the user too
        api = client.get("/api/v1/needs")
        # Flask-Limiter raises Retry-After on API answers to the end of the rate-limit window if later.
        assert api.status_code == 503 and int(api.headers["Retry-After"]) >= 15
        assert api.get_json()["error"]["code"] == "unavailable"
        assert api.get_json()["error"]["message"].startswith("Basis data sedang tidak dapat dihubungi")
        token = anonymous.post("/api/v1/auth/token", json={"email": "a@b.id", "password": "x"})
        assert token.status_code == 503 and token.get_json()["error"]["code"] == "unavailable"
        health = anonymous.get("/healthz")
        assert health.status_code == 503 and health.get_json()["database"] == "error"
        anonymous.get("/bahasa/en")
        english = anonymous.get("/")
        assert english.status_code == 503 and "The database cannot be reached" in english.text
        assert 'lang="en"' in english.text
        back_at = time.monotonic()

    tries = 0
    while client.get("/needs").status_code != 200:  # no operator: the pool finds working connections
        tries += 1
        assert time.monotonic() - back_at < 10, "no recovery within 10 s"
        time.sleep(0.1)
    recovered = time.monotonic() - back_at
    print(f"\n[fault: database away, {backend}] statuses {sorted(set(statuses))} with Retry-After; "
          f"{tries} failed tries after it came back; recovered in {recovered:.2f} s")
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/needs").status_code == 200
    assert anonymous.get("/healthz").status_code == 200


def test_a_broken_error_page_falls_back_to_the_plain_one(prod_app, monkeypatch):
    import gandeng.errors

    def broken(*args, **kwargs):
        raise RuntimeError("base.html could not be drawn")

    @prod_app.get("/boom-for-test")
    def boom():
        raise RuntimeError("a bug")

    monkeypatch.setattr(gandeng.errors, "_respond", broken)
    response = prod_app.test_client().get("/boom-for-test")
    assert response.status_code == 500 and "Terjadi kesalahan di server" in response.text
    assert "Retry-After" not in response.headers
