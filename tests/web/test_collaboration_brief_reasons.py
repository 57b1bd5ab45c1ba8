"""A partner and a coordinator read why the matcher proposed a collaboration as sentences in their
language, as staff do on /review, and never the KMS share (walk of 6 December: they saw the stored
reason codes as raw Python dictionaries)."""
from gandeng.collaborations import services
from tests import factories as f
from tests.conftest import login

STORED = [
    {"code": "severity", "params": {"words": ["tersumbat", "meluap"]}, "negative": False},
    {"code": "keywords", "params": {"words": ["limbah", "saluran"]}, "negative": False},
    {"code": "kms_share", "params": {"percent": 75}, "negative": False},
]


def test_the_partner_and_the_coordinator_read_the_matcher_reasons_as_sentences(session, client):
    need, offer = f.make_need(session), f.make_offer(session)
    staff = f.make_staff(session)
    commitment = services.approve_proposal(session, staff, f.proposal_for(session, need, offer, reasons=STORED))
    partner = f.make_partner(session, organisation=offer.organisation)
    coordinator = f.make_coordinator(session, kampung=need.kampung)
    session.commit()
    for user in (partner, coordinator):
        login(client, user)
        page = client.get(f"/collaborations/{commitment.id}").text
        brief = page[page.index("collab-brief-reasons"):]
        brief = brief[:brief.index("</ul>")]
        assert "limbah" in brief and "tersumbat" in brief
        assert "{" not in brief and "code" not in brief and "negative" not in brief
        assert "KMS" not in brief and "75" not in brief
        client.post("/logout")


def test_the_partner_reads_what_the_kampung_asks_before_agreeing(session, client):
    need = f.make_need(session, description="Saluran limbah RT 03 tersumbat dan meluap ke rumah warga.")
    offer = f.make_offer(session)
    commitment = services.approve_proposal(session, f.make_staff(session), f.proposal_for(session, need, offer))
    partner = f.make_partner(session, organisation=offer.organisation)
    session.commit()
    login(client, partner)
    page = client.get(f"/collaborations/{commitment.id}").text
    assert "Saluran limbah RT 03 tersumbat dan meluap ke rumah warga." in page
    assert f'href="/needs/{need.id}"' in page
    assert client.get(f"/needs/{need.id}").status_code == 200  # the link leads to a page the partner may read


def test_the_need_page_says_how_much_still_waits_for_the_partner(session, client):
    """Phone walk: "Disanggupi Rp1.500.000 · Sisa Rp0" while the partner had not answered yet."""
    need = f.make_need(session, status="verified", cost_rp=10_000_000)
    offer = f.make_offer(session)
    commitment = services.approve_proposal(session, f.make_staff(session),
                                           f.proposal_for(session, need, offer, 4_000_000))
    session.commit()
    page = client.get(f"/needs/{need.id}").text
    assert "Rp4.000.000 di antaranya menunggu konfirmasi mitra" in page
    services.confirm_collaboration(session, f.make_partner(session, organisation=offer.organisation), commitment)
    session.commit()
    assert "menunggu konfirmasi mitra" not in client.get(f"/needs/{need.id}").text
