"""Upgrading a database filled by the previous release keeps every row.

The previous release's schema is built by the committed initial migration (2b2bf3535f51), filled with
plain SQL (not the models, which describe the head schema), then upgraded to head: every row keeps
its values, the new columns have their defaults, the running totals are backfilled from the
commitments, and a downgrade followed by an upgrade keeps the rows too. On SQLite and, when
TEST_DATABASE_URL is set, on a PostgreSQL database of its own.
"""
import json
import os
import time
from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from gandeng.db import db
from gandeng.search import alembic_include_name
from gandeng.schema import MIGRATIONS, head_revision, upgrade_to_head
from tests.conftest import BASE_CONFIG

PREVIOUS = "2b2bf3535f51"  # the initial migration: the schema of the previous release


def ts(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value)


# The previous release's data, table by table, in foreign-key order: every table of its schema.
OLD_DATA = {
    "kemantren": [
        {"code": "34.71.01", "name": "Tegalrejo"},
        {"code": "34.71.13", "name": "Umbulharjo"},
    ],
    "kelurahan": [
        {"code": "34.71.01.1001", "name": "Kricak", "kemantren_code": "34.71.01", "lat": -7.773599, "lon": 110.357189},
        {"code": "34.71.13.1002", "name": "Warungboto", "kemantren_code": "34.71.13", "lat": -7.810861,
         "lon": 110.392543},
    ],
    "categories": [
        {"code": "sanitation", "label_id": "Sanitasi & air bersih", "label_en": "Sanitation & clean water",
         "examples_id": "jamban sehat, septic tank komunal, IPAL", "position": 2},
        {"code": "housing", "label_id": "Perumahan layak huni", "label_en": "Decent housing",
         "examples_id": "bedah rumah, renovasi RTLH, atap bocor", "position": 1},
        {"code": "health", "label_id": "Kesehatan", "label_en": "Health",
         "examples_id": "posyandu lansia, kursi roda", "position": 3},
    ],
    "organisations": [
        {"id": 1, "name": "PT Bank Jogja Sejahtera", "type": "korporat", "phone": "0274 561234",
         "email": "csr@bankjogja.example", "address": "Jl. Tentara Pelajar 7, Yogyakarta",
         "verified_at": ts("2026-02-03 09:15:00"), "created_at": ts("2026-02-01 10:00:00")},
        {"id": 2, "name": "KKN Universitas Contoh", "type": "kampus", "phone": "", "email": "",
         "address": "", "verified_at": None, "created_at": ts("2026-03-10 14:30:12.250000")},
    ],
    "kampung": [
        {"id": 1, "name": "Kampung Kricak Kidul", "name_key": "kricak kidul", "kelurahan_code": "34.71.01.1001",
         "verified_at": ts("2026-01-20 08:00:00"), "created_at": ts("2026-01-19 07:45:00")},
        {"id": 2, "name": "Kampung Warungboto", "name_key": "warungboto", "kelurahan_code": "34.71.13.1002",
         "verified_at": None, "created_at": ts("2026-03-01 16:20:00")},
    ],
    "users": [
        {"id": 1, "email": "admin@jogjakota.example", "name": "Admin Kota", "phone": "",
         "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", "role": "admin",
         "status": "active", "kampung_id": None, "organisation_id": None, "session_version": 3, "locale": "id",
         "created_at": ts("2026-01-02 08:00:00"), "verified_at": ts("2026-01-02 08:00:00"),
         "last_login_at": ts("2026-03-20 07:01:02.123456")},
        {"id": 2, "email": "sri.staf@jogjakota.example", "name": "Sri Rahayu", "phone": "081234567890",
         "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdDI$aGFzaDI", "role": "staff", "status": "active",
         "kampung_id": None, "organisation_id": None, "session_version": 1, "locale": "id",
         "created_at": ts("2026-01-05 09:00:00"), "verified_at": ts("2026-01-05 09:10:00"),
         "last_login_at": None},
        {"id": 3, "email": "pak.budi@kricak.example", "name": "Budi Santoso", "phone": "0812 2233 4455",
         "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdDM$aGFzaDM", "role": "coordinator",
         "status": "active", "kampung_id": 1, "organisation_id": None, "session_version": 1, "locale": "id",
         "created_at": ts("2026-01-19 07:45:00"), "verified_at": ts("2026-01-20 08:00:00"),
         "last_login_at": ts("2026-03-18 19:30:00")},
        {"id": 4, "email": "csr@bankjogja.example", "name": "Dewi Lestari", "phone": "0274 561234",
         "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdDQ$aGFzaDQ", "role": "partner", "status": "active",
         "kampung_id": None, "organisation_id": 1, "session_version": 2, "locale": "en",
         "created_at": ts("2026-02-01 10:00:00"), "verified_at": ts("2026-02-03 09:15:00"),
         "last_login_at": None},
        {"id": 5, "email": "kkn@kampus.example", "name": "Agus Pratama", "phone": "",
         "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdDU$aGFzaDU", "role": "partner", "status": "pending",
         "kampung_id": None, "organisation_id": 2, "session_version": 1, "locale": "id",
         "created_at": ts("2026-03-10 14:30:12.250000"), "verified_at": None, "last_login_at": None},
    ],
    "needs": [
        {"id": 1, "ref": "KRC-2026-001", "kampung_id": 1, "kelurahan_code": "34.71.01.1001", "rw": "05",
         "category_code": "sanitation", "title": "Jamban sehat untuk 5 KK",
         "description": "Lima keluarga di RT 03 masih memakai kakus tanpa septictank di bantaran sungai.",
         "households": 5, "kms_households": 4, "cost_rp": 12_000_000, "deadline": date(2026, 6, 30),
         "urgency": "tinggi", "partial_ok": True,
         "beneficiaries": "Ibu Sumarni (RT 03)\nBapak Karyo (RT 03)", "contact_phone": "0812 2233 4455",
         "status": "in_progress", "status_reason": "", "created_by_id": 3,
         "created_at": ts("2026-01-21 10:00:00"), "updated_at": ts("2026-02-10 11:00:00"),
         "submitted_at": ts("2026-01-21 10:05:00"), "verified_at": ts("2026-01-25 13:00:00")},
        {"id": 2, "ref": None, "kampung_id": 1, "kelurahan_code": "34.71.01.1001", "rw": "06",
         "category_code": "housing", "title": "Bedah rumah Mbah Tini",
         "description": "Atap bocor dan lantai tanah; rumah dihuni lansia sendirian.",
         "households": 1, "kms_households": 1, "cost_rp": 8_000_000, "deadline": None, "urgency": "darurat",
         "partial_ok": False, "beneficiaries": "Mbah Tini", "contact_phone": "",
         "status": "matched", "status_reason": "", "created_by_id": 3,
         "created_at": ts("2026-02-02 09:00:00"), "updated_at": ts("2026-02-20 09:30:00.500000"),
         "submitted_at": ts("2026-02-02 09:10:00"), "verified_at": ts("2026-02-04 10:00:00")},
        {"id": 3, "ref": "WRB-2026-007", "kampung_id": 2, "kelurahan_code": "34.71.13.1002", "rw": "11",
         "category_code": "health", "title": "Kursi roda untuk 3 warga disabilitas",
         "description": "Tiga warga disabilitas belum punya kursi roda.", "households": 3, "kms_households": 0,
         "cost_rp": 6_000_000, "deadline": date(2026, 4, 1), "urgency": "sedang", "partial_ok": True,
         "beneficiaries": "", "contact_phone": "0813 0000 1111", "status": "completed", "status_reason": "",
         "created_by_id": None, "created_at": ts("2026-02-05 08:00:00"), "updated_at": ts("2026-03-15 08:00:00"),
         "submitted_at": ts("2026-02-05 08:00:00"), "verified_at": ts("2026-02-06 08:00:00")},
        {"id": 4, "ref": None, "kampung_id": 1, "kelurahan_code": "34.71.01.1001", "rw": "05",
         "category_code": "sanitation", "title": "Sumur bor komunal",
         "description": "Air sumur warga keruh saat kemarau.", "households": 20, "kms_households": 7,
         "cost_rp": 25_000_000, "deadline": date(2026, 9, 1), "urgency": "rendah", "partial_ok": True,
         "beneficiaries": "", "contact_phone": "", "status": "returned",
         "status_reason": "Mohon lampirkan foto lokasi sumur.", "created_by_id": 3,
         "created_at": ts("2026-03-01 20:00:00"), "updated_at": ts("2026-03-02 08:00:00"),
         "submitted_at": ts("2026-03-01 20:05:00"), "verified_at": None},
    ],
    "need_attachments": [
        {"id": 1, "need_id": 1, "stored_name": "9f2c4e1a7b3d4c5e8f90a1b2c3d4e5f6.jpg",
         "original_name": "foto kakus RT03.jpg", "content_type": "image/jpeg", "size": 482_113,
         "uploaded_by_id": 3, "created_at": ts("2026-01-21 10:01:00")},
        {"id": 2, "need_id": 2, "stored_name": "0a1b2c3d4e5f60718293a4b5c6d7e8f9.pdf",
         "original_name": "RAB bedah rumah.pdf", "content_type": "application/pdf", "size": 91_200,
         "uploaded_by_id": None, "created_at": ts("2026-02-02 09:05:00")},
    ],
    "offers": [
        {"id": 1, "ref": "BJS-CSR-2026", "organisation_id": 1, "kind": "dana", "title": "Dana CSR sanitasi 2026",
         "description": "Pendanaan jamban sehat dan sumur bor di wilayah kota.", "capacity_rp": 20_000_000,
         "valid_until": date(2026, 12, 31), "status": "active", "created_by_id": 4,
         "created_at": ts("2026-02-03 10:00:00"), "updated_at": ts("2026-02-03 10:00:00")},
        {"id": 2, "ref": None, "organisation_id": 1, "kind": "barang", "title": "Kursi roda dan alat bantu",
         "description": "Tiga kursi roda baru.", "capacity_rp": 6_000_000, "valid_until": None,
         "status": "fully_committed", "created_by_id": 4,
         "created_at": ts("2026-02-04 10:00:00"), "updated_at": ts("2026-02-07 10:00:00")},
        {"id": 3, "ref": None, "organisation_id": 2, "kind": "jasa", "title": "KKN bedah rumah",
         "description": "Tenaga mahasiswa KKN untuk renovasi rumah.", "capacity_rp": 10_000_000,
         "valid_until": date(2026, 8, 31), "status": "withdrawn", "created_by_id": None,
         "created_at": ts("2026-03-10 15:00:00"), "updated_at": ts("2026-03-12 15:00:00")},
    ],
    "offer_categories": [
        {"offer_id": 1, "category_code": "sanitation"},
        {"offer_id": 1, "category_code": "housing"},
        {"offer_id": 2, "category_code": "health"},
        {"offer_id": 3, "category_code": "housing"},
    ],
    "offer_areas": [
        {"offer_id": 1, "code": "34.71.01"},
        {"offer_id": 1, "code": "34.71.13.1002"},
        {"offer_id": 3, "code": "34.71.13"},
    ],
    "commitments": [
        {"id": 1, "need_id": 1, "offer_id": 1, "amount_rp": 5_000_000, "realised_rp": 0,
         "status": "awaiting_partner", "created_at": ts("2026-02-10 11:00:00")},
        {"id": 2, "need_id": 2, "offer_id": 1, "amount_rp": 3_000_000, "realised_rp": 1_000_000,
         "status": "in_progress", "created_at": ts("2026-02-20 09:30:00")},
        {"id": 3, "need_id": 3, "offer_id": 2, "amount_rp": 6_000_000, "realised_rp": 6_000_000,
         "status": "completed", "created_at": ts("2026-02-07 10:00:00")},
        {"id": 4, "need_id": 1, "offer_id": 2, "amount_rp": 2_000_000, "realised_rp": 0,
         "status": "declined", "created_at": ts("2026-02-06 10:00:00")},
        {"id": 5, "need_id": 2, "offer_id": 3, "amount_rp": 4_000_000, "realised_rp": 1_500_000,
         "status": "cancelled", "created_at": ts("2026-03-11 10:00:00")},
    ],
    "audit_events": [
        {"id": 1, "actor_id": 3, "action": "need.submit", "object_type": "need", "object_id": 1,
         "before": {"status": "draft"}, "after": {"status": "submitted"}, "note": "",
         "created_at": ts("2026-01-21 10:05:00")},
        {"id": 2, "actor_id": 2, "action": "need.verify", "object_type": "need", "object_id": 1,
         "before": {"status": "submitted"}, "after": {"status": "verified"}, "note": "Lokasi sudah dicek.",
         "created_at": ts("2026-01-25 13:00:00")},
        {"id": 3, "actor_id": 2, "action": "commitment.approve", "object_type": "commitment", "object_id": 1,
         "before": None, "after": {"amount_rp": 5_000_000, "need_id": 1, "offer_id": 1}, "note": "",
         "created_at": ts("2026-02-10 11:00:00")},
        {"id": 4, "actor_id": None, "action": "import.needs", "object_type": "need", "object_id": 3,
         "before": None, "after": {"rows": 1, "file": "kebutuhan-warungboto.xlsx"}, "note": "CLI",
         "created_at": ts("2026-02-05 08:00:00")},
    ],
}

# The running totals the upgrade must compute from the commitments: holding statuses count the
# amount, a cancelled commitment keeps what was already realised, a declined one counts nothing.
EXPECTED_NEED_COMMITTED = {1: 5_000_000, 2: 3_000_000 + 1_500_000, 3: 6_000_000, 4: 0}
EXPECTED_OFFER_COMMITTED = {1: 5_000_000 + 3_000_000, 2: 6_000_000, 3: 1_500_000}

# Columns added to the old tables by the next release, with what old rows must hold.
NEW_COMMITMENT_COLUMNS = {
    "proposal_id": None, "idempotency_key": None, "progress_percent": 0, "status_reason": "",
    "beneficiaries_reached": None, "created_by_id": None, "confirmed_at": None,
    "completion_reported_at": None, "completed_at": None, "closed_at": None,
}
NEW_TABLES = ("outbox_emails", "matching_runs", "notifications", "proposals", "progress_reports",
              "progress_photos", "outbox_messages", "notification_preferences", "password_resets", "reminders_sent")


def _sql_value(value):
    """A value as the previous release's database stored it, written without any model types."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def _insert_old_data(connection):
    for table, rows in OLD_DATA.items():
        columns = list(rows[0])
        statement = text(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
        )
        connection.execute(statement, [{c: _sql_value(row[c]) for c in columns} for row in rows])
    if connection.dialect.name == "postgresql":
        # Rows were given explicit ids: move the sequences on, as the old app's inserts would have.
        for table, rows in OLD_DATA.items():
            if "id" in rows[0]:
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT MAX(id) FROM {table}))"))


def _rows(connection, table_name):
    """Every row of a table as dicts, typed by the reflected column types, in primary-key order."""
    metadata = MetaData()
    metadata.reflect(bind=connection, only=[table_name])
    table = metadata.tables[table_name]
    return [dict(row._mapping) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]


# What an upgrade rewrites on purpose: notify01 (issue 14) stores users' phone numbers in E.164.
REWRITTEN = {("users", "phone"): {"081234567890": "+6281234567890", "0812 2233 4455": "+6281222334455",
                                  "0274 561234": "+62274561234"}}


def _assert_old_rows_kept(connection):
    for table, expected in OLD_DATA.items():
        found = _rows(connection, table)
        assert len(found) == len(expected), f"{table}: {len(found)} rows instead of {len(expected)}"
        key = inspect(connection).get_pk_constraint(table)["constrained_columns"]
        for want, got in zip(sorted(expected, key=lambda row: [row[c] for c in key]), found):
            want = {c: REWRITTEN[(table, c)].get(v, v) if (table, c) in REWRITTEN else v for c, v in want.items()}
            assert {c: got[c] for c in want} == want, f"{table} row changed"


def _current_revision(connection) -> str:
    return MigrationContext.configure(connection).get_current_revision()


@pytest.fixture
def empty_database_url(backend, tmp_path):
    """An empty database: a new SQLite file, or a PostgreSQL database created for this test only
    (never the suite's shared test database, which other tests are using)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'previous-release.sqlite'}"
        return
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{base.database}_upgrade_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    _drop_database(admin, name)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin, name: str) -> None:
    """DROP DATABASE … WITH (FORCE), again for up to 10 s while PostgreSQL's autovacuum is at work in it:
    the test role may not end a superuser's process (InsufficientPrivilege), so wait until it is done."""
    deadline = time.monotonic() + 10
    while True:
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as error:
            if "pg_signal_backend" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def previous_release(empty_database_url):
    """An app on a database at the previous release's schema, filled with its data."""
    from gandeng.factory import create_app

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=PREVIOUS)
        with db.engine.begin() as connection:
            old_tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
            assert set(OLD_DATA) == old_tables, "the test must fill every table of the old schema"
            _insert_old_data(connection)
        yield app
        db.session.remove()
        db.engine.dispose()


def _assert_upgraded(connection):
    assert _current_revision(connection) == head_revision()
    _assert_old_rows_kept(connection)
    for row in _rows(connection, "commitments"):
        assert {c: row[c] for c in NEW_COMMITMENT_COLUMNS} == NEW_COMMITMENT_COLUMNS
        assert isinstance(row["updated_at"], datetime)  # filled by the column's server default
    assert {r["id"]: r["committed_rp"] for r in _rows(connection, "needs")} == EXPECTED_NEED_COMMITTED
    assert {r["id"]: r["committed_rp"] for r in _rows(connection, "offers")} == EXPECTED_OFFER_COMMITTED
    for table in NEW_TABLES:
        assert _rows(connection, table) == []


def test_upgrade_from_previous_release_keeps_every_row_and_backfills_totals(previous_release, backend):
    upgrade_to_head()
    with db.engine.connect() as connection:
        _assert_upgraded(connection)
        context = MigrationContext.configure(
            connection, opts={"render_as_batch": True, "include_name": alembic_include_name})
        assert compare_metadata(context, db.metadata) == []  # the models' schema, exactly


def test_upgraded_totals_agree_with_the_app_reading_the_commitments(previous_release):
    from gandeng.collaborations.queries import committed_by_need, committed_by_offer
    from gandeng.needs.models import Need
    from gandeng.offers.models import Offer

    upgrade_to_head()
    needs = db.session.scalars(select(Need).order_by(Need.id)).all()
    offers = db.session.scalars(select(Offer).order_by(Offer.id)).all()
    assert {n.id: n.committed_rp for n in needs} == committed_by_need(db.session, [n.id for n in needs])
    assert {o.id: o.committed_rp for o in offers} == committed_by_offer(db.session, [o.id for o in offers])
    assert [n.title for n in needs][:2] == ["Jamban sehat untuk 5 KK", "Bedah rumah Mbah Tini"]


def test_downgrade_then_upgrade_round_trip_keeps_the_rows(previous_release):
    upgrade_to_head()
    downgrade(directory=MIGRATIONS, revision=PREVIOUS)
    with db.engine.connect() as connection:
        assert _current_revision(connection) == PREVIOUS
        _assert_old_rows_kept(connection)
        tables = set(inspect(connection).get_table_names())
        assert tables.isdisjoint(NEW_TABLES)
        assert "committed_rp" not in {c["name"] for c in inspect(connection).get_columns("needs")}
    upgrade_to_head()
    with db.engine.connect() as connection:
        _assert_upgraded(connection)


def test_rows_added_after_the_upgrade_get_fresh_ids(previous_release):
    """Explicit ids in the old data must not make the next insert collide (PostgreSQL sequences)."""
    from tests import factories as f

    upgrade_to_head()
    organisation = f.make_organisation(db.session, name="Komunitas Baru Jogja", org_type="komunitas")
    db.session.commit()
    assert organisation.id == 3
