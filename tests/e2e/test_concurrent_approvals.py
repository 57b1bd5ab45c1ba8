"""Many staff approving at the same moment through a real, threaded HTTP server: an offer is never
committed past its capacity, its running total equals the sum of its commitments, a proposal
approved twice commits once, and the refused ones get 409 and are marked stale (through the API).
Runs on SQLite (a file, WAL) and, when TEST_DATABASE_URL is set, on PostgreSQL."""
import http.client
import json
import threading
import time

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from gandeng.collaborations.models import Commitment
from gandeng.collaborations.queries import committed_by_offer, running_totals_agree
from gandeng.db import db
from gandeng.formatting import rupiah
from gandeng.offers.models import Offer, OfferStatus
from gandeng.proposals.models import Proposal, ProposalStatus
from tests import factories as f
from tests.api.helpers import token_for

pytestmark = pytest.mark.slow

AMOUNT = 1_000_000
SLOTS = 10            # the offer can take this many proposals
PROPOSALS = 25        # distinct proposals, one per need
DUPLICATED = 7        # the first proposals are also sent a second time, at the same moment


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # 32 access-log lines per run say nothing
        pass


@pytest.fixture
def server(app):
    """The app served on 127.0.0.1 by werkzeug's threaded server (one thread per request)."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=10)


def _approve(port, token, proposal_id) -> tuple[int, dict]:
    """An approval through the API (the web route answers pages only): (status, JSON body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", f"/api/v1/proposals/{proposal_id}/approve", body=b"",
                       headers={"Authorization": f"Bearer {token}", "Content-Length": "0"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert body[:1] in (b"", b"{"), (response.status, body[:300])
    return response.status, json.loads(body or b"{}")


def test_concurrent_approvals_never_over_commit_an_offer(app, server):
    session = db.session
    staff = f.make_staff(session)
    offer = f.make_offer(session, capacity_rp=SLOTS * AMOUNT, title="CSR rebutan")
    kampung = f.make_kampung(session)
    proposals = [
        f.proposal_for(session, f.make_need(session, kampung=kampung, cost_rp=AMOUNT, title=f"Kebutuhan {i}"),
                       offer, AMOUNT)
        for i in range(PROPOSALS)
    ]
    session.commit()
    token = token_for(session, staff)
    targets = [p.id for p in proposals] + [p.id for p in proposals[:DUPLICATED]]
    barrier = threading.Barrier(len(targets))
    results: list[tuple[int, int, dict]] = []
    lock = threading.Lock()

    def fire(proposal_id):
        barrier.wait()
        status, body = _approve(server, token, proposal_id)
        with lock:
            results.append((proposal_id, status, body))

    started = time.perf_counter()
    threads = [threading.Thread(target=fire, args=(pid,)) for pid in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    session.expire_all()
    offer = session.get(Offer, offer.id)
    commitments = session.scalars(select(Commitment).where(Commitment.offer_id == offer.id)).all()
    statuses = {p.id: p.status for p in session.scalars(select(Proposal))}
    accepted = [r for r in results if r[1] == 200]
    refused = [r for r in results if r[1] == 409]
    summed = sum(c.amount_rp for c in commitments)
    print(
        f"\n[{db.engine.dialect.name}] approvals fired: {len(results)} ({PROPOSALS} proposals, "
        f"{DUPLICATED} of them sent twice) in {elapsed:.2f} s; accepted (200): {len(accepted)} "
        f"for {len({r[0] for r in accepted})} proposals; refused (409): {len(refused)}; "
        f"commitments: {len(commitments)}; committed {rupiah(offer.committed_rp)} of capacity "
        f"{rupiah(offer.capacity_rp)} (sum of commitments {rupiah(summed)})"
    )

    assert len(results) == len(targets)
    assert {status for _, status, _ in results} <= {200, 409}, results
    # Never past capacity; the stored running total is the sum of the commitments.
    assert offer.committed_rp <= offer.capacity_rp
    assert offer.committed_rp == summed == committed_by_offer(session, [offer.id])[offer.id]
    assert running_totals_agree(session) == []
    # Every slot was taken (demand exceeded capacity), each by exactly one proposal.
    assert len(commitments) == SLOTS and offer.status == OfferStatus.FULLY_COMMITTED
    assert sorted(c.proposal_id for c in commitments) == sorted({r[0] for r in accepted})
    # Duplicates committed once: both answers name the same commitment, or both were refused.
    for proposal in proposals[:DUPLICATED]:
        answers = [(status, body.get("id")) for pid, status, body in results if pid == proposal.id]
        assert len(answers) == 2 and len(set(answers)) == 1, answers
    # Refused ones are told why and marked stale; accepted ones are approved.
    for pid, status, body in results:
        if status == 409:
            assert body["error"]["code"] == "stale_proposal" and body["error"]["message"]
            assert statuses[pid] == ProposalStatus.STALE
        else:
            assert statuses[pid] == ProposalStatus.APPROVED
