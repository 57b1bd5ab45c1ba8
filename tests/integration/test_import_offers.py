"""`flask import offers FILE`: active offers from CSV or XLSX, all or nothing."""
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from gandeng.accounts.models import Organisation
from gandeng.offers.models import Offer, OfferStatus
from tests import factories as f
from tests.integration.import_files import OFFER_HEADER, offer_row, write_csv, write_xlsx


def run(runner, path):
    return runner.invoke(args=["import", "offers", str(path)])


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_good_csv_imports_active_offers_and_verified_new_organisations(runner, session, tmp_path):
    rows = [
        offer_row(ref="O-1"),
        offer_row(ref="O-2", organisation="Universitas Sleman Raya", org_type="kampus", kind="jasa",
                  categories="", areas="", valid_until="31/12/2029", capacity_rp="60000000"),
        offer_row(ref="O-3", organisation="pt bank mataram sejahtera", kind="Pembelian", categories="LIVELIHOOD",
                  areas="Muja-Muju; Kotagede"),
    ]
    result = run(runner, write_csv(tmp_path / "offers.csv", OFFER_HEADER, rows))
    assert result.exit_code == 0, result.output
    assert "imported 3 offers (active)" in result.stdout and "2 new organisations" in result.stdout
    offers = {o.ref: o for o in session.scalars(select(Offer))}
    assert {o.status for o in offers.values()} == {OfferStatus.ACTIVE}
    assert all(org.is_verified for org in session.scalars(select(Organisation)))
    assert [c.code for c in offers["O-1"].categories] == ["housing", "sanitation"]
    assert sorted(a.code for a in offers["O-1"].areas) == ["34.71.01.1001", "34.71.02"]
    assert offers["O-2"].categories == [] and offers["O-2"].areas == []
    assert offers["O-2"].valid_until == date(2029, 12, 31) and offers["O-2"].capacity_rp == 60_000_000
    assert offers["O-3"].organisation_id == offers["O-1"].organisation_id
    assert offers["O-3"].kind == "pembelian"
    assert sorted(a.code for a in offers["O-3"].areas) == ["34.71.13.1002", "34.71.14"]


def test_existing_unverified_organisation_counts_as_verified_after_import(runner, session, tmp_path):
    organisation = f.make_organisation(session, "Komunitas Baru", "komunitas", verified=False)
    session.commit()
    rows = [offer_row(organisation="Komunitas Baru", org_type="komunitas")]
    result = run(runner, write_csv(tmp_path / "o.csv", OFFER_HEADER, rows))
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert organisation.is_verified
    assert session.scalar(select(Offer)).status == OfferStatus.ACTIVE


def test_three_bad_rows_are_all_reported_and_nothing_is_imported(runner, session, tmp_path):
    past = (date.today() - timedelta(days=1)).isoformat()
    rows = [
        offer_row(ref="O-1", organisation="Organisasi Baru A"),
        offer_row(ref="O-2", areas="Jetis;Gotham"),                  # row 3
        offer_row(ref="O-3", org_type="yayasan"),                    # row 4
        offer_row(ref="O-4", organisation="Organisasi Baru B"),
        offer_row(ref="O-5", valid_until=past),                      # row 6: refused on activation
    ]
    result = run(runner, write_csv(tmp_path / "o.csv", OFFER_HEADER, rows))
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "row 3: areas: Wilayah tidak dikenal: Gotham"
    assert lines[1] == "row 4: org_type: Jenis organisasi harus korporat, kampus atau komunitas."
    assert lines[2].startswith("row 6: valid_until: Masa berlaku penawaran sudah lewat.")
    assert "3 bad row(s) of 5" in lines[3]
    assert count(session, Offer) == 0
    assert count(session, Organisation) == 0


def test_bad_kind_category_and_money_are_reported_by_column(runner, session, tmp_path):
    rows = [offer_row(kind="hibah"), offer_row(ref="O-2", categories="housing;wisata"),
            offer_row(ref="O-3", capacity_rp="0"), offer_row(ref="O-4", capacity_rp="")]
    result = run(runner, write_csv(tmp_path / "o.csv", OFFER_HEADER, rows))
    assert "row 2: kind: Pilih bentuk bantuan" in result.stderr
    assert "row 3: categories: Kategori tidak dikenal: wisata" in result.stderr
    assert "row 4: capacity_rp: Nilai penawaran harus lebih dari Rp0." in result.stderr
    assert "row 5: capacity_rp: Wajib diisi." in result.stderr
    assert count(session, Offer) == 0


def test_duplicate_refs_are_refused(runner, session, tmp_path):
    f.make_offer(session, ref="LAMA")
    session.commit()
    rows = [offer_row(ref="LAMA"), offer_row(ref="O-9"), offer_row(ref="O-9")]
    result = run(runner, write_csv(tmp_path / "o.csv", OFFER_HEADER, rows))
    assert "row 2: ref: LAMA sudah ada di basis data" in result.stderr
    assert "row 4: ref: O-9 sudah dipakai di baris 3" in result.stderr
    assert count(session, Offer) == 1


def test_xlsx_with_real_date_and_number_cells(runner, session, tmp_path):
    rows = [
        offer_row(ref="X-1", capacity_rp=75_000_000, valid_until=datetime(2029, 6, 30)),
        offer_row(ref="X-2", capacity_rp=1_250_000.0, valid_until=date(2029, 7, 1), areas=None, categories=None),
    ]
    result = run(runner, write_xlsx(tmp_path / "offers.xlsx", OFFER_HEADER, rows))
    assert result.exit_code == 0, result.output
    offers = {o.ref: o for o in session.scalars(select(Offer))}
    assert offers["X-1"].capacity_rp == 75_000_000 and offers["X-1"].valid_until == date(2029, 6, 30)
    assert offers["X-2"].capacity_rp == 1_250_000 and offers["X-2"].areas == []


def test_missing_columns_give_one_clear_error(runner, session, tmp_path):
    header = [c for c in OFFER_HEADER if c != "org_type"]
    result = run(runner, write_xlsx(tmp_path / "offers.xlsx", header, [offer_row()]))
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "missing column(s) in row 1: org_type" in result.stderr


def test_categories_areas_and_valid_until_columns_may_be_left_out(runner, session, tmp_path):
    header = [c for c in OFFER_HEADER if c not in ("categories", "areas", "valid_until")]
    result = run(runner, write_csv(tmp_path / "o.csv", header, [offer_row()]))
    assert result.exit_code == 0, result.output
    offer = session.scalar(select(Offer))
    assert (offer.categories, offer.areas, offer.valid_until) == ([], [], None)
