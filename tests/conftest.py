"""Shared fixtures: one app per test on a fresh database — a copy of a prepared SQLite file, and,
when TEST_DATABASE_URL is set, the same test again on PostgreSQL (tables emptied between tests)."""
import os
import shutil

import pytest

from gandeng.db import db
from gandeng.factory import create_app
from tests import routing_cache

routing_cache.install()  # every app of the run shares the compiled URL builders (tests/routing_cache.py)

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_COST": "fast",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Tests that use Redis (RQ) pass os.environ["REDIS_URL"] themselves; the rest run in-process.
    "REDIS_URL": None,
}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A SQLite file with the schema and reference data, built once and copied for each test."""
    from gandeng.reference.services import load_reference_data

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        load_reference_data(db.session)
        db.session.commit()
        db.engine.dispose()
    return path


def make_app(tmp_path, template_db, **overrides):
    """An app on a fresh copy of the template database, uploads under tmp_path."""
    path = tmp_path / "test.sqlite"
    shutil.copy(template_db, path)
    config = {
        **BASE_CONFIG,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        **overrides,
    }
    return create_app(config)


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_configure(config):
    if os.environ.get("CI") == "true" and not os.environ.get("TEST_DATABASE_URL"):
        raise pytest.UsageError("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run would be missing")


def _worker_database_url(url: str) -> str:
    """Under pytest-xdist each worker gets its own database (created when missing)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL test database, migrated to head by the committed migrations, with reference data."""
    from sqlalchemy import text

    from gandeng.reference.services import load_reference_data
    from gandeng.schema import upgrade_to_head

    url = _worker_database_url(os.environ["TEST_DATABASE_URL"])
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade_to_head()
        with db.engine.begin() as connection:
            delete_postgres_rows(connection)  # what a migration may have inserted: not in SQLite's template
        load_reference_data(db.session)
        db.session.commit()
        _save_reference_rows()
        db.engine.dispose()
    return url


def delete_postgres_rows(connection):
    """Every table emptied and every id sequence back at 1, in the caller's transaction, in one round
    trip. DELETE, children first: on tables of a few rows it takes milliseconds where a TRUNCATE of
    all the tables takes over a second (new files for every table), and it runs before every
    PostgreSQL test."""
    statements = [f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)]
    statements.append(
        "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'S' AND n.nspname = current_schema()")
    connection.exec_driver_sql(";\n".join(statements))  # no parameters: psycopg sends them as one query


# The rows `load_reference_data` writes into an empty database, kept by `postgres_url` (per process):
# putting them back is one INSERT per table instead of a SELECT and an INSERT per row.
REFERENCE_ROWS: dict[str, list[dict]] = {}


def _save_reference_rows():
    from sqlalchemy import select

    with db.engine.connect() as connection:
        REFERENCE_ROWS.clear()
        for table in db.metadata.sorted_tables:
            rows = [dict(row) for row in connection.execute(select(table)).mappings()]
            if rows:
                REFERENCE_ROWS[table.name] = rows


def _empty_postgres_tables():
    """Every table emptied and the reference data put back as loaded (a test may have changed it)."""
    from sqlalchemy import Integer, insert, text

    from gandeng.reference.services import load_reference_data
    from tests import snapshot

    snapshot.POSTGRES_EMPTIED += 1  # a saved world on this database is gone (tests/snapshot.py)

    with db.engine.begin() as connection:
        delete_postgres_rows(connection)
        for table in db.metadata.sorted_tables:
            if REFERENCE_ROWS.get(table.name):
                connection.execute(insert(table), REFERENCE_ROWS[table.name])
                for column in table.primary_key.columns:  # today's reference tables are keyed by codes
                    if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                        connection.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                            f"COALESCE(MAX({column.name}), 0) + 1, false) FROM {table.name}"))
    if not REFERENCE_ROWS:  # not saved in this process (postgres_url not used): load them row by row
        load_reference_data(db.session)
        db.session.commit()


def sqlite_only(reason: str):
    """A mark: the test runs on SQLite alone, though TEST_DATABASE_URL is set. Only for behaviour
    decided where the database cannot differ (routing, redirects, templates, static files), with
    the reason said; anything about SQL (constraints, races, migrations, JSON, dates, locking)
    runs on both backends."""
    if not reason.strip():
        raise ValueError("sqlite_only needs its reason")
    return pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def postgresql_only(reason: str):
    """A mark: the test runs on PostgreSQL alone, for behaviour SQLite does not have (row locks and
    their timeouts), with the reason said. Without TEST_DATABASE_URL it is skipped, saying so; CI
    always sets it (pytest_configure)."""
    if not reason.strip():
        raise ValueError("postgresql_only needs its reason")
    if "postgresql" in BACKENDS:
        return pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
    return pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.skip(
        reason=f"TEST_DATABASE_URL is not set; PostgreSQL only: {reason}"))], indirect=True)


@pytest.fixture(params=BACKENDS)
def backend(request):
    """The database this test runs on: 'sqlite', and also 'postgresql' when TEST_DATABASE_URL is set."""
    return request.param


def _serve(request, backend, tmp_path, template_db, **overrides):
    """An app on the test's backend, inside its app context; both apps of a test share one database."""
    if backend == "postgresql":
        overrides["SQLALCHEMY_DATABASE_URI"] = request.getfixturevalue("postgres_url")
    app = make_app(tmp_path, template_db, **overrides)
    with app.app_context():
        if backend == "postgresql":
            _empty_postgres_tables()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(request, backend, tmp_path, template_db):
    yield from _serve(request, backend, tmp_path, template_db)


@pytest.fixture
def csrf_app(request, backend, tmp_path, template_db):
    """Like `app`, with CSRF protection switched on as in production."""
    yield from _serve(request, backend, tmp_path, template_db, WTF_CSRF_ENABLED=True)


@pytest.fixture
def redis_url():
    """The Redis of REDIS_URL; missing, it fails in CI and skips (saying why) elsewhere."""
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but REDIS_URL is not set: this test needs a Redis")
        pytest.skip("REDIS_URL is not set (e.g. `redis-server --port 6399 --daemonize yes` and "
                    "REDIS_URL=redis://127.0.0.1:6399/0)")
    return url


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """The app's database session (inside the app context)."""
    return db.session


def login(client, user, password="rahasia-123"):
    """Log `user` in through the real form; returns the response."""
    return client.post("/login", data={"email": user.email, "password": password})


# --- issue 14: a real local SMTP server, the local fake WhatsApp Cloud API, the app served over HTTP ---
from tests.smtp_fake import smtp_server  # noqa: E402,F401  (fixtures)
from tests.whatsapp_fake import cloud_api, live_server  # noqa: E402,F401
