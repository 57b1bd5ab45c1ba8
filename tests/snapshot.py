"""A database's rows and upload folder saved once and put back before each test: much cheaper than
building the same world again for every test of a large table (tests/web/test_route_permissions.py).

SQLite: the database file is copied back. PostgreSQL: every table is emptied and the saved rows
inserted again, the id sequences set past them (as if the rows had been inserted one by one)."""
import shutil
from pathlib import Path

from sqlalchemy import Integer, insert, select, text

from gandeng.db import db


# How many times this process emptied its PostgreSQL test database (tests.conftest._empty_postgres_tables):
# a world saved there and read "as built" is put back first when another test emptied it meanwhile.
POSTGRES_EMPTIED = 0


class Snapshot:
    """Taken inside an app context after the world is committed; `restore` inside the same app's context."""

    def __init__(self, app, folder: Path):
        db.session.commit()
        self.uploads = Path(app.config["UPLOAD_DIR"])
        self.saved_uploads = folder / "uploads-snapshot"
        if self.uploads.is_dir():
            shutil.copytree(self.uploads, self.saved_uploads)
        self.sqlite = db.engine.dialect.name == "sqlite"
        db.session.remove()
        if self.sqlite:
            self.path = Path(db.engine.url.database)
            db.engine.dispose()  # the last connection closed: the WAL is folded into the file
            self.saved = folder / "snapshot.sqlite"
            shutil.copy(self.path, self.saved)
        else:
            with db.engine.connect() as connection:
                self.rows = {table.name: [dict(row) for row in connection.execute(select(table)).mappings()]
                             for table in db.metadata.sorted_tables}

    def restore(self) -> None:
        db.session.remove()
        if self.sqlite:
            db.engine.dispose()
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            shutil.copy(self.saved, self.path)
        else:
            from tests.conftest import delete_postgres_rows

            global POSTGRES_EMPTIED
            POSTGRES_EMPTIED += 1  # any other world saved on this database is gone too
            tables = db.metadata.sorted_tables
            with db.engine.begin() as connection:
                delete_postgres_rows(connection)
                for table in tables:
                    if self.rows[table.name]:
                        connection.execute(insert(table), self.rows[table.name])
                for table in tables:
                    for column in table.primary_key.columns:
                        if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                            connection.execute(text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                                f"COALESCE(MAX({column.name}), 0) + 1, false) FROM {table.name}"))
        shutil.rmtree(self.uploads, ignore_errors=True)
        if self.saved_uploads.is_dir():
            shutil.copytree(self.saved_uploads, self.uploads)


class SavedWorld:
    """An app on one backend with a world built once by `build(session)` (which returns what the
    tests need: ids, log-in ids, tokens — no ORM objects), saved."""

    def __init__(self, backend, tmp_path_factory, template_db, build, postgres_url=None):
        from tests.conftest import _empty_postgres_tables, make_app

        folder = tmp_path_factory.mktemp(f"world-{backend}")
        overrides = {}
        if backend == "postgresql":
            overrides["SQLALCHEMY_DATABASE_URI"] = postgres_url
        self.app = make_app(folder, template_db, **overrides)
        with self.app.app_context():
            if backend == "postgresql":
                _empty_postgres_tables()
            self.built = build(db.session)
            self.snapshot = Snapshot(self.app, folder)
        self.changed = False  # a test may have changed it since it was last put back
        self.postgres = backend == "postgresql"
        self.emptied_seen = POSTGRES_EMPTIED

    def use(self, as_saved: bool):
        """For one test: the app context, the world put back first when `as_saved` (or when an
        earlier test may have changed it), fresh rate-limit counters."""
        from gandeng.extensions import limiter

        with self.app.app_context():
            if as_saved or self.changed or (self.postgres and POSTGRES_EMPTIED != self.emptied_seen):
                self.snapshot.restore()
                self.emptied_seen = POSTGRES_EMPTIED
            self.changed = as_saved
            limiter.reset()
            yield self
            db.session.remove()

    def close(self):
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


class SavedWorlds:
    """One SavedWorld per backend, each built on first use and kept for the module (a module-scoped
    fixture holds this). The backend is a plain parameter of each test, not an indirect one: pytest
    keys a fixture parametrized together with other arguments by the whole parameter set, so an
    indirect `world` beside `route, role` was built again for every test (0.3-0.7 s each, 1,450 tests)."""

    def __init__(self, request, tmp_path_factory, template_db, build):
        from tests.conftest import BACKENDS

        self._make = lambda backend, url: SavedWorld(backend, tmp_path_factory, template_db, build, url)
        # Asked now, while the fixture is set up (a session fixture: the worker's migrated database).
        self._postgres_url = request.getfixturevalue("postgres_url") if "postgresql" in BACKENDS else None
        self._worlds: dict[str, SavedWorld] = {}

    def on(self, backend: str) -> SavedWorld:
        if backend not in self._worlds:
            self._worlds[backend] = self._make(backend, self._postgres_url if backend == "postgresql" else None)
        return self._worlds[backend]

    def use(self, backend: str, as_saved: bool):
        """SavedWorld.use on the world of `backend`."""
        yield from self.on(backend).use(as_saved)

    def close(self):
        for world in self._worlds.values():
            world.close()
