"""Every figure of the staff dashboard against a small world whose answers were computed by hand.

The world (times in UTC; WIB = UTC+7):
  kampung A (Kricak) and B (Karangwaru) in kemantren Tegalrejo, C (Bumijo) in Jetis.
  n1 A sanitation  10 jt, created 2026-01-10 (Q1), need.verify events 2026-01-14 and 2026-03-01
  n2 A housing     20 jt, created 2026-02-01 (Q1), no verify event
  n3 B sanitation   8 jt, created 2026-03-31 18.00 UTC = 1 April 01.00 WIB (Q2), no verify event
  n4 C housing      5 jt, created 2026-05-05 (Q2), submitted only
  n5 C sanitation   4 jt, created 2026-05-20 (Q2), verified, no commitment
  n6 C education    3 jt, created 2025-11-01 (Q4 2025), verified, no commitment
  Organisations K (korporat), U (kampus), M (komunitas) with offers published 2026-01-05;
  Z (komunitas) with an offer for Tegalrejo only, published 2026-05-01; D (korporat) a draft offer.
  c1 n1<-K  6 jt in progress, realised 2 jt          approved 2026-01-20
  c2 n1<-U  4 jt completed, realised 4 jt, 12 people approved 2026-02-15, completed 2026-03-17 (30 d)
  c3 n2<-M  5 jt awaiting the partner                approved 2026-04-10
  c4 n2<-K  3 jt cancelled after 1 jt realised       approved 2026-02-20
  c5 n3<-U  8 jt declined                            approved 2026-04-14 18.00 UTC (Q2)
  c6 n3<-K  2 jt completed, realised 2 jt, 25 people approved 2026-04-20, completed 2026-05-30 (40 d)
Counted Rp (COUNTED_RP): c1 6, c2 4, c3 5, c4 1 (realised part), c5 0, c6 2 jt.
"""
from datetime import date, datetime

import pytest

from gandeng.audit.models import AuditEvent
from gandeng.collaborations import services
from gandeng.needs.models import NeedStatus
from gandeng.offers.models import OfferStatus
from gandeng.reports.dashboard import figures
from gandeng.reports.periods import Period
from tests import factories as f

JT = 1_000_000
TODAY = date(2026, 11, 28)
TEGALREJO, JETIS = "34.71.01", "34.71.02"
KRICAK, KARANGWARU, BUMIJO = "34.71.01.1001", "34.71.01.1002", "34.71.02.1001"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def world(session):
    staff = f.make_staff(session)
    a = f.make_kampung(session, "Kampung A", KRICAK)
    b = f.make_kampung(session, "Kampung B", KARANGWARU)
    c = f.make_kampung(session, "Kampung C", BUMIJO)
    coordinator_a, coordinator_b = f.make_coordinator(session, kampung=a), f.make_coordinator(session, kampung=b)
    orgs = {key: f.make_organisation(session, f"Uji {key}", kind) for key, kind in
            (("K", "korporat"), ("U", "kampus"), ("M", "komunitas"), ("Z", "komunitas"), ("D", "korporat"))}
    partners = {key: f.make_partner(session, organisation=org) for key, org in orgs.items()}
    need = {
        1: f.make_need(session, kampung=a, category_code="sanitation", cost_rp=10 * JT),
        2: f.make_need(session, kampung=a, category_code="housing", cost_rp=20 * JT),
        3: f.make_need(session, kampung=b, category_code="sanitation", cost_rp=8 * JT),
        4: f.make_need(session, kampung=c, category_code="housing", cost_rp=5 * JT, status=NeedStatus.SUBMITTED),
        5: f.make_need(session, kampung=c, category_code="sanitation", cost_rp=4 * JT),
        6: f.make_need(session, kampung=c, category_code="education", cost_rp=3 * JT),
    }
    offer = {key: f.make_offer(session, organisation=orgs[key], capacity_rp=100 * JT,
                               categories=["sanitation", "housing"]) for key in "KUM"}
    offer["Z"] = f.make_offer(session, organisation=orgs["Z"], areas=["Tegalrejo"])
    f.make_offer(session, organisation=orgs["D"], status=OfferStatus.DRAFT)

    def approve(n, key, amount):
        return services.approve_proposal(session, staff, f.proposal_for(session, need[n], offer[key], amount))

    def work(commitment, key, realised):
        services.confirm_collaboration(session, staff, commitment)
        services.report_progress(session, partners[key], commitment, 50, "Berjalan.", realised)

    c1 = approve(1, "K", 6 * JT)
    work(c1, "K", 2 * JT)
    c2 = approve(1, "U", 4 * JT)
    work(c2, "U", 4 * JT)
    services.report_completion(session, partners["U"], c2, 12, "Selesai.")
    services.confirm_completion(session, coordinator_a, c2)
    c3 = approve(2, "M", 5 * JT)
    c4 = approve(2, "K", 3 * JT)
    work(c4, "K", 1 * JT)
    services.cancel_collaboration(session, staff, c4, "Lahan bersengketa.")
    c5 = approve(3, "U", 8 * JT)
    services.decline_collaboration(session, partners["U"], c5, "Anggaran habis.")
    c6 = approve(3, "K", 2 * JT)
    work(c6, "K", 2 * JT)
    services.report_completion(session, partners["K"], c6, 25, "Selesai.")
    services.confirm_completion(session, coordinator_b, c6)

    for n, created in ((1, "2026-01-10 03:00"), (2, "2026-02-01 03:00"), (3, "2026-03-31 18:00"),
                       (4, "2026-05-05 03:00"), (5, "2026-05-20 03:00"), (6, "2025-11-01 03:00")):
        need[n].created_at = at(created)
    for key in "KUM":
        offer[key].created_at = at("2026-01-05 03:00")
    offer["Z"].created_at = at("2026-05-01 03:00")
    for commitment, approved, completed in ((c1, "2026-01-20 03:00", None), (c2, "2026-02-15 03:00", "2026-03-17 03:00"),
                                            (c3, "2026-04-10 03:00", None), (c4, "2026-02-20 03:00", None),
                                            (c5, "2026-04-14 18:00", None), (c6, "2026-04-20 03:00", "2026-05-30 03:00")):
        commitment.created_at = at(approved)
        if completed:
            commitment.completed_at = at(completed)
    for moment in ("2026-03-01 03:00", "2026-01-14 03:00"):
        session.add(AuditEvent(action="need.verify", object_type="needs", object_id=need[1].id, created_at=at(moment)))
    session.commit()
    assert [need[n].status for n in (1, 2, 3)] == [NeedStatus.IN_PROGRESS, NeedStatus.VERIFIED, NeedStatus.IN_PROGRESS]
    return need


def money(group):
    return money_of(group.money)


def money_of(m):
    return (m.needs, m.needed_rp, m.committed_rp, m.realised_rp, m.coverage, m.realisation)


def by_code(groups):
    return {g.code: g for g in groups}


def test_headline_of_all_time_counts_verified_needs_and_every_commitment(session, world):
    result = figures(session, Period(), today=TODAY)
    h = result.headline
    assert (h.needs, h.needed_rp, h.committed_rp, h.realised_rp) == (5, 45 * JT, 18 * JT, 9 * JT)
    assert (h.coverage, h.realisation) == (40.0, 50.0)
    assert result.all_needs == 6


def test_headline_of_a_year_and_of_each_quarter_follows_the_needs_creation(session, world):
    year = figures(session, Period(2026), today=TODAY).headline
    assert (year.needs, year.needed_rp, year.committed_rp, year.realised_rp) == (4, 42 * JT, 18 * JT, 9 * JT)
    assert (year.coverage, year.realisation) == (42.9, 50.0)
    q1 = figures(session, Period(2026, 1), today=TODAY)
    assert money_of(q1.headline) == (2, 30 * JT, 16 * JT, 7 * JT, 53.3, 43.8)
    assert q1.all_needs == 2
    # n3 was created on 31 March in UTC but on 1 April in Yogyakarta: it belongs to Q2.
    q2 = figures(session, Period(2026, 2), today=TODAY)
    assert money_of(q2.headline) == (2, 12 * JT, 2 * JT, 2 * JT, 16.7, 100.0)
    assert q2.all_needs == 3
    empty = figures(session, Period(2026, 3), today=TODAY)
    assert money_of(empty.headline) == (0, 0, 0, 0, None, None)


def test_by_status_counts_every_status_with_zero_rows(session, world):
    rows = {r.status: (r.needs, r.cost_rp) for r in figures(session, Period(), today=TODAY).by_status}
    assert set(rows) == set(NeedStatus)
    assert rows[NeedStatus.IN_PROGRESS] == (2, 18 * JT)
    assert rows[NeedStatus.VERIFIED] == (3, 27 * JT)
    assert rows[NeedStatus.SUBMITTED] == (1, 5 * JT)
    assert rows[NeedStatus.DRAFT] == rows[NeedStatus.COMPLETED] == rows[NeedStatus.WITHDRAWN] == (0, 0)
    q2 = {r.status: r.needs for r in figures(session, Period(2026, 2), today=TODAY).by_status}
    assert (q2[NeedStatus.IN_PROGRESS], q2[NeedStatus.SUBMITTED], q2[NeedStatus.VERIFIED]) == (1, 1, 1)


def test_by_category_lists_every_category(session, world):
    groups = by_code(figures(session, Period(), today=TODAY).by_category)
    assert len(groups) == 10
    assert money(groups["sanitation"]) == (3, 22 * JT, 12 * JT, 8 * JT, 54.5, 66.7)
    assert money(groups["housing"]) == (1, 20 * JT, 6 * JT, 1 * JT, 30.0, 16.7)
    assert money(groups["education"]) == (1, 3 * JT, 0, 0, 0.0, None)
    assert money(groups["health"]) == (0, 0, 0, 0, None, None)
    assert (groups["sanitation"].name, groups["sanitation"].name_en) == ("Sanitasi & air bersih",
                                                                         "Sanitation & clean water")


def test_by_kemantren_and_kelurahan_list_every_area_with_zero_rows(session, world):
    result = figures(session, Period(), today=TODAY)
    kemantren = by_code(result.by_kemantren)
    assert len(kemantren) == 14
    assert money(kemantren[TEGALREJO]) == (3, 38 * JT, 18 * JT, 9 * JT, 47.4, 50.0)
    assert money(kemantren[JETIS]) == (2, 7 * JT, 0, 0, 0.0, None)
    assert money(kemantren["34.71.03"]) == (0, 0, 0, 0, None, None)
    kelurahan = by_code(result.by_kelurahan)
    assert len(kelurahan) == 45
    assert money(kelurahan[KRICAK]) == (2, 30 * JT, 16 * JT, 7 * JT, 53.3, 43.8)
    assert money(kelurahan[KARANGWARU]) == (1, 8 * JT, 2 * JT, 2 * JT, 25.0, 100.0)
    assert money(kelurahan[BUMIJO]) == (2, 7 * JT, 0, 0, 0.0, None)
    assert kelurahan[KRICAK].parent == "Tegalrejo"
    assert sum(1 for g in result.by_kelurahan if g.money.needs == 0) == 42


def test_kemantren_filter_narrows_every_figure(session, world):
    result = figures(session, Period(), JETIS, today=TODAY)
    assert money_of(result.headline) == (2, 7 * JT, 0, 0, 0.0, None)
    assert result.all_needs == 3  # n4 (submitted), n5, n6
    assert [g.code for g in result.by_kemantren] == [JETIS]
    assert {g.name for g in result.by_kelurahan} == {"Bumijo", "Cokrodiningratan", "Gowongan"}
    assert (result.to_approval.days, result.to_approval.count) == (None, 0)
    assert (result.programme.collaborations, result.programme.kampung_reached) == (0, 0)
    # K, U and M offer to the whole city; Z only to Tegalrejo; D's offer is a draft.
    assert result.programme.active_partners == 3
    tegalrejo_q1 = figures(session, Period(2026, 1), TEGALREJO, today=TODAY)
    assert money_of(tegalrejo_q1.headline) == (2, 30 * JT, 16 * JT, 7 * JT, 53.3, 43.8)
    assert figures(session, Period(), TEGALREJO, today=TODAY).programme.active_partners == 4


def test_quarterly_trend_of_a_year_and_of_the_last_eight_quarters(session, world):
    year = figures(session, Period(2026, 2), today=TODAY).trend
    assert [(p.year, p.quarter) for p, _m in year] == [(2026, 1), (2026, 2), (2026, 3), (2026, 4)]
    assert [(m.committed_rp, m.realised_rp) for _p, m in year] == [(16 * JT, 7 * JT), (2 * JT, 2 * JT), (0, 0), (0, 0)]
    recent = figures(session, Period(), today=TODAY).trend
    assert [(p.year, p.quarter) for p, _m in recent][0] == (2025, 1)
    assert len(recent) == 8
    by_quarter = {(p.year, p.quarter): (m.needs, m.committed_rp, m.realised_rp) for p, m in recent}
    assert by_quarter[(2025, 4)] == (1, 0, 0)
    assert by_quarter[(2026, 1)] == (2, 16 * JT, 7 * JT)
    assert by_quarter[(2026, 2)] == (2, 2 * JT, 2 * JT)


def test_median_days_from_verification_to_first_approval_and_to_completion(session, world):
    result = figures(session, Period(), today=TODAY)
    # n1: first verify event 14 Jan -> c1 20 Jan = 6; n2: created 1 Feb -> c4 20 Feb = 19;
    # n3: created 31 Mar 18.00 -> c5 (declined, still an approval) 14 Apr 18.00 = 14.
    assert (result.to_approval.days, result.to_approval.count, result.to_approval.fallback) == (14.0, 3, 2)
    assert (result.to_completion.days, result.to_completion.count) == (35.0, 2)  # 30 and 40 days
    q1 = figures(session, Period(2026, 1), today=TODAY)
    assert (q1.to_approval.days, q1.to_approval.count, q1.to_approval.fallback) == (12.5, 2, 1)
    assert (q1.to_completion.days, q1.to_completion.count) == (30.0, 1)
    q2 = figures(session, Period(2026, 2), today=TODAY)
    assert (q2.to_approval.days, q2.to_approval.count) == (14.0, 1)
    assert (q2.to_completion.days, q2.to_completion.count) == (40.0, 1)


def programme_of(p):
    return (p.collaborations, p.campus_participations, p.campuses, p.kampung_reached, p.csr_activities, p.csr_rp,
            p.active_partners, p.beneficiaries)


def test_programme_figures_count_collaborations_approved_in_the_period(session, world):
    # All time: c1, c2, c3, c4 (cancelled with Rp realised), c6; never c5 (declined).
    everything = figures(session, Period(), today=TODAY).programme
    assert programme_of(everything) == (5, 1, 1, 2, 3, 9 * JT, 4, 37)
    assert everything.by_org_type["komunitas"] == {"collaborations": 1, "organisations": 1,
                                                   "committed_rp": 5 * JT, "beneficiaries": 0}
    # Q1: c1, c2, c4; kampung reached only A (c4 is cancelled); Z's offer came in May.
    assert programme_of(figures(session, Period(2026, 1), today=TODAY).programme) == (3, 1, 1, 1, 2, 7 * JT, 3, 12)
    # Q2: c3, c6 (c5 declined); kampung helped only B: c3 in A still awaits the partner
    # (gandeng/reports/reach.py: work started); every offer active.
    assert programme_of(figures(session, Period(2026, 2), today=TODAY).programme) == (2, 0, 0, 1, 1, 2 * JT, 4, 25)
    # 2025: no collaboration; offers published in 2026 were not active then.
    assert programme_of(figures(session, Period(2025), today=TODAY).programme) == (0, 0, 0, 0, 0, 0, 0, 0)
