"""Write transactions that decide on what they read: SQLite's BEGIN IMMEDIATE, PostgreSQL's row locks.

Why: an approval reads an offer's remaining money and then commits part of it. Two approvals
must never both read the old total. The conditional UPDATEs and the CHECK constraints already
make over-commitment impossible; taking the lock *before* the reads also makes every refusal
correct (a proposal is marked stale only when it truly no longer fits).

SQLite (pysqlite in its default, "legacy" transaction mode) sends no BEGIN before a SELECT, so
ordinary GET requests read without any lock and never queue behind writers. `begin_write` sends
BEGIN IMMEDIATE on the session's connection only where a service is about to decide a write:
it takes the database's single write lock at once, other writers wait (busy_timeout), readers
carry on (WAL). This is the "Serializable isolation" recipe of SQLAlchemy's pysqlite notes,
applied per transaction instead of to every connection.

PostgreSQL: `begin_write` does nothing; services read the rows they decide on with
`locked(...)` (SELECT ... FOR UPDATE), and the conditional UPDATEs stay atomic by themselves.
A row another transaction holds for long (a matching run supersedes the open proposals while its
engine works) can be waited for a bounded time: `locked(..., wait_s=...)` raises RowBusy then.
"""
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc, select, text

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout ends the wait


class RowBusy(Exception):
    """The row stayed locked by another transaction for longer than the wait allowed. The
    transaction is aborted (PostgreSQL): roll back before anything else."""


def _dbapi_connection(connection):
    return connection.connection.dbapi_connection


def begin_write(session) -> None:
    """Make the session's current transaction a write transaction from here on.

    On SQLite: BEGIN IMMEDIATE unless the connection already is in a transaction (in pysqlite's
    legacy mode that means a write already happened, so the write lock is already held).
    Objects loaded before this call may be stale: reload what the decision depends on
    (`locked` does, with populate_existing)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    dbapi = _dbapi_connection(connection)
    if not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_write_locked(session) -> bool:
    """Whether the session holds a write transaction (SQLite) — for tests and assertions."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return True
    return bool(_dbapi_connection(connection).in_transaction)


def locked(session, model, object_id, wait_s: float | None = None):
    """The row of `model` with this id read afresh (identity map overwritten), locked where the
    database has row locks; None if it does not exist. Call after `begin_write`.

    The lock is FOR NO KEY UPDATE: decisions change a row's values, never its id, so rows being
    inserted that refer to it (a matching run copying proposals that name this need or offer,
    whose foreign-key checks take KEY SHARE locks) do not wait for it, nor it for them. `wait_s`:
    wait at most that long for another transaction's lock on the row (PostgreSQL's lock_timeout,
    set back afterwards), then raise RowBusy; by default, as long as it takes."""
    query = (
        select(model)
        .where(model.id == object_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    bounded = wait_s is not None and session.connection().dialect.name == "postgresql"
    if not bounded:
        return session.scalars(query).first()
    before = session.execute(text("SELECT current_setting('lock_timeout')")).scalar_one()
    session.execute(text("SELECT set_config('lock_timeout', :wait, true)"),
                    {"wait": f"{max(1, round(wait_s * 1000))}ms"})
    try:
        row = session.scalars(query).first()
    except sa_exc.OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise RowBusy(f"{model.__tablename__} {object_id}") from error
        raise
    session.execute(text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": before})
    return row


@contextmanager
def write_transaction(session):
    """`with write_transaction(db.session):` — begin_write, then the block; the caller commits.
    On an exception the session is rolled back (releasing the lock) and the exception goes on."""
    begin_write(session)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
