"""`flask import needs FILE`: verified needs from CSV or XLSX, all or nothing."""
from datetime import date, datetime

from sqlalchemy import func, select

from gandeng.accounts.models import Kampung
from gandeng.audit.models import AuditEvent
from gandeng.needs.models import Need, NeedStatus
from tests import factories as f
from tests.integration.import_files import NEED_HEADER, NEXT_YEAR, need_row, write_csv, write_xlsx


def run(runner, path):
    return runner.invoke(args=["import", "needs", str(path)])


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_good_csv_imports_every_row_as_verified_need_with_new_kampung(runner, session, tmp_path):
    path = write_csv(tmp_path / "needs.csv", NEED_HEADER, [
        need_row(ref="N-1"),
        need_row(ref="N-2", kelurahan="Muja-Muju", kampung="Balirejo", category="housing", partial_ok="ya"),
        need_row(ref="N-3", kelurahan="tegal panggung", kampung="Ledok Tukangan", urgency="Darurat"),
    ])
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert "imported 3 needs" in result.stdout
    needs = {need.ref: need for need in session.scalars(select(Need))}
    assert {need.status for need in needs.values()} == {NeedStatus.VERIFIED}
    assert needs["N-2"].kelurahan.name == "Muja Muju" and needs["N-2"].partial_ok is True
    assert needs["N-3"].kelurahan.name == "Tegalpanggung" and needs["N-3"].urgency == "darurat"
    assert needs["N-1"].cost_rp == 15_000_000 and needs["N-1"].households == 5
    assert all(k.is_verified for k in session.scalars(select(Kampung)))
    assert count(session, Kampung) == 3
    assert session.scalar(select(func.count()).where(AuditEvent.action == "need.create")) == 3


def test_existing_kampung_is_reused(runner, session, tmp_path):
    f.make_kampung(session, "Kricak Kidul", "34.71.01.1001")
    session.commit()
    result = run(runner, write_csv(tmp_path / "n.csv", NEED_HEADER, [need_row(kampung="kricak-kidul")]))
    assert result.exit_code == 0, result.output
    assert count(session, Kampung) == 1


def test_indonesian_money_and_date_formats_are_accepted(runner, session, tmp_path):
    rows = [
        need_row(ref="A", cost_rp="1.500.000", deadline="31/12/2029"),
        need_row(ref="B", cost_rp="Rp1.500.000", deadline="2029-12-31"),
        need_row(ref="C", cost_rp="Rp 1.500.000", deadline=""),
        need_row(ref="D", cost_rp="1500000", deadline="31-12-2029"),
    ]
    result = run(runner, write_csv(tmp_path / "n.csv", NEED_HEADER, rows))
    assert result.exit_code == 0, result.output
    needs = {n.ref: n for n in session.scalars(select(Need))}
    assert {n.cost_rp for n in needs.values()} == {1_500_000}
    assert needs["A"].deadline == needs["B"].deadline == needs["D"].deadline == date(2029, 12, 31)
    assert needs["C"].deadline is None


def test_three_bad_rows_are_all_reported_and_nothing_is_imported(runner, session, tmp_path):
    rows = [
        need_row(ref="OK-1"),
        need_row(ref="BAD-1", cost_rp="lima juta"),                       # row 3
        need_row(ref="OK-2", kampung="Kampung Baru Sekali"),
        need_row(ref="BAD-2", kelurahan="Atlantis"),                      # row 5
        need_row(ref="BAD-3", kms_households="9", households="2"),        # row 6
    ]
    result = run(runner, write_csv(tmp_path / "n.csv", NEED_HEADER, rows))
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "row 3: cost_rp: Tulis jumlah Rupiah, misalnya 1.500.000."
    assert lines[1] == "row 5: kelurahan: Kelurahan tidak dikenal: Atlantis"
    assert lines[2].startswith("row 6: kms_households: ")
    assert "3 bad row(s)" in lines[-1] and "nothing was imported" in lines[-1]
    assert count(session, Need) == 0
    assert count(session, Kampung) == 0
    assert count(session, AuditEvent) == 0


def test_one_row_can_report_several_bad_cells(runner, session, tmp_path):
    rows = [need_row(cost_rp="x", deadline="kemarin", partial_ok="mungkin")]
    result = run(runner, write_csv(tmp_path / "n.csv", NEED_HEADER, rows))
    assert result.exit_code != 0
    assert "row 2: cost_rp:" in result.stderr
    assert "row 2: deadline: Tanggal tidak sah." in result.stderr
    assert "row 2: partial_ok: Tulis ya atau tidak." in result.stderr


def test_service_rules_apply_to_imported_rows(runner, session, tmp_path):
    rows = [need_row(title=""), need_row(ref="N-2", category="pariwisata"), need_row(ref="N-3", urgency="segera")]
    result = run(runner, write_csv(tmp_path / "n.csv", NEED_HEADER, rows))
    assert "row 2: title: Wajib diisi." in result.stderr
    assert "row 3: category: Pilih kategori yang ada." in result.stderr and "sanitation" in result.stderr
    assert "row 4: urgency: Pilih tingkat urgensi" in result.stderr
    assert count(session, Need) == 0


def test_duplicate_ref_in_the_file_or_in_the_database_rejects_the_file(runner, session, tmp_path):
    f.make_need(session, ref="LAMA-1")
    session.commit()
    rows = [need_row(ref="N-1"), need_row(ref="N-1"), need_row(ref="LAMA-1"), need_row(ref="")]
    result = run(runner, write_csv(tmp_path / "n.csv", NEED_HEADER, rows))
    assert result.exit_code != 0
    assert "row 3: ref: N-1 sudah dipakai di baris 2" in result.stderr
    assert "row 4: ref: LAMA-1 sudah ada di basis data" in result.stderr
    assert "row 5: ref: Wajib diisi." in result.stderr
    assert count(session, Need) == 1


def test_missing_columns_give_one_clear_error(runner, session, tmp_path):
    header = [c for c in NEED_HEADER if c not in ("title", "cost_rp")]
    result = run(runner, write_csv(tmp_path / "n.csv", header, [need_row()]))
    assert result.exit_code != 0
    assert result.stderr.strip().count("\n") == 0
    assert "missing column(s) in row 1: title, cost_rp" in result.stderr


def test_unknown_columns_are_ignored_and_optional_columns_may_be_left_out(runner, session, tmp_path):
    optional = ("rw", "households", "kms_households", "deadline", "urgency", "partial_ok")
    header = [c for c in NEED_HEADER if c not in optional] + ["catatan petugas"]
    result = run(runner, write_csv(tmp_path / "n.csv", header, [need_row(**{"catatan petugas": "cek lagi"})]))
    assert result.exit_code == 0, result.output
    need = session.scalar(select(Need))
    assert (need.partial_ok, need.urgency, need.households, need.deadline) == (False, "sedang", 0, None)


def test_csv_with_byte_order_mark_and_blank_lines(runner, session, tmp_path):
    path = write_csv(tmp_path / "n.csv", NEED_HEADER, [need_row(), need_row(ref="N-2")], bom=True)
    path.write_text(path.read_text("utf-8-sig") + ",,,,,,,,,,,,\n", "utf-8-sig")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert count(session, Need) == 2


def test_xlsx_with_real_date_and_number_cells(runner, session, tmp_path):
    rows = [
        need_row(ref=1001, households=5, kms_households=3, cost_rp=2_500_000,
                 deadline=datetime(2029, 8, 17), rw=4),
        need_row(ref="N-2", households=7.0, cost_rp=3_000_000.0, deadline=date(2029, 1, 2), partial_ok=True),
        need_row(ref="N-3", cost_rp="Rp 4.000.000", deadline="02/01/2029"),
    ]
    result = run(runner, write_xlsx(tmp_path / "needs.xlsx", NEED_HEADER, rows))
    assert result.exit_code == 0, result.output
    needs = {n.ref: n for n in session.scalars(select(Need))}
    assert needs["1001"].deadline == date(2029, 8, 17) and needs["1001"].cost_rp == 2_500_000
    assert needs["1001"].rw == "4"
    assert needs["N-2"].households == 7 and needs["N-2"].cost_rp == 3_000_000 and needs["N-2"].partial_ok
    assert needs["N-3"].deadline == date(2029, 1, 2)


def test_xlsx_bad_rows_are_numbered_as_the_spreadsheet_shows_them(runner, session, tmp_path):
    rows = [need_row(ref="A"), need_row(ref="B", cost_rp=-5), need_row(ref="C", cost_rp=12.5)]
    result = run(runner, write_xlsx(tmp_path / "needs.xlsx", NEED_HEADER, rows))
    assert result.exit_code != 0
    assert "row 3: cost_rp:" in result.stderr and "row 4: cost_rp:" in result.stderr
    assert count(session, Need) == 0


def test_unreadable_or_missing_files_fail_with_one_line(runner, session, tmp_path):
    bad = tmp_path / "needs.xlsx"
    bad.write_text("not a workbook")
    for path in (bad, tmp_path / "absent.csv", tmp_path / "needs.txt"):
        if path.suffix == ".txt":
            path.write_text("ref\n")
        result = run(runner, path)
        assert result.exit_code != 0
        assert len(result.stderr.strip().splitlines()) == 1


def test_latin1_csv_is_refused_with_a_hint(runner, session, tmp_path):
    path = tmp_path / "n.csv"
    path.write_bytes(",".join(NEED_HEADER).encode() + b"\nN-1,Kricak,Kampung Caf\xe9\n")
    result = run(runner, path)
    assert result.exit_code != 0
    assert "CSV UTF-8" in result.stderr
