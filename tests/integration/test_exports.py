"""Staff exports: the rows and columns of needs, offers and collaborations for known data, and filters."""
from datetime import date, datetime

import pytest
from sqlalchemy import event

from gandeng.collaborations.queries import running_totals_agree
from gandeng.db import db
from gandeng.reports import exports
from gandeng.reports.exports import HEADERS, ExportFilters
from gandeng.reports.periods import Period
from tests import factories as f

KRICAK, TEGALREJO = "34.71.01.1001", "34.71.01"  # kelurahan Kricak in kemantren Tegalrejo
PRINGGOKUSUMAN = "34.71.05.1002"  # in kemantren Gedongtengen
NAMES, PHONE = "Mbah Sukiyem Pawiro (RT 03)", "0899-1234-5678"


def _rows(session, dataset, **filters):
    return [dict(zip(HEADERS[dataset], row)) for row in exports.rows_of(session, dataset, ExportFilters(**filters))]


@pytest.fixture
def data(session):
    """Two needs in Kricak (Tegalrejo) and Pringgokusuman (Gedongtengen), created on known days;
    one offer for the whole city, one for Pringgokusuman; four collaborations on the first need:
    awaiting the partner (Rp4.000.000), completed (Rp2.000.000), cancelled after Rp500.000 was
    realised (of Rp1.000.000), declined (Rp1.000.000)."""
    kricak = f.make_kampung(session, "Kampung Kricak Kidul", KRICAK)
    pringgo = f.make_kampung(session, "Kampung Notoyudan", PRINGGOKUSUMAN)
    first = f.make_need(session, kampung=kricak, ref="KBT-1", title="Jamban sehat RT 03", cost_rp=15_000_000,
                        households=5, kms_households=3, rw="05", urgency="tinggi", partial_ok=True,
                        deadline=date(2026, 6, 30), beneficiaries=NAMES, contact_phone=PHONE)
    first.created_at = datetime(2026, 2, 10, 3, 0)         # 10 February 2026 10.00 WIB (Q1)
    first.verified_at = datetime(2026, 2, 11, 1, 30, 15)   # 11 February 2026 08.30.15 WIB
    second = f.make_need(session, kampung=pringgo, ref="KBT-2", title="Bedah rumah", category_code="housing",
                         cost_rp=40_000_000, households=1, kms_households=1, status="submitted")
    second.created_at = datetime(2026, 3, 31, 18, 0)       # 1 April 2026 01.00 WIB: Q2, not Q1
    bank = f.make_organisation(session, "PT Bank Contoh", "korporat")
    campus = f.make_organisation(session, "Universitas Contoh", "kampus")
    city_offer = f.make_offer(session, organisation=bank, ref="PNW-1", title="CSR sanitasi", capacity_rp=50_000_000,
                              categories=["health", "sanitation"], valid_until=date(2026, 12, 31))
    city_offer.created_at = datetime(2026, 1, 5, 2, 0)
    local_offer = f.make_offer(session, organisation=campus, ref="PNW-2", title="KKN bedah rumah",
                               capacity_rp=10_000_000, categories=["housing"], areas=["Pringgokusuman"])
    local_offer.created_at = datetime(2026, 4, 2, 2, 0)
    staff = f.make_staff(session)
    waiting = f.make_collaboration(session, first, city_offer, 4_000_000, staff=staff)
    done = f.make_collaboration(session, first, city_offer, 2_000_000, staff=staff, status="completed")
    cancelled = f.make_collaboration(session, first, city_offer, 1_000_000, staff=staff)
    declined = f.make_collaboration(session, first, city_offer, 1_000_000, staff=staff)
    # Money and statuses set by hand, and the running totals (which the exports read) with them,
    # as the services would leave them: the declined Rp1.000.000 and the unrealised Rp500.000 go back.
    cancelled.status, cancelled.realised_rp, cancelled.closed_at = "cancelled", 500_000, datetime(2026, 5, 1, 5, 0)
    first.committed_rp = city_offer.committed_rp = 6_500_000
    declined.status, declined.closed_at = "declined", datetime(2026, 3, 3, 3, 0)
    done.realised_rp, done.progress_percent, done.beneficiaries_reached = 1_800_000, 100, 12
    done.confirmed_at, done.completed_at = datetime(2026, 3, 2, 2, 0), datetime(2026, 4, 20, 9, 0)
    for commitment, created in ((waiting, datetime(2026, 6, 30, 16, 59)), (done, datetime(2026, 3, 1, 2, 0)),
                                (cancelled, datetime(2026, 4, 1, 2, 0)), (declined, datetime(2026, 3, 2, 2, 0))):
        commitment.created_at = created
    session.commit()
    assert running_totals_agree(session) == []
    return dict(first=first, second=second, city_offer=city_offer, local_offer=local_offer, waiting=waiting,
                done=done, cancelled=cancelled, declined=declined)


def test_need_row_has_every_column_with_summed_commitments_and_wib_times(session, data):
    rows = _rows(session, "needs")
    assert [r["ref"] for r in rows] == ["KBT-1", "KBT-2"]
    assert rows[0] == {
        "id": data["first"].id, "ref": "KBT-1", "status": "in_progress", "category_code": "sanitation",
        "category_label": data["first"].category.label_id, "kemantren": "Tegalrejo",
        "kelurahan_code": KRICAK, "kelurahan": "Kricak", "kampung": "Kampung Kricak Kidul", "rw": "05",
        "title": "Jamban sehat RT 03", "description": data["first"].description, "households": 5,
        "kms_households": 3, "cost_rp": 15_000_000,
        # 4,000,000 awaiting + 2,000,000 completed + 500,000 realised of the cancelled one; declined: 0
        "committed_rp": 6_500_000, "remaining_rp": 8_500_000,
        "urgency": "tinggi", "deadline": date(2026, 6, 30), "partial_ok": True,
        "created_at": rows[0]["created_at"], "verified_at": rows[0]["verified_at"],
    }
    assert rows[0]["created_at"].isoformat() == "2026-02-10T10:00:00+07:00"
    assert rows[0]["verified_at"].isoformat() == "2026-02-11T08:30:15+07:00"
    assert rows[1]["committed_rp"] == 0 and rows[1]["remaining_rp"] == 40_000_000
    assert rows[1]["verified_at"] is None


def test_need_export_leaves_out_household_names_and_phones(session, data):
    cells = [str(value) for row in exports.rows_of(session, "needs", ExportFilters()) for value in row]
    assert not any(NAMES in cell or "0899" in cell for cell in cells)
    assert not {"beneficiaries", "contact_phone"} & set(HEADERS["needs"])


def test_need_filters_by_status_kemantren_and_quarter_in_wib(session, data):
    assert [r["ref"] for r in _rows(session, "needs", status="submitted")] == ["KBT-2"]
    assert [r["ref"] for r in _rows(session, "needs", kemantren=TEGALREJO)] == ["KBT-1"]
    assert [r["ref"] for r in _rows(session, "needs", period=Period(2026, 1))] == ["KBT-1"]
    # 31 March 18.00 UTC is already 1 April in Yogyakarta
    assert [r["ref"] for r in _rows(session, "needs", period=Period(2026, 2))] == ["KBT-2"]
    assert _rows(session, "needs", period=Period(2025)) == []


def test_offer_rows_list_categories_areas_and_committed_money(session, data):
    rows = _rows(session, "offers")
    assert [r["ref"] for r in rows] == ["PNW-1", "PNW-2"]
    city, local = rows
    assert city == {
        "id": data["city_offer"].id, "ref": "PNW-1", "status": "active", "organisation": "PT Bank Contoh",
        "organisation_type": "korporat", "kind": "dana", "categories": "sanitation;health", "title": "CSR sanitasi",
        "description": data["city_offer"].description, "capacity_rp": 50_000_000, "committed_rp": 6_500_000,
        "remaining_rp": 43_500_000, "areas": "", "valid_until": date(2026, 12, 31),
        "created_at": city["created_at"],
    }
    assert city["created_at"].isoformat() == "2026-01-05T09:00:00+07:00"
    assert (local["areas"], local["categories"], local["committed_rp"]) == ("Pringgokusuman", "housing", 0)


def test_offer_kemantren_filter_keeps_offers_that_serve_it(session, data):
    # Tegalrejo: only the whole-city offer; Gedongtengen: both (one names its kelurahan)
    assert [r["ref"] for r in _rows(session, "offers", kemantren=TEGALREJO)] == ["PNW-1"]
    assert [r["ref"] for r in _rows(session, "offers", kemantren="34.71.05")] == ["PNW-1", "PNW-2"]
    assert [r["ref"] for r in _rows(session, "offers", period=Period(2026, 2))] == ["PNW-2"]
    assert _rows(session, "offers", status="withdrawn") == []


def test_collaboration_rows_carry_need_place_organisation_money_and_dates(session, data):
    rows = {r["id"]: r for r in _rows(session, "collaborations")}
    assert len(rows) == 4  # every status, declined included: the export is the full record
    done = rows[data["done"].id]
    assert {k: v for k, v in done.items() if not k.endswith("_at")} == {
        "id": data["done"].id, "status": "completed", "need_id": data["first"].id, "need_ref": "KBT-1",
        "need_title": "Jamban sehat RT 03", "kampung": "Kampung Kricak Kidul", "kelurahan_code": KRICAK,
        "kelurahan": "Kricak", "kemantren": "Tegalrejo", "category_code": "sanitation",
        "category_label": data["first"].category.label_id, "offer_id": data["city_offer"].id,
        "offer_ref": "PNW-1", "organisation": "PT Bank Contoh", "organisation_type": "korporat",
        "amount_rp": 2_000_000, "realised_rp": 1_800_000, "progress_percent": 100, "beneficiaries_reached": 12,
    }
    assert done["approved_at"].isoformat() == "2026-03-01T09:00:00+07:00"
    assert done["confirmed_at"].isoformat() == "2026-03-02T09:00:00+07:00"
    assert done["completed_at"].isoformat() == "2026-04-20T16:00:00+07:00"
    assert rows[data["cancelled"].id]["closed_at"].isoformat() == "2026-05-01T12:00:00+07:00"
    assert rows[data["waiting"].id]["completed_at"] is None


def test_collaboration_period_is_the_approval_date_in_wib(session, data):
    # approvals: done 1 March, declined 2 March (Q1); cancelled 1 April and waiting
    # 30 June 23.59 WIB (Q2)
    q1 = [r["id"] for r in _rows(session, "collaborations", period=Period(2026, 1))]
    q2 = [r["id"] for r in _rows(session, "collaborations", period=Period(2026, 2))]
    assert q1 == sorted([data["done"].id, data["declined"].id])
    assert q2 == sorted([data["waiting"].id, data["cancelled"].id])
    assert [r["id"] for r in _rows(session, "collaborations", status="declined")] == [data["declined"].id]
    assert _rows(session, "collaborations", kemantren="34.71.05") == []


def test_filters_from_args_ignore_unknown_values(session, data):
    args = {"status": "completed", "kemantren": "99.99", "year": "abc", "quarter": "2"}
    assert exports.filters_from_args(session, "needs", args) == ExportFilters(status="completed")
    args = {"status": "completed", "kemantren": TEGALREJO, "year": "2026", "quarter": "2"}
    assert exports.filters_from_args(session, "offers", args) == ExportFilters(kemantren=TEGALREJO,
                                                                               period=Period(2026, 2))


def test_file_name_says_what_which_part_and_when():
    filters = ExportFilters(status="verified", kemantren=TEGALREJO, period=Period(2026, 1))
    assert exports.export_filename("needs", filters, "csv", date(2026, 11, 28)) == \
        "gandeng-needs-2026q1-34.71.01-verified-2026-11-28.csv"
    assert exports.export_filename("offers", ExportFilters(), "xlsx", date(2026, 11, 28)) == \
        "gandeng-offers-2026-11-28.xlsx"


@pytest.mark.parametrize("dataset", ["needs", "offers", "collaborations"])
def test_export_runs_the_same_number_of_queries_for_many_rows(session, data, dataset):
    """No query per row: ten more needs, offers and collaborations cost no extra statement."""
    def statements():
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            rows = list(exports.rows_of(session, dataset, ExportFilters()))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(rows), len(seen)

    before_rows, before = statements()
    for n in range(10):
        need = f.make_need(session, kampung=data["first"].kampung, cost_rp=1_000_000)
        offer = f.make_offer(session, capacity_rp=1_000_000, areas=["Kricak"])
        f.make_collaboration(session, need, offer, 500_000)
    session.commit()
    after_rows, after = statements()
    assert after_rows == before_rows + 10
    assert after == before
