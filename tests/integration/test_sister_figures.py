"""Figures of a published sister year: per kemantren, per partner, per pair and for the city (reports on
time, households reached, collaborations in money and in kind counted once), as open data and as PDFs."""
from datetime import date, datetime

from sqlalchemy import update

from gandeng.collaborations.models import Commitment
from gandeng.sister import figures, work
from gandeng.sister.models import SisterRound
from tests import factories as f

REPORT = {"text": "Bank sampah", "households_reached": "45", "participants": "60", "students": "12",
          "employees": "4"}


def _year_with_work(session, year):
    pair, users = f.make_published_sister_pair(session, year=year)
    work.add_report(session, users["campus"], pair, 1, REPORT, now=datetime(year, 4, 10))
    work.add_report(session, users["company"], pair, 2, {**REPORT, "households_reached": "5"},
                    now=datetime(year, 8, 1))
    money = f.make_collaboration(session, need=f.make_need(session, kampung=pair.kampung),
                                 offer=f.make_offer(session, organisation=pair.company, kind="dana"),
                                 amount_rp=2_000_000)
    goods = f.make_collaboration(session, need=f.make_need(session, kampung=pair.kampung),
                                 offer=f.make_offer(session, organisation=pair.campus, kind="barang"),
                                 amount_rp=500_000)
    elsewhere = f.make_collaboration(session, need=f.make_need(session),
                                     offer=f.make_offer(session, organisation=pair.campus, kind="dana"),
                                     amount_rp=700_000)  # another kampung: not the pair's
    session.execute(update(Commitment).where(Commitment.id.in_([money.id, goods.id, elsewhere.id]))
                    .values(created_at=datetime(year, 5, 1)))
    session.flush()
    return pair, users


def test_the_year_figures_count_reports_households_and_collaborations_once(session):
    pair, users = _year_with_work(session, 2025)
    found = figures.year_figures(session, 2025, date(2025, 11, 1))
    city = found.city
    assert (city.kampung, city.complete, city.theme_fit) == (1, 1, 1)
    assert (city.reports_due, city.reports_on_time, city.reports_late, city.reports_missing) == (3, 1, 1, 1)
    assert city.households_reached == 50 and city.students == 24 and city.employees == 8
    assert (city.money_rp, city.in_kind_rp) == (2_000_000, 500_000)
    [(code, name, kemantren)] = found.by_kemantren
    assert name == "Tegalrejo" and kemantren.households_reached == 50
    campus, _pairs = figures.partner_figures(found, pair.campus)
    assert (campus.kampung, campus.capacity, campus.in_kind_rp, campus.money_rp) == (1, 2, 500_000, 2_000_000)
    assert [p.money_rp for p in found.pairs] == [2_000_000]


def test_a_draft_year_has_no_figures(session):
    pair, users = f.make_published_sister_pair(session, year=2025)
    session.get(SisterRound, pair.round_id).status = "draft"
    session.flush()
    assert figures.year_figures(session, 2025, date(2025, 11, 1)) is None
    assert figures.latest_published_year(session) is None


def test_open_data_rows_hold_no_personal_data(session):
    pair, users = _year_with_work(session, 2025)
    rows = figures.open_data_rows(figures.year_figures(session, 2025, date(2025, 11, 1)))
    assert len(rows) == 1 and len(rows[0]) == len(figures.OPEN_DATA_HEADER)
    text = ";".join(map(str, rows[0]))
    assert "Tegalrejo" in text and "Kampung Sister" not in text
    for user in users.values():
        assert user.name not in text and user.email not in text


def test_the_pdfs_of_a_partner_and_of_the_city(session, app):
    from gandeng.sister import documents

    pair, users = _year_with_work(session, 2025)
    found = figures.year_figures(session, 2025, date(2025, 11, 1))
    tally, pairs = figures.partner_figures(found, pair.campus)
    partner = bytes(documents.partner_pdf(found, pair.campus, tally, pairs, datetime(2025, 11, 1)).output())
    city = bytes(documents.city_pdf(found, datetime(2025, 11, 1)).output())
    assert partner.startswith(b"%PDF-") and city.startswith(b"%PDF-")
    assert documents.partner_filename(pair.campus, 2025) == "kampung-sister-kampus-sister-2025.pdf"
