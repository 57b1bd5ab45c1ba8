"""The partner report's figures against a small hand-built organisation whose answers were worked
out by hand: counted Rupiah per status, realised, reach, the year filter in WIB, offers' room."""
from datetime import datetime

import pytest

from gandeng.collaborations import services
from gandeng.reports.partner import collaborations_of, offers_of, organisation_summaries, partner_report, totals_of
from gandeng.reports.periods import Period
from tests import factories as f

KRICAK, PRINGGOKUSUMAN = "34.71.01.1001", "34.71.05.1002"


def _approve(session, staff, need, offer, amount, at):
    commitment = services.approve_proposal(session, staff, f.proposal_for(session, need, offer, amount))
    commitment.created_at = at
    session.flush()
    return commitment


@pytest.fixture
def bank(session):
    """PT Bank Jogja (offer 50 jt used, offer 10 jt untouched) with four collaborations:
    - c1 10 jt, approved 10 Mar 2026, 9,5 jt realised, completed, 12 beneficiaries (Anggrek, Kricak)
    - c2  8 jt, approved  1 Jun 2026, 3 jt realised, in progress (Melati, Pringgokusuman)
    - c3  5 jt, approved at 00.00 WIB on 1 Jan 2026 (17.00 UTC the day before), declined (Anggrek)
    - c4  4 jt, approved at 23.59 WIB on 31 Dec 2025, 1 jt realised then cancelled (Mawar, Kricak)
    and another organisation's 7 jt collaboration that must not count."""
    staff = f.make_staff(session)
    org = f.make_organisation(session, "PT Bank Jogja")
    partner = f.make_partner(session, organisation=org)
    big = f.make_offer(session, organisation=org, capacity_rp=50_000_000, title="CSR kampung sehat")
    small = f.make_offer(session, organisation=org, capacity_rp=10_000_000, title="Beasiswa")
    anggrek = f.make_kampung(session, "Anggrek", KRICAK)
    melati = f.make_kampung(session, "Melati", PRINGGOKUSUMAN)
    mawar = f.make_kampung(session, "Mawar", KRICAK)

    c1 = _approve(session, staff, f.make_need(session, kampung=anggrek, cost_rp=10_000_000), big, 10_000_000,
                  datetime(2026, 3, 10, 3, 0))
    services.confirm_collaboration(session, partner, c1)
    services.report_progress(session, partner, c1, 90, "Hampir selesai.", 9_500_000)
    services.report_completion(session, partner, c1, 12, "Selesai.")
    services.confirm_completion(session, f.make_coordinator(session, kampung=anggrek), c1)

    c2 = _approve(session, staff, f.make_need(session, kampung=melati, cost_rp=8_000_000), big, 8_000_000,
                  datetime(2026, 6, 1, 2, 0))
    services.confirm_collaboration(session, partner, c2)
    services.report_progress(session, partner, c2, 40, "Separuh jalan.", 3_000_000)

    c3 = _approve(session, staff, f.make_need(session, kampung=anggrek, cost_rp=5_000_000), big, 5_000_000,
                  datetime(2025, 12, 31, 17, 0))
    services.decline_collaboration(session, partner, c3, "Anggaran dialihkan.")

    c4 = _approve(session, staff, f.make_need(session, kampung=mawar, cost_rp=4_000_000), big, 4_000_000,
                  datetime(2025, 12, 31, 16, 59))
    services.confirm_collaboration(session, partner, c4)
    services.report_progress(session, partner, c4, 20, "Mulai.", 1_000_000)
    services.cancel_collaboration(session, staff, c4, "Lahan bersengketa.")

    other = f.make_organisation(session, "Universitas Contoh", "kampus")
    _approve(session, staff, f.make_need(session, kampung=melati, cost_rp=7_000_000),
             f.make_offer(session, organisation=other), 7_000_000, datetime(2026, 4, 1))
    session.flush()
    return {"org": org, "other": other, "big": big, "small": small, "c": (c1, c2, c3, c4)}


def test_totals_over_all_time_count_each_status_by_the_counted_rule(session, bank):
    totals = totals_of(session, bank["org"].id)

    assert totals.committed_rp == 10_000_000 + 8_000_000 + 0 + 1_000_000
    assert totals.realised_rp == 9_500_000 + 3_000_000 + 1_000_000
    assert totals.realisation_percent == pytest.approx(100 * 13_500_000 / 19_000_000)
    assert totals.by_status == {"completed": 1, "in_progress": 1, "declined": 1, "cancelled": 1}
    assert totals.collaborations == 4
    assert (totals.kampung_reached, totals.kelurahan_reached) == (3, 2)  # Anggrek, Melati, Mawar; declined c3 not
    assert totals.beneficiaries_reached == 12


def test_year_filter_uses_the_approval_day_in_wib(session, bank):
    in_2026 = totals_of(session, bank["org"].id, Period(2026))
    in_2025 = totals_of(session, bank["org"].id, Period(2025))

    assert in_2026.by_status == {"completed": 1, "in_progress": 1, "declined": 1}  # c3 at 00.00 WIB 1 Jan
    assert (in_2026.committed_rp, in_2026.realised_rp) == (18_000_000, 12_500_000)
    assert (in_2026.kampung_reached, in_2026.kelurahan_reached, in_2026.beneficiaries_reached) == (2, 2, 12)
    assert in_2025.by_status == {"cancelled": 1}  # c4 at 23.59 WIB 31 Dec
    assert (in_2025.committed_rp, in_2025.realised_rp, in_2025.realisation_percent) == (1_000_000, 1_000_000, 100)
    assert totals_of(session, bank["org"].id, Period(2024)).realisation_percent is None


def test_collaboration_rows_are_the_organisations_own_newest_first_with_place_and_category(session, bank):
    c1, c2, c3, c4 = bank["c"]
    rows = collaborations_of(session, bank["org"].id)

    assert [r.id for r in rows] == [c2.id, c1.id, c3.id, c4.id]
    first = rows[0]
    assert (first.kelurahan, first.kemantren, first.kampung) == ("Pringgokusuman", "Gedongtengen", "Melati")
    assert (first.category("id"), first.category("en")) == ("Sanitasi & air bersih", "Sanitation & clean water")
    assert (first.counted_rp, first.realised_rp, first.progress_percent, first.status) == (
        8_000_000, 3_000_000, 40, "in_progress")
    by_id = {r.id: r for r in rows}
    assert by_id[c3.id].counted_rp == 0 and by_id[c3.id].amount_rp == 5_000_000
    assert by_id[c4.id].counted_rp == 1_000_000
    assert by_id[c1.id].completed_at is not None and by_id[c1.id].beneficiaries_reached == 12
    assert sum(r.counted_rp for r in rows) == totals_of(session, bank["org"].id).committed_rp


def test_offers_show_capacity_committed_and_remaining_from_the_collaborations(session, bank):
    offers = {o.title: o for o in offers_of(session, bank["org"].id)}

    assert (offers["CSR kampung sehat"].committed_rp, offers["CSR kampung sehat"].remaining_rp) == (
        19_000_000, 31_000_000)
    assert (offers["Beasiswa"].committed_rp, offers["Beasiswa"].remaining_rp) == (0, 10_000_000)


def test_report_of_another_organisation_holds_only_its_own_collaboration(session, bank):
    report = partner_report(session, bank["other"])

    assert len(report.collaborations) == 1
    assert report.totals.committed_rp == 7_000_000


def test_organisation_list_sums_each_organisation_largest_first(session, bank):
    summaries = organisation_summaries(session)
    names = [s.name for s in summaries]

    assert names.index("PT Bank Jogja") < names.index("Universitas Contoh")
    bank_row = next(s for s in summaries if s.name == "PT Bank Jogja")
    assert (bank_row.collaborations, bank_row.committed_rp, bank_row.realised_rp) == (4, 19_000_000, 13_500_000)
    in_2025 = {s.name: s for s in organisation_summaries(session, Period(2025))}
    assert (in_2025["PT Bank Jogja"].collaborations, in_2025["Universitas Contoh"].collaborations) == (1, 0)
