"""Expected statuses for the matching runs, the review queue and the suggestions on the need form."""
from gandeng.db import utcnow
from gandeng.proposals.models import MatchingRun, Proposal, RunStatus
from tests.web.routes import Route, expect


def extend_world(session, world):
    """A finished run with one open proposal: the verified need from the active offer (ids `run`, `proposal`)."""
    staff = world["users"]["staff"]
    need, offer = world["need_verified"], world["offer_active"]
    run = MatchingRun(started_by_id=staff.id, status=RunStatus.DONE, progress=100, stage="done",
                      counts={"needs": 1, "offers": 1, "candidates": 1, "proposals": 1},
                      proposed_rp=need.cost_rp, unmatched=[], duration_s=0.1, finished_at=utcnow())
    session.add(run)
    session.flush()
    proposal = Proposal(run_id=run.id, need_id=need.id, offer_id=offer.id, amount_rp=need.cost_rp, score=0.8,
                        breakdown={"text": 0.7, "category": 1.0, "geography": 0.5, "urgency": 0.6, "poverty": 0.4},
                        reasons=["kategori sama: Sanitasi"])
    session.add(proposal)
    session.flush()
    world["run"], world["proposal"] = run, proposal
    world["ids"]["run"], world["ids"]["proposal"] = run.id, proposal.id


STAFF_ONLY = expect(403, anon=302, staff=200, admin=200)
STAFF_ACTS = expect(403, anon=302, staff=302, admin=302)
SUGGEST = "/needs/suggest?category=sanitation&title=Kakus+dan+septictank&description=Kakus+warga&kelurahan=34.71.01.1001"

ROUTES = [
    Route("GET", "/matching", "/matching", STAFF_ONLY),
    Route("POST", "/matching/runs", "/matching/runs", STAFF_ACTS, note="runs in-process without REDIS_URL"),
    Route("GET", "/matching/runs/<int:run_id>", "/matching/runs/{run}", STAFF_ONLY),
    Route("GET", "/matching/runs/<int:run_id>", "/matching/runs/999999", expect(403, anon=302, staff=404, admin=404),
          note="missing"),
    Route("GET", "/matching/runs/<int:run_id>/status", "/matching/runs/{run}/status", STAFF_ONLY),
    Route("GET", "/review", "/review", STAFF_ONLY),
    Route("GET", "/review", "/review?category=sanitation&kemantren=34.71.01&page=2", STAFF_ONLY, note="filtered"),
    Route("GET", "/review/proposals/<int:proposal_id>/approve", "/review/proposals/{proposal}/approve", STAFF_ONLY,
          note="the confirm step before approving"),
    Route("POST", "/review/proposals/<int:proposal_id>/reject", "/review/proposals/{proposal}/reject", STAFF_ACTS,
          data={"reason": "Sudah dibantu Baznas."}),
    Route("POST", "/review/proposals/<int:proposal_id>/reject", "/review/proposals/{proposal}/reject",
          expect(403, anon=302, staff=422, admin=422), note="without a reason"),
    Route("POST", "/review/approve-selected", "/review/approve-selected", STAFF_ACTS,
          data={"proposal_ids": "{proposal}"}),
    Route("POST", "/review/proposals/<int:proposal_id>/switch/<int:offer_id>",
          "/review/proposals/{proposal}/switch/999999", STAFF_ACTS, note="not one of its alternatives"),
    Route("GET", "/review/proposals/<int:proposal_id>/switch/<int:offer_id>",
          "/review/proposals/{proposal}/switch/999999", STAFF_ACTS,
          note="the confirm step before switching; not one of its alternatives: back to the queue"),
    Route("GET", "/needs/suggest", SUGGEST,
          expect(200, anon=302, partner=403, other_partner=403, office=403, group=403)),
]
