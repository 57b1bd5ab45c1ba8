"""Migration notify01 (issue 14): the e-mails waiting in the old outbox move to the one outbox; users'
phones become E.164 where they are valid."""
from flask_migrate import upgrade
from sqlalchemy import text

from gandeng.db import db
from tests.conftest import BASE_CONFIG


def test_old_outbox_rows_are_copied_and_phones_normalised(tmp_path):
    from gandeng.factory import create_app

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'n.sqlite'}"})
    with app.app_context():
        upgrade(revision="00be2941628b")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, email, name, phone, password_hash, role, status, session_version, locale, "
                "created_at) VALUES (1, 'a@contoh.id', 'A', '0812-3456-7890', 'x', 'staff', 'active', 1, 'id', "
                "'2026-01-01 00:00:00'), (2, 'b@contoh.id', 'B', 'tanya pak RT', 'x', 'staff', 'active', 1, 'id', "
                "'2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO outbox_emails (to_email, subject, body, created_at, sent_at, attempts, next_attempt_at, "
                "last_error) VALUES ('a@contoh.id', 'Terkirim', 'x', '2026-01-01 00:00:00', '2026-01-01 00:01:00', 1, "
                "NULL, ''), ('b@contoh.id', 'Menunggu', 'y', '2026-01-02 00:00:00', NULL, 2, "
                "'2026-01-02 00:04:00', 'refused')"))
        upgrade(revision="notify01")
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT channel, to_address, subject, status, attempts, last_error FROM outbox_messages ORDER BY id"
            )).all()
            phones = connection.execute(text("SELECT phone FROM users ORDER BY id")).scalars().all()
        assert [tuple(r) for r in rows] == [("email", "a@contoh.id", "Terkirim", "sent", 1, ""),
                                            ("email", "b@contoh.id", "Menunggu", "queued", 2, "refused")]
        assert phones == ["+6281234567890", "tanya pak RT"]  # an invalid number is left as it was
        db.engine.dispose()
