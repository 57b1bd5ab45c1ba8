"""The staff's review queue: grouped by need, bars, reasons, alternatives; reject; approve several."""
import re

from sqlalchemy import event, select

from gandeng.collaborations.models import Commitment
from gandeng.db import db
from gandeng.proposals.models import Proposal, ProposalStatus
from tests import factories as f
from tests.conftest import login


def _queue(session):
    """Need A with two proposals (0.8 and 0.6), need B with one (0.9)."""
    staff = f.make_staff(session)
    run = f.make_run(session, started_by=staff)
    need_a = f.make_need(session, title="Jamban RT 03", cost_rp=10_000_000)
    need_b = f.make_need(session, title="Septictank RT 05", cost_rp=8_000_000)
    offer_1 = f.make_offer(session, title="CSR jamban sehat Bank Jogja", capacity_rp=50_000_000)
    offer_2 = f.make_offer(session, title="Program sanitasi kampus", capacity_rp=30_000_000)
    p_a1 = f.proposal_for(session, need_a, offer_1, run_id=run.id, score=0.8,
                          breakdown={"text": 0.7, "category": 1.0, "geography": 0.55, "urgency": 0.6, "poverty": 0.42},
                          reasons=["kata kunci cocok: jamban, tangki septik", "kategori sama: Sanitasi"])
    p_a2 = f.proposal_for(session, need_a, offer_2, run_id=run.id, score=0.6, reasons=["satu kemantren (Tegalrejo)"])
    p_b = f.proposal_for(session, need_b, offer_2, run_id=run.id, score=0.9, reasons=["urgensi tinggi"])
    session.commit()
    return staff, dict(need_a=need_a, need_b=need_b, offer_1=offer_1, offer_2=offer_2, p_a1=p_a1, p_a2=p_a2, p_b=p_b)


def test_review_groups_by_need_best_group_first_with_alternatives(client, session):
    staff, w = _queue(session)
    login(client, staff)
    page = client.get("/review").text
    # Need B (best score 0.9) comes before need A (best 0.8).
    assert page.index("Septictank RT 05") < page.index("Jamban RT 03")
    section_a = page[page.index(f'id="kebutuhan-{w["need_a"].id}"'):]
    assert section_a.index(f'id="usulan-{w["p_a1"].id}"') < section_a.index("Alternatif untuk kebutuhan yang sama")
    assert section_a.index("Alternatif untuk kebutuhan yang sama") < section_a.index(f'id="usulan-{w["p_a2"].id}"')
    assert "3 usulan terbuka untuk 2 kebutuhan" in page


def test_review_shows_need_facts_offer_organisation_bars_and_reasons(client, session):
    staff, w = _queue(session)
    f.make_attachment(session, w["need_a"], f.png_bytes(), "rumah.png")
    session.commit()
    login(client, staff)
    page = client.get("/review").text
    assert "Rp10.000.000" in page and w["need_a"].kampung.name in page and "Kricak" in page
    assert "Urgensi" in page and "CSR jamban sehat Bank Jogja" in page
    assert w["offer_1"].organisation.name in page
    # Score parts as bars: width classes (no style attributes), text 0.7 -> 70%, poverty 0.42 -> 40%.
    item = page[page.index(f'id="usulan-{w["p_a1"].id}"'):]
    assert 'class="progress-bar score-part-text gg-w-70"' in item
    assert 'class="progress-bar score-part-poverty gg-w-40"' in item
    assert "kata kunci cocok: jamban, tangki septik" in item
    # On a phone the bars fold under "Rincian skor" (the reasons stay open); from tablet width they show.
    folded = item[item.index('<details class="col-12 d-md-none score-details">'):item.index("</details>")]
    assert "Rincian skor (7 bagian)" in folded and "score-part-text gg-w-70" in folded
    assert 'class="col-md-6 d-none d-md-block">' in item
    assert "style=" not in page
    assert re.search(rf'/needs/{w["need_a"].id}/attachments/\d+', page)


def test_review_offers_approve_reject_and_bulk_forms(client, session):
    staff, w = _queue(session)
    login(client, staff)
    page = client.get("/review").text
    pid = w["p_a1"].id
    # Approving asks first: the button opens the confirm step (in place with htmx, a page without).
    assert f'href="/review/proposals/{pid}/approve" hx-get="/review/proposals/{pid}/approve"' in page
    assert f'action="/review/proposals/{pid}/reject"' in page
    assert f'name="proposal_ids" value="{pid}"' in page and 'form="approve-selected"' in page
    assert 'action="/review/approve-selected"' in page
    assert 'href="/review/manual"' in page


def test_review_page_queries_do_not_grow_with_the_rows(client, session):
    staff, w = _queue(session)
    login(client, staff)

    def count_queries():
        session.expire_all()  # both counts start from the same (empty) identity map
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/review").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    few = count_queries()
    for n in range(6):
        need = f.make_need(session, title=f"Jamban tambahan {n}", cost_rp=1_000_000)
        f.make_attachment(session, need, f.png_bytes(), "foto.png")
        f.proposal_for(session, need, w["offer_1"], score=0.5)
        f.proposal_for(session, need, f.make_offer(session), score=0.4)
    session.commit()
    assert count_queries() == few


def test_review_filters_by_category(client, session):
    staff, w = _queue(session)
    other = f.make_need(session, title="Bimbel anak SD", category_code="education", cost_rp=3_000_000)
    f.proposal_for(session, other, w["offer_2"], score=0.95)
    session.commit()
    login(client, staff)
    page = client.get("/review?category=education").text
    assert "Bimbel anak SD" in page and "Jamban RT 03" not in page


def test_coordinator_and_partner_cannot_open_the_review_queue(client, session):
    _queue(session)
    for user in (f.make_coordinator(session), f.make_partner(session)):
        session.commit()
        login(client, user)
        assert client.get("/review").status_code == 403
        client.post("/logout")


def test_reject_requires_a_reason(client, session):
    staff, w = _queue(session)
    login(client, staff)
    response = client.post(f"/review/proposals/{w['p_a1'].id}/reject", data={"reason": "  "})
    assert response.status_code == 422
    assert "Tulis alasan penolakan." in response.text
    session.expire_all()
    assert session.get(Proposal, w["p_a1"].id).status == ProposalStatus.PROPOSED


def test_reject_with_a_reason_marks_the_proposal_rejected(client, session):
    staff, w = _queue(session)
    login(client, staff)
    response = client.post(f"/review/proposals/{w['p_a1'].id}/reject", data={"reason": "Sudah dibantu Baznas."},
                           follow_redirects=True)
    assert "tidak akan diusulkan lagi" in response.text
    session.expire_all()
    proposal = session.get(Proposal, w["p_a1"].id)
    assert (proposal.status, proposal.reason, proposal.decided_by_id) == (ProposalStatus.REJECTED,
                                                                            "Sudah dibantu Baznas.", staff.id)
    assert f'id="usulan-{proposal.id}"' not in response.text


def test_approve_selected_approves_each_and_reports_the_stale_one(client, session):
    staff = f.make_staff(session)
    need_1 = f.make_need(session, title="Jamban A", cost_rp=15_000_000)
    need_2 = f.make_need(session, title="Jamban B", cost_rp=15_000_000)
    need_3 = f.make_need(session, title="Jamban C", cost_rp=5_000_000)
    small = f.make_offer(session, capacity_rp=20_000_000)
    p1 = f.proposal_for(session, need_1, small)
    p2 = f.proposal_for(session, need_2, small)  # does not fit once p1 is approved
    p3 = f.proposal_for(session, need_3, small)
    session.commit()
    login(client, staff)
    response = client.post("/review/approve-selected",
                           data={"proposal_ids": [str(p1.id), str(p2.id), str(p3.id)]}, follow_redirects=True)
    assert "2 usulan disetujui." in response.text
    assert f"Usulan #{p2.id} tidak lagi sesuai" in response.text
    session.expire_all()
    statuses = {p.id: p.status for p in session.scalars(select(Proposal))}
    assert statuses == {p1.id: ProposalStatus.APPROVED, p2.id: ProposalStatus.STALE, p3.id: ProposalStatus.APPROVED}
    assert sorted(c.amount_rp for c in session.scalars(select(Commitment))) == [5_000_000, 15_000_000]


def test_approve_selected_without_a_choice_says_so(client, session):
    staff, _w = _queue(session)
    login(client, staff)
    response = client.post("/review/approve-selected", data={}, follow_redirects=True)
    assert "Centang dulu usulan" in response.text
    assert session.scalar(select(Commitment)) is None


def test_an_htmx_approval_updates_the_count_at_the_top_for_the_page_s_own_filter(client, session):
    """Phone walk: after approving in place, the top still said "17 usulan terbuka" until a reload."""
    staff, w = _queue(session)
    login(client, staff)
    assert 'id="antrean-jumlah">3 usulan terbuka untuk 2 kebutuhan.<' in client.get("/review").text
    answer = client.post(f"/review/proposals/{w['p_b'].id}/approve",
                         headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/review"}).text
    assert 'id="antrean-jumlah" hx-swap-oob="true">2 usulan terbuka untuk 1 kebutuhan.<' in answer
    # On a page searched for the offer just approved (an unknown category is ignored), the count is that page's.
    answer = client.post(f"/review/proposals/{w['p_a1'].id}/approve",
                         headers={"HX-Request": "true",
                                  "HX-Current-URL": "http://localhost/review?q=Bank+Jogja&category=nonsense"}).text
    assert 'hx-swap-oob="true">0 usulan terbuka untuk 0 kebutuhan.<' in answer
