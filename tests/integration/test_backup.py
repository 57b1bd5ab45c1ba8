"""`flask --app app backup FILE` / `restore FILE`: SQLite online backup, checked restore, refusals."""
import sqlite3
from pathlib import Path

import pytest
from flask_migrate import stamp, upgrade
from sqlalchemy import select

from gandeng.db import db
from gandeng.needs.models import Need
from gandeng.schema import MIGRATIONS, head_revision
from tests import factories as f
from tests.conftest import BASE_CONFIG, make_app


@pytest.fixture
def live_app(tmp_path, template_db):
    """An app on a SQLite file at the head revision (as `init-db` leaves it)."""
    app = make_app(tmp_path, template_db)
    with app.app_context():
        stamp(directory=MIGRATIONS, revision="head")  # the template is built by create_all
        yield app
        db.session.remove()
        db.engine.dispose()


def live_path(app) -> Path:
    return Path(db.engine.url.database)


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def titles() -> list[str]:
    db.session.remove()
    return db.session.scalars(select(Need.title).order_by(Need.id)).all()


def test_restore_brings_back_the_data_of_the_backup(live_app, tmp_path):
    f.make_need(db.session, title="Jamban sehat RT 03")
    f.make_need(db.session, title="Sumur bor komunal")
    db.session.commit()
    backup = tmp_path / "cadangan.sqlite"
    result = invoke(live_app, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output

    need = db.session.scalar(select(Need).where(Need.title == "Sumur bor komunal"))
    need.title = "Diubah setelah cadangan"
    f.make_need(db.session, title="Kebutuhan baru setelah cadangan")
    db.session.commit()
    assert titles() == ["Jamban sehat RT 03", "Diubah setelah cadangan", "Kebutuhan baru setelah cadangan"]

    result = invoke(live_app, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert titles() == ["Jamban sehat RT 03", "Sumur bor komunal"]
    kept = list(live_path(live_app).parent.glob("*.before-restore-*"))
    assert len(kept) == 1 and str(kept[0]) in result.output  # the replaced database is kept aside
    with sqlite3.connect(live_path(live_app)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


def test_backup_is_one_private_self_contained_file(live_app, tmp_path):
    backup = tmp_path / "cadangan.sqlite"
    assert invoke(live_app, "backup", str(backup)).exit_code == 0
    assert backup.stat().st_mode & 0o077 == 0  # personal data: owner only
    assert not Path(f"{backup}-wal").exists()
    with sqlite3.connect(backup) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert list(tmp_path.glob(".*partial")) == []


def test_backup_succeeds_while_another_connection_holds_a_write_transaction(live_app, tmp_path):
    f.make_need(db.session, title="Sudah tersimpan")
    db.session.commit()
    writer = sqlite3.connect(live_path(live_app), timeout=1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE needs SET title = 'Belum di-commit'")
        backup = tmp_path / "cadangan.sqlite"
        result = invoke(live_app, "backup", str(backup))
        assert result.exit_code == 0, result.output
        writer.commit()  # the writer was not disturbed
    finally:
        writer.close()
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT title FROM needs").fetchall() == [("Sudah tersimpan",)]
    assert titles() == ["Belum di-commit"]


def test_backup_refuses_to_overwrite_an_existing_file_without_force(live_app, tmp_path):
    backup = tmp_path / "cadangan.sqlite"
    backup.write_text("cadangan lama")
    result = invoke(live_app, "backup", str(backup))
    assert result.exit_code != 0
    assert "exists (use --force to overwrite)" in result.output
    assert backup.read_text() == "cadangan lama"
    result = invoke(live_app, "backup", "--force", str(backup))
    assert result.exit_code == 0, result.output
    assert backup.read_bytes().startswith(b"SQLite format 3\x00")


def test_restore_refuses_a_file_that_is_not_a_database(live_app, tmp_path):
    f.make_need(db.session, title="Tetap ada")
    db.session.commit()
    bogus = tmp_path / "bukan.sqlite"
    bogus.write_text("kode,nama\n1,Kricak\n")
    result = invoke(live_app, "restore", str(bogus))
    assert result.exit_code != 0
    assert "is not a SQLite database" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert titles() == ["Tetap ada"]


def test_restore_refuses_a_sqlite_file_without_our_schema(live_app, tmp_path):
    other = tmp_path / "lain.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE catatan (id INTEGER PRIMARY KEY, isi TEXT)")
    connection.close()
    result = invoke(live_app, "restore", str(other))
    assert result.exit_code != 0
    assert "not a Gandeng Gendong database (missing tables: alembic_version" in result.output


def test_restore_refuses_a_damaged_backup(live_app, tmp_path):
    for n in range(30):
        f.make_need(db.session, title=f"Kebutuhan {n}", description="Uraian panjang. " * 40)
    db.session.commit()
    backup = tmp_path / "cadangan.sqlite"
    assert invoke(live_app, "backup", str(backup)).exit_code == 0
    data = bytearray(backup.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # scribble over every page but the first
        data[offset + 8:offset + 40] = b"\xff" * 32
    damaged = tmp_path / "rusak.sqlite"
    damaged.write_bytes(bytes(data))
    result = invoke(live_app, "restore", str(damaged))
    assert result.exit_code != 0
    assert "rusak.sqlite" in result.output
    assert len(titles()) == 30


def test_restore_refuses_a_backup_from_an_unknown_schema_revision(live_app, tmp_path):
    backup = tmp_path / "cadangan.sqlite"
    assert invoke(live_app, "backup", str(backup)).exit_code == 0
    with sqlite3.connect(backup) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    connection.close()
    result = invoke(live_app, "restore", str(backup))
    assert result.exit_code != 0
    assert "schema revision ffffffffffff, unknown to this version" in result.output


def test_restore_of_an_older_release_backup_migrates_it_to_head(live_app, tmp_path):
    old = tmp_path / "rilis-lama.sqlite"
    from gandeng.factory import create_app

    old_app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{old}"})
    with old_app.app_context():
        upgrade(directory=MIGRATIONS, revision="2b2bf3535f51")
        db.engine.dispose()
    result = invoke(live_app, "restore", str(old))
    assert result.exit_code == 0, result.output
    assert f"migrated from 2b2bf3535f51 to {head_revision()}" in result.output
    with sqlite3.connect(live_path(live_app)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_refuse_postgresql_and_point_to_pg_dump(tmp_path, command):
    from gandeng.factory import create_app

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u:p@127.0.0.1:1/gandeng"})
    result = app.test_cli_runner().invoke(args=[command, str(tmp_path / "x.dump")])
    assert result.exit_code != 0
    assert "not SQLite: use pg_dump -Fc / pg_restore (see docs/deployment.md)" in result.output
    assert len(result.output.strip().splitlines()) == 1
