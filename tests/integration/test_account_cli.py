"""`flask --app app create-user`: each role, kampung and organisation created when missing, bad input refused."""
import pytest
from sqlalchemy import func, select

from gandeng.accounts.models import Kampung, Organisation, User
from gandeng.accounts.services import user_by_email
from tests import factories as f


def create_user(runner, *args):
    return runner.invoke(args=["create-user", *args])


def base(email, role, password="rahasia-123"):
    return ["--email", email, "--name", "Nama Lengkap", "--role", role, "--password", password]


def counts(session):
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (User, Kampung, Organisation))


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_creates_active_admin_and_staff(runner, session, role):
    result = create_user(runner, *base(f"{role}@jogjakota.go.id", role))
    assert result.exit_code == 0, result.output
    assert f"created {role} {role}@jogjakota.go.id" in result.output
    user = user_by_email(session, f"{role}@jogjakota.go.id")
    assert (user.role, user.status) == (role, "active")
    assert user.password_hash.startswith("$argon2id$")


def test_coordinator_with_loosely_written_kelurahan_gets_a_verified_kampung(runner, session):
    result = create_user(runner, *base("koor@contoh.id", "coordinator"), "--kampung", "Kampung Juminahan",
                         "--kelurahan", "muja muju")
    assert result.exit_code == 0, result.output
    user = user_by_email(session, "koor@contoh.id")
    assert user.role == "coordinator"
    assert user.kampung.name == "Kampung Juminahan"
    assert user.kampung.kelurahan.name == "Muja Muju"
    assert user.kampung.is_verified


def test_second_coordinator_joins_the_same_kampung(runner, session):
    create_user(runner, *base("a@contoh.id", "coordinator"), "--kampung", "Gemblakan", "--kelurahan", "Muja Muju")
    result = create_user(runner, *base("b@contoh.id", "coordinator"), "--kampung", "gemblakan",
                         "--kelurahan", "34.71.13.1002")
    assert result.exit_code == 0, result.output
    assert user_by_email(session, "a@contoh.id").kampung_id == user_by_email(session, "b@contoh.id").kampung_id


def test_partner_with_new_organisation_of_a_type(runner, session):
    result = create_user(runner, *base("csr@bank.co.id", "partner"), "--organisation", "PT Bank Jogja",
                         "--org-type", "korporat")
    assert result.exit_code == 0, result.output
    user = user_by_email(session, "csr@bank.co.id")
    assert (user.organisation.name, user.organisation.type, user.organisation.is_verified) == (
        "PT Bank Jogja", "korporat", True)


def test_partner_joins_existing_organisation_without_type(runner, session):
    org = f.make_organisation(session, "Universitas Contoh", "kampus")
    session.commit()
    result = create_user(runner, *base("dosen@contoh.ac.id", "partner"), "--organisation", "universitas contoh")
    assert result.exit_code == 0, result.output
    assert user_by_email(session, "dosen@contoh.ac.id").organisation_id == org.id


BAD_INPUT = [
    pytest.param(base("x@contoh.id", "coordinator"), "--kampung", id="coordinator without kampung"),
    pytest.param(base("x@contoh.id", "coordinator") + ["--kampung", "Anu", "--kelurahan", "Atlantis"],
                 "unknown kelurahan", id="unknown kelurahan"),
    pytest.param(base("x@contoh.id", "partner"), "--organisation", id="partner without organisation"),
    pytest.param(base("x@contoh.id", "partner") + ["--organisation", "PT Baru"], "--org-type",
                 id="new organisation without type"),
    pytest.param(base("x@contoh.id", "partner") + ["--organisation", "PT Baru", "--org-type", "yayasan"],
                 "yayasan", id="unknown organisation type"),
    pytest.param(base("x@contoh.id", "superuser"), "superuser", id="unknown role"),
    pytest.param(base("bukan-email", "staff"), "Alamat email tidak sah", id="bad email"),
    pytest.param(base("x@contoh.id", "staff", password="pendek"), "Kata sandi minimal 8", id="short password"),
    pytest.param(base("x@contoh.id", "coordinator", password="pendek") + ["--kampung", "Baru", "--kelurahan", "Kricak"],
                 "Kata sandi minimal 8", id="coordinator with short password"),
]


@pytest.mark.parametrize(("args", "reason"), BAD_INPUT)
def test_bad_input_exits_non_zero_with_one_line_reason_and_creates_nothing(runner, session, args, reason):
    before = counts(session)
    result = create_user(runner, *args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]
    session.expire_all()
    assert counts(session) == before


def test_duplicate_email_is_refused_and_creates_no_kampung(runner, session):
    f.make_staff(session, email="ada@contoh.id")
    session.commit()
    before = counts(session)
    result = create_user(runner, *base("ADA@contoh.id", "coordinator"), "--kampung", "Kampung Baru",
                         "--kelurahan", "Kricak")
    assert result.exit_code != 0
    assert result.stderr.strip() == "create-user: Email ini sudah terdaftar."
    session.expire_all()
    assert counts(session) == before
