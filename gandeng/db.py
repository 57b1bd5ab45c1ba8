"""The SQLAlchemy handle, the model base and small column helpers."""
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """The current time in UTC, naive, as every `*_at` column stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite enforces foreign keys only when asked; WAL lets readers run beside one writer."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


def install_sqlite_pragmas():
    """Apply `_sqlite_pragmas` to every new database connection of this process."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


# --- PostgreSQL connections checked without a round trip ------------------------------------------
# pool_pre_ping sent `;` to the server on every checkout: one round trip of the five or six a
# signed-in page costs. A connection the server ended while it sat in the pool (a restart, a
# fail-over, pg_terminate_backend, an idle timeout) has something to read: the server's farewell
# message, or the end of the stream. An idle connection in good health has nothing. So checkout
# looks at the socket (no round trip) and pings for real only a connection idle for long, whose
# network path may have gone silently (a firewall's dropped state).

PING_AFTER_IDLE_S = 30.0
_IDLE_SINCE = "gandeng_idle_since"


def _server_said_something(fd: int) -> bool:
    import select

    try:
        readable, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _ping(dbapi_connection) -> None:
    was_autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # no transaction opened for the ping
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(";")
    finally:
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = was_autocommit


def _check_on_checkout(dbapi_connection, record, _proxy) -> None:
    """Refuse (the pool then opens a new one) a PostgreSQL connection the server has ended."""
    import time

    from sqlalchemy.exc import DisconnectionError

    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg 3; SQLite needs no check
    if pgconn is None:
        return
    try:
        alive = not dbapi_connection.broken and not dbapi_connection.closed
        alive = alive and not _server_said_something(pgconn.socket)
    except Exception:  # noqa: BLE001 — pgconn.socket raises once the connection is gone
        alive = False
    if not alive:
        raise DisconnectionError("the server ended this pooled connection")
    if time.monotonic() - record.info.get(_IDLE_SINCE, time.monotonic()) > PING_AFTER_IDLE_S:
        try:
            _ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 — any failure: a new connection instead
            raise DisconnectionError("a long-idle pooled connection did not answer") from error


def _note_idle(_dbapi_connection, record) -> None:
    import time

    record.info[_IDLE_SINCE] = time.monotonic()


def install_connection_checks() -> None:
    """Check pooled connections on checkout without a round trip (`_check_on_checkout`) in every
    pool of this process, instead of `pool_pre_ping`'s `;` on every checkout (idempotent)."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    for name, handler in (("checkout", _check_on_checkout), ("checkin", _note_idle)):
        if not event.contains(Pool, name, handler):
            event.listen(Pool, name, handler)
