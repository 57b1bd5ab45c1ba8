"""A run's proposals stored in bulk (gandeng/proposals/storing.py: COPY on PostgreSQL) keep every
value, a need's alternatives on each of its proposals among them (encoded once per need)."""
from datetime import datetime

from sqlalchemy import select

from gandeng.proposals import storing
from gandeng.proposals.models import Proposal
from tests import factories as f


def test_each_proposal_keeps_its_own_need_s_alternatives(session):
    first, second = f.make_need(session, title="Jamban RT 01"), f.make_need(session, title="Jamban RT 02")
    offers = [f.make_offer(session, title=f"Dana {n}") for n in range(3)]
    shared = [{"offer_id": offers[2].id, "score": 0.4, "breakdown": {"text": 0.1}, "reasons": [], "lost": []}]
    own = [{"offer_id": offers[0].id, "score": 0.3, "breakdown": {}, "reasons": [{"code": "x"}], "lost": []}]
    rows = [
        (None, first.id, offers[0].id, 1_000_000, 0.9, {"text": 0.5}, [{"code": "kategori"}], "proposed", "",
         datetime(2026, 12, 6, 10), shared),
        (None, first.id, offers[1].id, 500_000, 0.8, {"text": 0.4}, [], "proposed", "", datetime(2026, 12, 6, 10),
         shared),
        (None, second.id, offers[1].id, 700_000, 0.7, {"text": 0.3}, [], "proposed", "", datetime(2026, 12, 6, 10),
         own),
    ]
    storing.insert_proposals(session, rows)
    session.expire_all()
    stored = {(p.need_id, p.offer_id): p for p in session.scalars(select(Proposal))}
    assert stored[(first.id, offers[0].id)].alternatives == shared
    assert stored[(first.id, offers[1].id)].alternatives == shared
    assert stored[(second.id, offers[1].id)].alternatives == own
    assert stored[(first.id, offers[0].id)].reasons == [{"code": "kategori"}]
    assert stored[(second.id, offers[1].id)].amount_rp == 700_000
