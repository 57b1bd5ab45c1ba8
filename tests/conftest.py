"""Shared fixtures: one app per test on its own copy of a prepared SQLite database."""
import shutil

import pytest

from gandeng.db import db
from gandeng.factory import create_app

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_COST": "fast",
    "RATELIMIT_STORAGE_URI": "memory://",
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


@pytest.fixture
def app(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path, template_db):
    """Like `app`, with CSRF protection switched on as in production."""
    app = make_app(tmp_path, template_db, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


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
