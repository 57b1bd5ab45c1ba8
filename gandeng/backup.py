"""`flask --app app backup FILE` and `restore FILE` for the SQLite database.

Both use SQLite's online backup API, so they work while the web and worker processes run: a backup is
one consistent snapshot of the committed data (a writer's open transaction neither blocks it nor ends
up in it), and a restore writes into the live database as one transaction that the running processes
see like any other write. PostgreSQL is backed up with pg_dump / pg_restore (docs/deployment.md).
Uploaded files (UPLOAD_DIR) are not in the database: copy them alongside.
"""
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import click
from flask.cli import with_appcontext

from gandeng.cli_exit import fail
from gandeng.db import db

SQLITE_HEADER = b"SQLite format 3\x00"
# A file is one of ours when it carries Alembic's revision table and the core tables.
REQUIRED_TABLES = ("alembic_version", "users", "kampung", "organisations", "needs", "offers")
BUSY_TIMEOUT_S = 30


def _live_database(command: str) -> Path:
    """The path of the app's SQLite database, or a one-line refusal for any other database."""
    url = db.engine.url
    backend = url.get_backend_name()
    if backend != "sqlite":
        fail(f"{command}: the database is {backend}, not SQLite: use pg_dump -Fc / pg_restore "
             "(see docs/deployment.md)")
    if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
        fail(f"{command}: the database is in memory; there is no file to {command}")
    return Path(url.database).resolve()


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)


def _integrity(connection: sqlite3.Connection) -> str:
    """'ok', or the first problem PRAGMA integrity_check reports."""
    return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def copy_database(source: Path, target: Path) -> str:
    """A consistent copy of the SQLite database `source` as the single file `target` (replaced
    atomically, readable by its owner only); returns the copy's schema revision."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    src = _connect(source)
    try:
        dest = sqlite3.connect(str(partial))
        try:
            src.backup(dest)  # all pages in one step: one snapshot, even while others write
            dest.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file beside it
            problem = _integrity(dest)
            if problem != "ok":
                raise sqlite3.DatabaseError(f"the copy fails the integrity check: {problem}")
            revision = _revision(dest)
        finally:
            dest.close()
        partial.chmod(0o600)  # the database holds personal data
        os.replace(partial, target)
        return revision
    finally:
        src.close()
        partial.unlink(missing_ok=True)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="overwrite FILE if it exists")
@with_appcontext
def backup_command(file, force):
    """Copy the SQLite database to FILE while the app runs (consistent online backup)."""
    live = _live_database("backup")
    target = Path(file).resolve()
    if not live.exists():
        fail(f"backup: no database at {live} (run init-db first)")
    if target == live:
        fail("backup: FILE is the live database itself")
    if target.exists() and not force:
        fail(f"backup: {file} exists (use --force to overwrite)")
    if not target.parent.is_dir():
        fail(f"backup: directory {target.parent} does not exist")
    try:
        revision = copy_database(live, target)
    except (sqlite3.Error, OSError) as error:
        fail(f"backup: failed: {error}")
    click.echo(f"backup: {live} copied to {target} ({target.stat().st_size} bytes, "
               f"schema revision {revision or 'none'}, integrity ok)")


def _check_backup(path: Path, command="restore") -> str:
    """Refuse, with the reason, a file that is not an intact database of this app; its revision."""
    from gandeng.schema import known_revisions

    if not path.is_file():
        fail(f"{command}: {path} does not exist")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            fail(f"{command}: {path} is not a SQLite database")
    try:
        connection = _connect(path, read_only=True)
        try:
            problem = _integrity(connection)
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = _revision(connection)
        finally:
            connection.close()
    except sqlite3.Error as error:
        fail(f"{command}: {path} cannot be read as a SQLite database: {error}")
    if problem != "ok":
        fail(f"{command}: {path} fails the integrity check: {problem}")
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        fail(f"{command}: {path} is not a Gandeng Gendong database (missing tables: {', '.join(missing)})")
    if revision not in known_revisions():
        fail(f"{command}: {path} has schema revision {revision or 'none'}, unknown to this version of "
             "the app (a backup from a newer release?)")
    return revision


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def restore_command(file):
    """Replace the SQLite database by the backup FILE (checked first; the old one is kept aside)."""
    from gandeng.schema import head_revision, upgrade_to_head

    live = _live_database("restore")
    source = Path(file).resolve()
    if source == live:
        fail("restore: FILE is the live database itself")
    revision = _check_backup(source)
    db.session.remove()
    db.engine.dispose()  # this process holds no connection to the database being replaced
    kept = None
    try:
        if live.exists():
            kept = live.with_name(f"{live.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
            copy_database(live, kept)
        src = _connect(source, read_only=True)
        try:
            dest = _connect(live)
            try:
                src.backup(dest)  # one write transaction into the live file; running processes wait
                problem = _integrity(dest)
            finally:
                dest.close()
        finally:
            src.close()
    except (sqlite3.Error, OSError) as error:
        fail(f"restore: failed, the database is unchanged: {error}")
    if problem != "ok":
        fail(f"restore: the restored database fails the integrity check: {problem}"
             + (f"; the previous one is in {kept}" if kept else ""))
    migrated = ""
    if revision != head_revision():
        upgrade_to_head()
        migrated = f", migrated from {revision} to {head_revision()}"
    click.echo(f"restore: {live} replaced by {source} (integrity ok{migrated})"
               + (f"; the previous database is kept in {kept}" if kept else ""))
