"""Nglarisi registry: office and group accounts from the CLI, `import groups`, names, bank account, NIK."""
from sqlalchemy import func, select

from gandeng.audit.models import AuditEvent
from gandeng.errors import DomainError
from gandeng.nglarisi import services
from gandeng.nglarisi.models import Account, Group, GroupStatus, Office
from tests import factories as f
from tests.integration.import_files import write_csv

HEADER = ["group", "kelurahan", "members", "kms_members", "menu", "price_per_portion_rp",
          "capacity_portions_per_day", "contact_phone"]


def group_row(**overrides):
    row = {"group": "Dapur Kricak Makmur", "kelurahan": "Kricak", "members": "12", "kms_members": "4",
           "menu": "Nasi kotak ayam bakar", "price_per_portion_rp": "Rp25.000", "capacity_portions_per_day": "80",
           "contact_phone": "0812 2700 5555"}
    row.update(overrides)
    return row


def test_import_groups_creates_verified_groups_with_their_menu(runner, session, tmp_path):
    rows = [group_row(), group_row(group="Snack Wirobrajan", kelurahan="Wirobrajan", price_per_portion_rp="12000")]
    result = runner.invoke(args=["import", "groups", str(write_csv(tmp_path / "g.csv", HEADER, rows))])
    assert result.exit_code == 0, result.output
    assert "imported 2 groups (verified)" in result.stdout
    group = services.find_group(session, "dapur kricak-makmur")
    assert group.status == GroupStatus.VERIFIED and group.capacity_per_day == 80
    assert group.cheapest_rp == 25_000 and group.members_count == 12 and group.kms_members_count == 4
    assert group.contact_phone == "+6281227005555"


def test_import_groups_rejects_the_file_naming_every_bad_row(runner, session, tmp_path):
    rows = [group_row(), group_row(group="DAPUR KRICAK makmur"), group_row(group="B", kelurahan="Atlantis"),
            group_row(group="C", members="3", kms_members="1"), group_row(group="D", price_per_portion_rp="gratis",
                                                                         capacity_portions_per_day="")]
    result = runner.invoke(args=["import", "groups", str(write_csv(tmp_path / "g.csv", HEADER, rows))])
    assert result.exit_code != 0
    for line in ("row 3: group: ", "row 4: kelurahan: Kelurahan tidak dikenal: Atlantis", "row 5: members: ",
                 "row 5: kms_members: ", "row 6: price_per_portion_rp: ", "row 6: capacity_portions_per_day: "):
        assert line in result.stderr
    assert "nothing was imported" in result.stderr
    assert session.scalar(select(func.count()).select_from(Group)) == 0


def test_create_user_links_office_and_group_accounts(runner, session):
    f.make_group(session, name="Dapur Bu Sri")
    session.commit()
    office = runner.invoke(args=["create-user", "--email", "kantor@contoh.id", "--name", "Bagian Umum Dinkes",
                                 "--role", "office", "--password", "Pesan-nasi-2026!", "--office", "Dinas Kesehatan"])
    assert office.exit_code == 0, office.output
    group = runner.invoke(args=["create-user", "--email", "sri@contoh.id", "--name", "Bu Sri", "--role", "group",
                                "--password", "Masak-enak-2026!", "--group", "dapur bu sri"])
    assert group.exit_code == 0, group.output
    accounts = {a.user_id: a for a in session.scalars(select(Account))}
    assert {a.office.name if a.office else a.group.name for a in accounts.values()} == {"Dinas Kesehatan",
                                                                                     "Dapur Bu Sri"}
    missing = runner.invoke(args=["create-user", "--email", "x@contoh.id", "--name", "X", "--role", "group",
                                  "--password", "Masak-enak-2026!", "--group", "Tidak Ada"])
    assert missing.exit_code != 0 and "unknown group 'Tidak Ada'" in missing.output
    assert session.scalar(select(func.count()).select_from(Office)) == 1


def test_a_group_name_cannot_be_taken_by_another_group(session):
    f.make_group(session, name="Dapur Bu Sri")
    try:
        f.make_group(session, name="DAPUR  bu-sri")
    except DomainError as error:
        assert "sudah dipakai" in error.message
    else:
        raise AssertionError("second group with the same name was created")


def test_a_changed_bank_account_needs_staff_verification_again_and_is_audited(session):
    staff = f.make_staff(session)
    group_user = f.make_group_user(session)
    group = services.group_of(session, group_user)
    services.update_group(session, staff, group, {"bank_name": "BPD DIY", "bank_account_number": "001221000111",
                                                  "bank_account_holder": "Kelompok"})
    services.verify_bank(session, staff, group)
    assert group.bank_verified_at is not None
    services.update_group(session, group_user, group, {"bank_account_number": "009999000222"})
    assert group.bank_verified_at is None
    change = session.scalars(select(AuditEvent).where(AuditEvent.action == "nglarisi.bank_change")
                             .order_by(AuditEvent.id.desc())).first()
    assert change.before == {"bank_account_number": "001221000111"}
    assert change.after == {"bank_account_number": "009999000222"} and change.actor_id == group_user.id


def test_members_need_a_valid_nik_and_only_staff_add_them(session):
    staff = f.make_staff(session)
    group = f.make_group(session)
    member = services.add_member(session, staff, group, name="Sri Rahayu", nik="3471014107950001", kms_pkh=True)
    assert member.nik == "3471014107950001" and len(group.members) == 1
    assert (group.members_count, group.kms_members_count) == (8, 3)  # the curated counts stay
    for bad in ("3471014107950", "3471019999950001"):
        try:
            services.add_member(session, staff, group, name="Bad", nik=bad, kms_pkh=False)
        except DomainError as error:
            assert error.field == "nik"
        else:
            raise AssertionError(f"{bad} accepted")
    try:
        services.add_member(session, f.make_group_user(session, group=group), group, name="X",
                            nik="3471014107950002", kms_pkh=False)
    except DomainError as error:
        assert error.status == 403
    else:
        raise AssertionError("a group user added a member")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "nglarisi.member_add")).one()
    assert "3471014107950001" not in str(event.after)


def test_demo_seed_gives_an_office_and_a_group_log_in_once(session):
    from gandeng.accounts.services import authenticate
    from gandeng.nglarisi.demo import GROUP_LOGIN, OFFICE_LOGIN, seed_nglarisi

    staff = f.make_staff(session)
    assert seed_nglarisi(session, staff, 2026) == {"groups": 4, "users": 2}
    assert seed_nglarisi(session, staff, 2026) == {"groups": 0, "users": 0}
    office_user = authenticate(session, OFFICE_LOGIN[0], OFFICE_LOGIN[2])
    group_user = authenticate(session, GROUP_LOGIN[0], GROUP_LOGIN[2])
    assert services.office_of(session, office_user).name == "Dinas Kesehatan"
    assert services.group_of(session, group_user).name == "Dapur Kricak Makmur"


def test_the_example_groups_file_imports_and_old_curation_is_flagged(runner, client, session):
    from datetime import date
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "groups.csv"
    assert runner.invoke(args=["import", "groups", str(example)]).exit_code == 0
    group = services.find_group(session, "Boga Wirobrajan")
    group.last_curated_on = date(2020, 1, 1)
    staff = f.make_staff(session)
    session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = staff.get_id(), True
    page = client.get("/nglarisi/groups")
    assert page.status_code == 200 and page.text.count("Kurasi ulang terlambat (jatuh tempo 1 Januari 2021)") == 1
    assert "Kurasi ulang tahunan sebelum" not in page.text  # the other groups were curated at import
