"""Crash safety of the embedded database: every SQLite connection the app opens runs in WAL mode
with synchronous=FULL (a commit is on disk before it is acknowledged) and enforces foreign keys."""
import sqlite3

from gandeng.db import db
from tests.conftest import make_app

FULL = 2


def _pragmas(connection) -> dict:
    return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}


def test_every_app_connection_uses_wal_synchronous_full_and_foreign_keys(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    with app.app_context():
        try:
            session_side = _pragmas(db.session.connection())
            with db.engine.connect() as second:  # another pooled connection, opened afresh
                other_side = _pragmas(second)
        finally:
            db.session.remove()
            db.engine.dispose()

    for found in (session_side, other_side):
        assert found["journal_mode"] == "wal"
        assert found["synchronous"] == FULL
        assert found["foreign_keys"] == 1
        assert found["busy_timeout"] >= 1000


def test_the_database_file_stays_in_wal_mode_for_other_readers(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    with app.app_context():
        db.session.connection()
        db.session.remove()
        db.engine.dispose()
    # WAL is a property of the file: a plain connection (a backup, sqlite3 CLI) sees it too.
    plain = sqlite3.connect(tmp_path / "test.sqlite")
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        plain.close()
