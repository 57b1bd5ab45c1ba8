"""/review shows the engine's next-best offers and why they lost; staff switch to one after a confirm step."""
from sqlalchemy import select

from gandeng.collaborations.models import Commitment
from gandeng.proposals.models import Proposal, ProposalStatus
from tests import factories as f
from tests.conftest import login


def _lost(code, **params):
    return {"code": code, "params": params, "negative": True}


def _world(session):
    staff = f.make_staff(session)
    run = f.make_run(session, started_by=staff)
    need = f.make_need(session, title="Kakus ambrol RT 02", cost_rp=10_000_000)
    chosen = f.make_offer(session, title="Jamban sehat Bank Jogja", capacity_rp=50_000_000)
    other = f.make_offer(session, title="Sanitasi layak rumah tangga", capacity_rp=30_000_000)
    small = f.make_offer(session, title="Dana kecil sanitasi", capacity_rp=2_000_000)
    alternatives = [
        {"offer_id": other.id, "score": 0.61, "breakdown": {"text": 0.6, "kind": 1.0},
         "reasons": [{"code": "keywords", "params": {"words": ["jamban"]}, "negative": False}],
         "lost": [_lost("lower_score", score=0.61, best=0.8)]},
        {"offer_id": small.id, "score": 0.5, "breakdown": {}, "reasons": [],
         "lost": [_lost("offer_used_up")]},
    ]
    proposal = f.proposal_for(session, need, chosen, run_id=run.id, score=0.8, alternatives=alternatives,
                              reasons=[{"code": "severity", "params": {"words": ["ambrol"]}, "negative": False}])
    session.commit()
    return staff, need, chosen, other, small, proposal


def test_review_shows_next_best_offers_with_scores_and_why_they_lost(client, session):
    staff, need, _, other, small, _ = _world(session)
    login(client, staff)
    page = client.get("/review").text
    card = page[page.index(f'id="kebutuhan-{need.id}"'):]
    assert "Penawaran lain yang juga cocok" in card and "kondisi: ambrol" in card
    block = card[card.index(f'id="alternatif-{need.id}-{other.id}"'):]
    # Scores in the Indonesian way, as on the main proposal (review walk: "Skor 0.63" next to "Skor 0,93").
    assert "Sanitasi layak rumah tangga" in block and "0,61" in block and "0.61" not in block
    assert "skor lebih rendah (0,61 dibanding 0,80)" in block
    assert "Setujui penawaran ini sebagai ganti (Rp10.000.000)" in block
    small_block = card[card.index(f'id="alternatif-{need.id}-{small.id}"'):]
    assert "Sisa penawaran ini tidak cukup untuk Rp10.000.000." in small_block


def test_english_reader_sees_alternative_scores_with_a_decimal_point(client, session):
    staff, need, _, other, _, _ = _world(session)
    login(client, staff)
    client.get("/bahasa/en")
    page = client.get("/review").text
    block = page[page.index(f'id="alternatif-{need.id}-{other.id}"'):]
    assert "0.61" in block and "0,61" not in block


def test_switching_asks_to_confirm_first_naming_partner_need_and_the_replaced_offer(client, session):
    staff, need, chosen, other, _, proposal = _world(session)
    login(client, staff)
    page = client.get("/review").text
    block = page[page.index(f'id="alternatif-{need.id}-{other.id}"'):]
    confirm_url = f"/review/proposals/{proposal.id}/switch/{other.id}"
    # The button opens the confirm step; it does not post.
    assert f'href="{confirm_url}"' in block and f'action="{confirm_url}"' not in block
    for headers in ({}, {"HX-Request": "true"}):
        step = client.get(confirm_url, headers=headers).text
        assert "Setujui penawaran ini sebagai ganti?" in step
        assert "Sanitasi layak rumah tangga" in step and "Kakus ambrol RT 02" in step
        assert "Jamban sehat Bank Jogja" in step  # the offer it replaces
        assert f'action="{confirm_url}"' in step and "Ya, setujui sebagai ganti (Rp10.000.000)" in step
    assert client.get(confirm_url + "?batal=1", headers={"HX-Request": "true"}).text == ""
    # Looking at the step changed nothing.
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.PROPOSED
    assert session.scalars(select(Commitment)).all() == []


def test_the_confirm_step_refuses_an_offer_that_is_not_an_alternative(client, session):
    staff, need, chosen, other, _, proposal = _world(session)
    stranger = f.make_offer(session, title="Penawaran asing")
    session.commit()
    login(client, staff)
    answer = client.get(f"/review/proposals/{proposal.id}/switch/{stranger.id}", follow_redirects=True)
    assert "bukan alternatif" in answer.text and "Ya, setujui sebagai ganti" not in answer.text


def test_switching_approves_the_alternative_with_the_engines_reasons(client, session):
    staff, need, chosen, other, _, proposal = _world(session)
    login(client, staff)
    answer = client.post(f"/review/proposals/{proposal.id}/switch/{other.id}", follow_redirects=True)
    # The message names the partner chosen, the need and the partner replaced.
    assert "Alternatif disetujui untuk" in answer.text
    message = answer.text[answer.text.index("Alternatif disetujui untuk"):][:500]
    assert "Sanitasi layak rumah tangga" in message and "Kakus ambrol RT 02" in message
    assert "Jamban sehat Bank Jogja" in message  # the offer it replaced
    assert other.organisation.name in message and chosen.organisation.name in message
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.SUPERSEDED
    switched = session.scalars(select(Proposal).where(Proposal.offer_id == other.id)).one()
    assert switched.status == ProposalStatus.APPROVED and switched.amount_rp == 10_000_000
    assert [r["code"] for r in switched.reasons] == ["keywords", "switched"]
    [commitment] = session.scalars(select(Commitment)).all()
    assert (commitment.offer_id, commitment.proposal_id) == (other.id, switched.id)


def test_switching_to_an_offer_that_is_not_an_alternative_changes_nothing(client, session):
    staff, need, chosen, other, _, proposal = _world(session)
    stranger = f.make_offer(session, title="Penawaran lain")
    session.commit()
    login(client, staff)
    answer = client.post(f"/review/proposals/{proposal.id}/switch/{stranger.id}", follow_redirects=True)
    assert "bukan alternatif" in answer.text
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.PROPOSED
    assert session.scalars(select(Commitment)).all() == []


def test_an_alternative_without_room_left_is_refused_and_nothing_changes(client, session):
    staff, need, chosen, _, small, proposal = _world(session)
    login(client, staff)
    answer = client.post(f"/review/proposals/{proposal.id}/switch/{small.id}", follow_redirects=True)
    assert "tidak dapat disetujui" in answer.text
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.PROPOSED
    assert session.scalars(select(Commitment)).all() == []


def test_only_staff_may_switch(client, session):
    _, need, chosen, other, _, proposal = _world(session)
    partner = f.make_partner(session, organisation=other.organisation)
    session.commit()
    login(client, partner)
    assert client.post(f"/review/proposals/{proposal.id}/switch/{other.id}").status_code == 403


def test_run_page_reports_gini_and_kemantren_shares(client, session):
    staff = f.make_staff(session)
    run = f.make_run(session, started_by=staff, counts={
        "needs": 2, "offers": 1, "proposals": 2, "objective": 1.5e7,
        "fairness": {"gini_rp_per_kms": 0.31, "fairness_weight": 0.02,
                     "kemantren_share": {"34.71.01": 0.75, "34.71.02": 0.25},
                     "kemantren_share_by_category": {"sanitation": {"34.71.01": 0.75, "34.71.02": 0.25}}}})
    session.commit()
    login(client, staff)
    page = client.get(f"/matching/runs/{run.id}").text
    # Indonesian numbers (review walk: "0.64", "2.45e+08", "48.2%" next to weights written "0,15").
    assert "Gini Rp per KK pemegang KMS" in page and "0,31" in page and "0.31" not in page
    assert "0,02" in page and "Total skor usulan: 15.000.000." in page and "e+0" not in page
    assert "75%" in page and "75.0%" not in page and "Tegalrejo" in page
    # Plain words first; the technical figures are folded (phone walk).
    summary = page[page.index("run-fairness-summary"):page.index("run-fairness-details")]
    assert "Dana usulan pencocokan ini sampai ke 2 kemantren." in summary
    assert "Paling banyak ke Tegalrejo: 75% dari seluruh dana usulan." in summary and "Gini" not in summary
    assert '<details class="mb-2 run-fairness-details">' in page  # closed by default
    assert "75% dana kategori Sanitasi" in page
