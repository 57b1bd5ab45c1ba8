"""The committed Alembic migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from gandeng.db import db
from gandeng.search import alembic_include_name
from gandeng.reference.models import Kelurahan
from tests.conftest import BASE_CONFIG


def _fresh_app(tmp_path):
    from gandeng.factory import create_app

    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"})


def test_init_db_migrates_an_empty_database_to_the_models_schema(tmp_path):
    app = _fresh_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "45 kelurahan" in result.output
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"render_as_batch": True, "include_name": alembic_include_name})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        assert db.session.scalar(select(func.count()).select_from(Kelurahan)) == 45
        db.engine.dispose()


def test_init_db_is_idempotent(tmp_path):
    app = _fresh_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    again = runner.invoke(args=["init-db"])
    assert again.exit_code == 0
    assert "0 kemantren, 0 kelurahan, 0 categories added" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Kelurahan)) == 45
        db.engine.dispose()
