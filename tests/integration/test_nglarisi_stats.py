"""The 60 % target and fairness figures against hand-computed data; the stats API and CSV; privacy."""
from datetime import date, datetime

import pytest

from gandeng.nglarisi import services, stats
from gandeng.nglarisi.models import Order
from tests import factories as f
from tests.api.helpers import as_user


def _order(session, office, group, value, status, day):
    order = Order(office_id=office.id, deliver_on=day, deliver_time="11:00",
                  deliver_at=datetime(day.year, day.month, day.day, 4), kelurahan_code="34.71.01.1001",
                  portions=value // 20_000, budget_rp=value, status=status, group_id=group.id,
                  price_per_portion_rp=20_000, value_rp=value)
    session.add(order)
    return order


@pytest.fixture
def figures(session):
    staff = f.make_staff(session)
    dinkes = services.get_or_create_office(session, "Dinas Kesehatan")
    dinsos = services.get_or_create_office(session, "Dinas Sosial")
    services.set_office_budget(session, staff, dinkes, 2026, 10_000_000)
    services.set_office_budget(session, staff, dinsos, 2026, 5_000_000)
    g1, g2, g3 = (f.make_group(session, name=n) for n in ("Dapur Satu", "Dapur Dua", "Dapur Tiga"))
    f.make_group(session, name="Dapur Belum", status="pending")
    _order(session, dinkes, g1, 4_000_000, "paid", date(2026, 11, 20))
    _order(session, dinkes, g2, 2_000_000, "accepted", date(2026, 3, 1))
    _order(session, dinsos, g1, 1_000_000, "delivered", date(2026, 10, 1))
    _order(session, dinsos, g3, 900_000, "cancelled", date(2026, 11, 1))   # not counted
    _order(session, dinkes, g3, 800_000, "offered", date(2026, 12, 20))    # not counted: not accepted
    _order(session, dinkes, g2, 3_000_000, "paid", date(2025, 6, 1))       # another year
    session.commit()
    return staff


def test_year_figures_match_the_hand_computed_ones(session, figures):
    result = stats.year_stats(session, 2026, today=date(2026, 12, 6))
    assert {g["name"]: g["value_rp"] for g in result.groups} == {"Dapur Satu": 5_000_000, "Dapur Dua": 2_000_000,
                                                                "Dapur Tiga": 0}
    offices = {o["name"]: o for o in result.offices}
    assert offices["Dinas Kesehatan"]["value_rp"] == 6_000_000 and offices["Dinas Kesehatan"]["share"] == 0.6
    assert offices["Dinas Kesehatan"]["meets_target"] is True
    assert offices["Dinas Sosial"]["share"] == 0.2 and offices["Dinas Sosial"]["meets_target"] is False
    assert result.total_rp == 7_000_000 and result.budget_rp == 15_000_000
    assert result.city_share == pytest.approx(7 / 15)
    # Gini of (0, 2, 5) million: sum of |xi - xj| over ordered pairs 20 / (2 * 3^2 * 7/3) = 20/42.
    assert result.gini == pytest.approx(20 / 42)
    assert sorted(result.idle_groups) == ["Dapur Dua", "Dapur Tiga"]  # last order > 60 days ago, or none


def test_stats_api_and_csv_for_staff_only(client, session, figures):
    office_user = f.make_office_user(session)
    answer = client.get("/api/v1/nglarisi/stats?year=2026", headers=as_user(session, figures))
    assert answer.status_code == 200
    assert answer.json["total_rp"] == 7_000_000 and answer.json["gini"] == pytest.approx(20 / 42)
    assert answer.json["target_share"] == 0.6
    assert client.get("/api/v1/nglarisi/stats", headers=as_user(session, office_user)).status_code == 403
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = figures.get_id(), True
    csv = client.get("/nglarisi/stats.csv?year=2026")
    assert csv.status_code == 200 and "office,Dinas Kesehatan,2,6000000,10000000,0.6000" in csv.text
    assert "gini,verified groups,,0.4762" in csv.text
    pdf = client.get("/nglarisi/report.pdf?month=2026-11")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert 'filename="nglarisi-2026-11.pdf"' in pdf.headers["Content-Disposition"]


def test_monthly_figures_count_only_the_month_against_the_years_budget(session, figures):
    from gandeng.nglarisi.report import month_range

    start, end = month_range(2026, 11)
    month = stats.year_stats(session, 2026, end, start=start, end=end)
    assert month.total_rp == 4_000_000  # only Dinas Kesehatan's paid order of 20 November
    assert {g["name"]: g["value_rp"] for g in month.groups}["Dapur Satu"] == 4_000_000
    assert month_range(2026, 12) == (date(2026, 12, 1), date(2027, 1, 1))


def test_member_data_never_reaches_public_pages_or_the_api_for_non_staff(client, session):
    staff = f.make_staff(session)
    group = f.make_group(session, name="Dapur Rahasia", description="Masakan rumahan")
    services.add_member(session, staff, group, name="Sutinah Wardani", nik="3471014107950001", kms_pkh=True)
    office = f.make_office_user(session)
    cook = f.make_group_user(session, group=group)
    session.commit()
    from gandeng.nglarisi import orders
    from tests.integration.test_nglarisi_orders import order_input

    orders.place_order(session, office, order_input())
    session.commit()
    page = client.get(f"/nglarisi/katalog/{group.id}")
    assert page.status_code == 200 and "Nasi kotak ayam" in page.text and "Dapur Rahasia" in page.text
    for secret in ("Sutinah", "3471014107950001", "KMS", "0812"):
        assert secret not in page.text
    for user in (office, cook):
        listed = client.get("/api/v1/orders", headers=as_user(session, user))
        assert listed.status_code == 200 and len(listed.json["items"]) == 1
        assert "Sutinah" not in listed.text and "3471014107950001" not in listed.text
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = cook.get_id(), True
    assert client.get(f"/nglarisi/groups/{group.id}").status_code == 403
    assert "Sutinah" not in client.get("/nglarisi/my-group").text


def test_the_stats_page_writes_shares_and_the_gini_with_a_decimal_comma_in_stacked_rows(client, session, figures):
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = figures.get_id(), True
    page = client.get("/nglarisi/stats?year=2026").text
    assert "(46,7%, target 60%)" in page and "46.7" not in page
    assert ": 0,476" in page and "0.476" not in page
    assert "60,0%" in page and "20,0%" in page
    # On a phone the tables become stacked cards: every cell says its column.
    assert page.count('class="table table-sm table-stack"') == 2
    assert 'data-label="Bagian"' in page and 'data-label="Nilai"' in page
