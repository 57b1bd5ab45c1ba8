"""The monthly report's figures for October 2025 (00.00 WIB 1 Oct = 17.00 UTC 30 Sep, to 17.00 UTC
31 Oct) against hand-built needs, approvals, completions and progress reports; and month parsing."""
from datetime import date, datetime

import pytest

from gandeng.collaborations import services
from gandeng.needs.models import NeedStatus
from gandeng.reports.monthly import Month, MonthError, default_month, monthly_report, parse_month, realised_in_month
from tests import factories as f

KRICAK, PRINGGOKUSUMAN = "34.71.01.1001", "34.71.05.1002"  # Tegalrejo, Gedongtengen
OCTOBER = Month(2025, 10)


def _need(session, kampung, cost, submitted=None, verified=None, title="Kebutuhan"):
    need = f.make_need(session, kampung=kampung, cost_rp=cost, title=title)
    need.submitted_at, need.verified_at = submitted, verified
    session.flush()
    return need


def _approve(session, staff, need, offer, at):
    commitment = services.approve_proposal(session, staff, f.proposal_for(session, need, offer, need.cost_rp))
    commitment.created_at = at
    session.flush()
    return commitment


def _progress(session, partner, commitment, realised, at):
    report = services.report_progress(session, partner, commitment, 50, "Kemajuan.", realised)
    report.created_at = at
    session.flush()
    return report


@pytest.fixture
def october(session):
    """Tegalrejo: A (submitted and verified in Oct, 10 jt), C (submitted 23.59 WIB 31 Oct, verified in Nov,
    3 jt, waiting), E (1 jt, waiting: its only collaboration was declined).
    Gedongtengen: B (submitted 23.59 WIB 30 Sep, verified 00.00 WIB 1 Oct, 6 jt), D (2 jt, waiting).
    Organisation P: c1 on A, approved 10 Oct, realised 4 jt (12 Oct) then 6 jt (20 Oct); c3 on E,
    approved 2 Oct and declined. Organisation Q: c2 on B, approved in Aug, realised 2 jt (1 Sep), 5 jt
    (15 Oct), completed 25 Oct, 6 jt (3 Nov)."""
    staff = f.make_staff(session)
    tegalrejo, gedongtengen = f.make_kampung(session, "Anggrek", KRICAK), f.make_kampung(session, "Melati",
                                                                                        PRINGGOKUSUMAN)
    org_p, org_q = f.make_organisation(session, "PT Pelita"), f.make_organisation(session, "Komunitas Quanta",
                                                                                  "komunitas")
    partner_p, partner_q = f.make_partner(session, organisation=org_p), f.make_partner(session, organisation=org_q)
    offer_p = f.make_offer(session, organisation=org_p, capacity_rp=100_000_000)
    offer_q = f.make_offer(session, organisation=org_q, capacity_rp=100_000_000)

    a = _need(session, tegalrejo, 10_000_000, datetime(2025, 10, 5), datetime(2025, 10, 6))
    b = _need(session, gedongtengen, 6_000_000, datetime(2025, 9, 30, 16, 59), datetime(2025, 9, 30, 17, 0))
    _need(session, tegalrejo, 3_000_000, datetime(2025, 10, 31, 16, 59), datetime(2025, 11, 1))
    _need(session, gedongtengen, 2_000_000)
    e = _need(session, tegalrejo, 1_000_000)
    f.make_need(session, kampung=tegalrejo, cost_rp=50_000_000, status=NeedStatus.SUBMITTED)  # not verified

    c1 = _approve(session, staff, a, offer_p, datetime(2025, 10, 10))
    services.confirm_collaboration(session, partner_p, c1)
    _progress(session, partner_p, c1, 4_000_000, datetime(2025, 10, 12))
    _progress(session, partner_p, c1, 6_000_000, datetime(2025, 10, 20))

    c3 = _approve(session, staff, e, offer_p, datetime(2025, 10, 2))
    services.decline_collaboration(session, partner_p, c3, "Anggaran dialihkan.")

    c2 = _approve(session, staff, b, offer_q, datetime(2025, 8, 15))
    services.confirm_collaboration(session, partner_q, c2)
    _progress(session, partner_q, c2, 2_000_000, datetime(2025, 9, 1))
    _progress(session, partner_q, c2, 5_000_000, datetime(2025, 10, 15))
    _progress(session, partner_q, c2, 6_000_000, datetime(2025, 11, 3))
    services.report_completion(session, partner_q, c2, 20, "Selesai.")
    services.confirm_completion(session, f.make_coordinator(session, kampung=gedongtengen), c2)
    c2.completed_at = datetime(2025, 10, 25)
    for report in c2.reports:
        if report.percent == 100:  # the completion report carries 6 jt too, made after the month
            report.created_at = datetime(2025, 11, 5)
    session.flush()
    return {"p": org_p, "q": org_q, "c1": c1, "c2": c2, "partner_p": partner_p}


def _row(report, name):
    return next(row.figures for row in report.by_kemantren if row.name == name)


def test_city_figures_of_the_month(session, october):
    city = monthly_report(session, OCTOBER).city

    assert (city.needs_submitted, city.needs_submitted_rp) == (2, 13_000_000)  # A and C, not B
    assert (city.needs_verified, city.needs_verified_rp) == (2, 16_000_000)  # A and B, not C
    assert (city.approved, city.approved_rp) == (2, 11_000_000)  # c1 and the declined c3 as approved
    assert (city.completed, city.completed_rp) == (1, 6_000_000)  # c2
    assert city.realised_rp == (6_000_000 - 0) + (5_000_000 - 2_000_000)
    assert (city.waiting, city.waiting_rp) == (3, 6_000_000)  # C, D and E


def test_figures_by_kemantren_add_up_to_the_city(session, october):
    report = monthly_report(session, OCTOBER)
    tegalrejo, gedongtengen = _row(report, "Tegalrejo"), _row(report, "Gedongtengen")

    assert len(report.by_kemantren) == 14
    assert (tegalrejo.needs_submitted, tegalrejo.needs_verified, tegalrejo.approved_rp, tegalrejo.realised_rp,
            tegalrejo.waiting, tegalrejo.waiting_rp) == (2, 1, 11_000_000, 6_000_000, 2, 4_000_000)
    assert (gedongtengen.needs_verified_rp, gedongtengen.completed, gedongtengen.realised_rp,
            gedongtengen.waiting_rp) == (6_000_000, 1, 3_000_000, 2_000_000)
    assert _row(report, "Kraton").approved == 0
    assert sum(row.figures.approved_rp for row in report.by_kemantren) == report.city.approved_rp


def test_top_partners_rank_by_rupiah_approved_then_realised(session, october):
    partners = monthly_report(session, OCTOBER).top_partners

    assert [(p.name, p.approved, p.approved_rp, p.realised_rp) for p in partners] == [
        ("PT Pelita", 2, 11_000_000, 6_000_000),
        ("Komunitas Quanta", 0, 0, 3_000_000),
    ]


def test_november_counts_what_was_reported_after_october(session, october):
    november = monthly_report(session, Month(2025, 11))

    assert november.city.realised_rp == 1_000_000  # c2: 6 jt at the end of Nov minus 5 jt at its start
    assert (november.city.needs_verified, november.city.approved, november.city.completed) == (1, 0, 0)


def test_a_correction_downwards_makes_the_month_realise_less(session, october):
    c1, partner = october["c1"], october["partner_p"]
    _progress(session, partner, c1, 5_500_000, datetime(2025, 12, 2))

    realised = realised_in_month(session, Month(2025, 12))

    assert sum(realised.values()) == -500_000


def test_month_bounds_are_wib_midnights():
    start, end = OCTOBER.bounds()

    assert (start, end) == (datetime(2025, 9, 30, 17, 0), datetime(2025, 10, 31, 17, 0))
    assert Month(2025, 12).next() == Month(2026, 1) and Month(2026, 1).previous() == Month(2025, 12)


def test_default_month_is_the_last_complete_one():
    assert default_month(date(2026, 1, 15)) == Month(2025, 12)
    assert default_month(date(2026, 11, 28)) == Month(2026, 10)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "november", "2026/11", "26-11", "2017-12",
                                  "2026-12", "9999-01"])
def test_bad_or_future_months_are_refused_with_a_message(app, text):
    with pytest.raises(MonthError) as refused:
        parse_month(text, today=date(2026, 11, 28))
    assert str(refused.value)


def test_good_months_are_read(app):
    assert parse_month("2026-11", today=date(2026, 11, 28)) == Month(2026, 11)
    assert parse_month(" 2018-1 ", today=date(2026, 11, 28)) == Month(2018, 1)


def test_of_two_reports_at_the_same_moment_the_later_one_counts(session, october):
    c1, partner = october["c1"], october["partner_p"]
    _progress(session, partner, c1, 7_000_000, datetime(2026, 1, 10))
    _progress(session, partner, c1, 6_500_000, datetime(2026, 1, 10))

    assert sum(realised_in_month(session, Month(2026, 1)).values()) == 500_000
