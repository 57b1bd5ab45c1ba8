"""`flask import kampung FILE` and `flask import sister-partners FILE`: profiles for the sister pairing,
created or updated by name, all or nothing."""
from sqlalchemy import func, select

from gandeng.accounts.models import Kampung, Organisation
from gandeng.sister.models import KampungSisterProfile, PartnerSisterProfile
from tests import factories as f
from tests.integration.import_files import write_csv, write_xlsx

KAMPUNG_HEADER = ["kampung", "kelurahan", "households", "kms_households", "themes"]
PARTNER_HEADER = ["organisation", "org_type", "kelurahan", "capacity", "themes", "contact_name", "contact_phone"]


def kampung_row(**overrides):
    row = {"kampung": "Kricak Kidul", "kelurahan": "Kricak", "households": "120", "kms_households": "34",
           "themes": "sanitation; livelihood"}
    row.update(overrides)
    return row


def partner_row(**overrides):
    row = {"organisation": "Universitas Gadjah Mada", "org_type": "kampus", "kelurahan": "Terban",
           "capacity": "6", "themes": "health;education", "contact_name": "Dr. Sari", "contact_phone": "0812345"}
    row.update(overrides)
    return row


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_kampung_file_creates_verified_kampung_with_profiles(runner, session, tmp_path):
    rows = [kampung_row(), kampung_row(kampung="Jetisharjo", kelurahan="Cokrodiningratan", themes="")]
    result = runner.invoke(args=["import", "kampung", str(write_csv(tmp_path / "k.csv", KAMPUNG_HEADER, rows))])
    assert result.exit_code == 0, result.output
    assert "imported 2 kampung" in result.stdout and "2 new kampung" in result.stdout
    profiles = {p.kampung.name: p for p in session.scalars(select(KampungSisterProfile))}
    assert profiles["Kricak Kidul"].theme_codes == ["livelihood", "sanitation"]
    assert profiles["Kricak Kidul"].households == 120 and profiles["Kricak Kidul"].kms_households == 34
    assert profiles["Jetisharjo"].theme_codes == []
    assert all(k.is_verified for k in session.scalars(select(Kampung)))


def test_kampung_file_updates_an_existing_kampung_and_verifies_it(runner, session, tmp_path):
    kampung = f.make_kampung(session, "Kricak Kidul", verified=False)
    session.commit()
    path = write_xlsx(tmp_path / "k.xlsx", KAMPUNG_HEADER, [kampung_row(households=80, kms_households=10)])
    assert runner.invoke(args=["import", "kampung", str(path)]).exit_code == 0
    path = write_csv(tmp_path / "k2.csv", KAMPUNG_HEADER, [kampung_row(kampung="kricak  kidul", themes="health")])
    result = runner.invoke(args=["import", "kampung", str(path)])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert kampung.is_verified and count(session, Kampung) == 1
    profile = session.get(KampungSisterProfile, kampung.id)
    assert profile.households == 120 and profile.theme_codes == ["health"]


def test_bad_kampung_rows_are_all_listed_and_nothing_is_written(runner, session, tmp_path):
    rows = [
        kampung_row(kampung="Baik"),
        kampung_row(kelurahan="Gotham"),                         # row 3
        kampung_row(households="banyak", kms_households="-1"),   # row 4
        kampung_row(kms_households="500"),                      # row 5
        kampung_row(themes="sanitation;sihir"),                 # row 6
        kampung_row(kampung="Baik"),                             # row 7: twice
        kampung_row(kampung="", households=""),                  # row 8
    ]
    result = runner.invoke(args=["import", "kampung", str(write_csv(tmp_path / "k.csv", KAMPUNG_HEADER, rows))])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "row 3: kelurahan: Kelurahan tidak dikenal: Gotham" in lines
    assert "row 4: households: Harus berupa bilangan bulat." in lines
    assert "row 4: kms_households: Tidak boleh negatif." in lines
    assert "row 5: kms_households: Tidak boleh lebih dari households (120)." in lines
    assert any(line.startswith("row 6: themes: Tema tidak dikenal: sihir.") for line in lines)
    assert "row 7: kampung: Baik sudah ada di baris 2." in lines
    assert "row 8: kampung: Wajib diisi." in lines and "row 8: households: Wajib diisi." in lines
    assert "6 bad row(s) of 7; nothing was imported" in result.stderr
    assert count(session, Kampung) == 0 and count(session, KampungSisterProfile) == 0


def test_partner_file_creates_profiles_with_home_base_capacity_and_contact(runner, session, tmp_path):
    rows = [partner_row(), partner_row(organisation="PT Bank Mataram", org_type="Korporat", kelurahan="Kotabaru",
                                       capacity="0", themes="", contact_name="", contact_phone="")]
    path = write_csv(tmp_path / "p.csv", PARTNER_HEADER, rows)
    result = runner.invoke(args=["import", "sister-partners", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2 sister-partners" in result.stdout and "2 new organisations" in result.stdout
    profiles = {p.organisation.name: p for p in session.scalars(select(PartnerSisterProfile))}
    ugm = profiles["Universitas Gadjah Mada"]
    assert ugm.organisation.type == "kampus" and ugm.organisation.is_verified
    assert ugm.capacity == 6 and ugm.theme_codes == ["education", "health"]
    assert ugm.home_kelurahan.name == "Terban" and ugm.contact_name == "Dr. Sari"
    assert profiles["PT Bank Mataram"].capacity == 0 and profiles["PT Bank Mataram"].organisation.type == "korporat"


def test_partner_file_without_contact_columns_is_accepted_and_updates_capacity(runner, session, tmp_path):
    header = PARTNER_HEADER[:5]
    assert runner.invoke(args=["import", "sister-partners",
                               str(write_csv(tmp_path / "a.csv", header, [partner_row()]))]).exit_code == 0
    result = runner.invoke(args=["import", "sister-partners",
                                 str(write_csv(tmp_path / "b.csv", header, [partner_row(capacity="9")]))])
    assert result.exit_code == 0, result.output
    assert "0 new organisations" in result.stdout
    session.expire_all()
    assert session.scalar(select(PartnerSisterProfile)).capacity == 9


def test_bad_partner_rows_are_all_listed_and_nothing_is_written(runner, session, tmp_path):
    f.make_organisation(session, "Komunitas Kali Code", "komunitas")
    session.commit()
    rows = [
        partner_row(organisation="Baru"),
        partner_row(org_type="yayasan"),                          # row 3
        partner_row(kelurahan=""),                                # row 4
        partner_row(capacity="-2"),                               # row 5
        partner_row(capacity="tiga"),                             # row 6
        partner_row(organisation="Komunitas Kali Code"),          # row 7: type differs
        partner_row(organisation="baru"),                         # row 8: twice
        partner_row(themes="magic"),                              # row 9
    ]
    result = runner.invoke(args=["import", "sister-partners",
                                 str(write_csv(tmp_path / "p.csv", PARTNER_HEADER, rows))])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "row 3: org_type: Tulis kampus atau korporat." in lines
    assert "row 4: kelurahan: Wajib diisi." in lines
    assert "row 5: capacity: Tidak boleh negatif." in lines
    assert "row 6: capacity: Harus berupa bilangan bulat." in lines
    assert "row 7: org_type: Komunitas Kali Code terdaftar sebagai komunitas." in lines
    assert "row 8: organisation: baru sudah ada di baris 2." in lines
    assert any(line.startswith("row 9: themes: Tema tidak dikenal: magic.") for line in lines)
    assert "7 bad row(s) of 8; nothing was imported" in result.stderr
    assert count(session, PartnerSisterProfile) == 0 and count(session, Organisation) == 1


def test_missing_column_rejects_the_file_with_the_needed_columns(runner, session, tmp_path):
    path = write_csv(tmp_path / "p.csv", ["organisation", "org_type", "kelurahan", "themes"], [partner_row()])
    result = runner.invoke(args=["import", "sister-partners", str(path)])
    assert result.exit_code == 1
    assert "missing column(s) in row 1: capacity" in result.stderr


def test_the_example_files_import_cleanly(runner, session):
    from pathlib import Path

    examples = Path(__file__).parents[2] / "examples"
    kampung = runner.invoke(args=["import", "kampung", str(examples / "kampung.csv")])
    partners = runner.invoke(args=["import", "sister-partners", str(examples / "sister-partners.csv")])
    assert kampung.exit_code == 0, kampung.output
    assert partners.exit_code == 0, partners.output
    assert count(session, KampungSisterProfile) == 3 and count(session, PartnerSisterProfile) == 3
