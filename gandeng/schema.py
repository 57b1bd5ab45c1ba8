"""Bringing a database schema to the head of the committed Alembic migrations."""
from pathlib import Path

from flask_migrate import upgrade

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def upgrade_to_head() -> None:
    """Apply every migration not yet applied (safe to run again)."""
    upgrade(directory=MIGRATIONS)
