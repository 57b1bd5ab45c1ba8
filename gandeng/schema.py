"""Bringing a database schema to the head of the committed Alembic migrations."""
from pathlib import Path

from flask_migrate import upgrade

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def upgrade_to_head() -> None:
    """Apply every migration not yet applied (safe to run again)."""
    upgrade(directory=MIGRATIONS)
    _ensure_search()


def _ensure_search() -> None:
    """A SQLite table rebuilt by a batch migration loses its triggers: put the text index back."""
    from gandeng.db import db
    from gandeng.search import ensure_search

    with db.engine.begin() as connection:
        ensure_search(connection)


def _scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    """The revision of the newest committed migration."""
    return _scripts().get_current_head()


def known_revisions() -> set[str]:
    """Every committed migration's revision (a database at any of them can be upgraded)."""
    return {script.revision for script in _scripts().walk_revisions()}
