"""The review queue pages 20 needs a page and a decision brings the staff back to the page it was
made on (issue 12, point 6: paging and position only)."""
import re

from tests import factories as f
from tests.conftest import login


def _needs_with_proposals(session, n):
    offer = f.make_offer(session, capacity_rp=900_000_000)
    needs = []
    for i in range(n):
        need = f.make_need(session, title=f"Talud {i:02d}", cost_rp=1_000_000)
        f.proposal_for(session, need, offer, score=round(0.99 - i / 100, 2))
        needs.append(need)
    session.commit()
    return needs


def _next_link(html):
    return re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")


def test_the_queue_shows_20_needs_a_page_and_the_next_page_by_cursor(client, session):
    needs = _needs_with_proposals(session, 45)
    login(client, f.make_staff(session))
    first = client.get("/review").text
    assert first.count('class="card mb-3 review-need"') == 20
    assert "Halaman 1 dari 3" in first
    second = client.get(_next_link(first)).text
    assert "Halaman 2 dari 3" in second
    assert f'id="kebutuhan-{needs[20].id}"' in second and f'id="kebutuhan-{needs[19].id}"' not in second


def test_a_bulk_decision_returns_to_the_same_page_at_the_queue(client, session):
    needs = _needs_with_proposals(session, 45)
    login(client, f.make_staff(session))
    page_two = _next_link(client.get("/review?q=talud").text)
    html = client.get(page_two).text
    back = re.search(r'name="back" value="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert back == page_two
    proposal_id = re.search(r'name="proposal_ids" value="(\d+)"', html).group(1)
    answer = client.post("/review/approve-selected", data={"proposal_ids": [proposal_id], "back": back})
    assert answer.status_code == 302
    assert answer.headers["Location"] == page_two + "#antrean"
    again = client.get(page_two).text
    assert "Halaman 2 dari" in again and f'id="kebutuhan-{needs[21].id}"' in again


def test_a_reject_returns_to_the_page_it_was_sent_from_at_the_need(client, session):
    needs = _needs_with_proposals(session, 25)
    login(client, f.make_staff(session))
    page_two = _next_link(client.get("/review").text)
    proposal = needs[22]
    from gandeng.proposals.models import Proposal
    from sqlalchemy import select

    proposal_id = session.scalar(select(Proposal.id).where(Proposal.need_id == proposal.id))
    answer = client.post(f"/review/proposals/{proposal_id}/reject", data={"reason": "Bukan prioritas."},
                         headers={"Referer": f"http://localhost{page_two}"})
    assert answer.headers["Location"] == f"{page_two}#kebutuhan-{proposal.id}"


def test_a_back_address_outside_the_queue_is_ignored(client, session):
    _needs_with_proposals(session, 1)
    login(client, f.make_staff(session))
    for back in ("https://evil.example/review", "//evil.example/review", "/needs", "/review\\@evil"):
        answer = client.post("/review/approve-selected", data={"back": back})
        assert answer.headers["Location"] == "/review", back
