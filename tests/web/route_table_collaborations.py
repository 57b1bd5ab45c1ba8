"""Expected statuses for the collaboration pages, the approval endpoint and matching by hand."""
from gandeng.collaborations import services
from gandeng.needs.models import NeedStatus
from tests import factories as f
from tests.web.routes import Route, expect


def extend_world(session, world):
    """Collaborations between the world's kampung and organisation, all on the active offer:
    `collaboration` (awaiting the partner, for the verified need), `collaboration_active` (in progress,
    with a progress photo `progress_photo`), `collaboration_reported` (completion reported), and an
    open proposal `collab_proposal` for a fresh verified need."""
    users, kampung, offer = world["users"], world["kampung"], world["offer_active"]
    staff, partner = users["staff"], users["partner"]

    def approve(need, amount):
        return services.approve_proposal(session, staff, f.proposal_for(session, need, offer, amount))

    def fresh_need(title):
        return f.make_need(session, kampung=kampung, status=NeedStatus.VERIFIED, title=title, cost_rp=2_000_000)

    waiting = approve(world["need_verified"], 3_000_000)
    active = approve(fresh_need("Talud gang RT 02"), 2_000_000)
    services.confirm_collaboration(session, partner, active)
    report = services.report_progress(session, partner, active, 30, "Pondasi selesai.", 500_000,
                                      [f.upload(f.png_bytes(), "talud.png")])
    reported = approve(fresh_need("Sumur bor RT 05"), 2_000_000)
    services.confirm_collaboration(session, partner, reported)
    services.report_completion(session, partner, reported, 40, "Sumur sudah dipakai warga.")
    proposal = f.proposal_for(session, fresh_need("Jamban RT 07"), offer, 1_000_000)
    world.update(collaboration=waiting, collaboration_active=active, collaboration_reported=reported,
                 collab_proposal=proposal)
    world["ids"].update(collaboration=waiting.id, collaboration_active=active.id,
                        collaboration_reported=reported.id, progress_photo=report.photos[0].id,
                        collab_proposal=proposal.id)


# Parties see a collaboration; everybody else signed in gets 404 (they may not know it exists).
OUTSIDERS = dict(other_coordinator=404, other_partner=404, office=404, group=404)
PARTIES = expect(200, anon=302, **OUTSIDERS)
# Confirm/decline: the offer's partner and staff; the kampung's coordinator sees it but may not.
ANSWER = expect(302, coordinator=403, **OUTSIDERS)
PROGRESS = expect(302, staff=403, admin=403, **OUTSIDERS)
NOBODY_NOW = expect(403, anon=302, **OUTSIDERS)
STAFF_ONLY = expect(403, anon=302, staff=200, admin=200)
STAFF_ACTS = expect(403, anon=302, staff=302, admin=302)

ROUTES = [
    Route("GET", "/collaborations", "/collaborations", expect(200, anon=302)),
    Route("GET", "/collaborations", "/collaborations?status=in_progress&page=2", expect(200, anon=302),
          note="filtered"),
    Route("GET", "/collaborations/<int:collaboration_id>", "/collaborations/{collaboration}", PARTIES),
    Route("GET", "/collaborations/<int:collaboration_id>", "/collaborations/999999", expect(404, anon=302),
          note="missing"),
    Route("POST", "/collaborations/<int:collaboration_id>/confirm", "/collaborations/{collaboration}/confirm",
          ANSWER),
    Route("POST", "/collaborations/<int:collaboration_id>/confirm", "/collaborations/{collaboration_active}/confirm",
          NOBODY_NOW, note="already confirmed"),
    Route("POST", "/collaborations/<int:collaboration_id>/decline", "/collaborations/{collaboration}/decline",
          ANSWER, data={"decline-reason": "Anggaran dialihkan."}),
    Route("POST", "/collaborations/<int:collaboration_id>/decline", "/collaborations/{collaboration}/decline",
          expect(422, anon=302, coordinator=403, **OUTSIDERS), note="without a reason"),
    Route("POST", "/collaborations/<int:collaboration_id>/progress", "/collaborations/{collaboration_active}/progress",
          PROGRESS, data={"percent": "60", "text": "Dinding naik.", "realised_rp": "1.000.000"}),
    Route("POST", "/collaborations/<int:collaboration_id>/progress", "/collaborations/{collaboration}/progress",
          NOBODY_NOW, data={"percent": "10", "text": "Mulai."}, note="not confirmed yet"),
    Route("POST", "/collaborations/<int:collaboration_id>/complete", "/collaborations/{collaboration_active}/complete",
          expect(403, anon=302, partner=302, **OUTSIDERS),
          data={"completion-beneficiaries_reached": "25", "completion-text": "Selesai."}),
    Route("POST", "/collaborations/<int:collaboration_id>/confirm-completion",
          "/collaborations/{collaboration_reported}/confirm-completion",
          expect(403, anon=302, coordinator=302, **OUTSIDERS)),
    Route("POST", "/collaborations/<int:collaboration_id>/confirm-completion",
          "/collaborations/{collaboration_active}/confirm-completion", NOBODY_NOW, note="nothing reported"),
    Route("POST", "/collaborations/<int:collaboration_id>/cancel", "/collaborations/{collaboration_active}/cancel",
          expect(403, anon=302, staff=302, admin=302, **OUTSIDERS), data={"cancel-reason": "Lahan bersengketa."}),
    Route("GET", "/collaborations/<int:collaboration_id>/photos/<int:photo_id>",
          "/collaborations/{collaboration_active}/photos/{progress_photo}", PARTIES),
    Route("GET", "/collaborations/<int:collaboration_id>/photos/<int:photo_id>",
          "/collaborations/{collaboration}/photos/{progress_photo}", expect(404, anon=302),
          note="photo of another collaboration"),
    Route("POST", "/review/proposals/<int:proposal_id>/approve", "/review/proposals/{collab_proposal}/approve",
          STAFF_ACTS),
    Route("POST", "/review/proposals/<int:proposal_id>/approve", "/review/proposals/999999/approve",
          expect(403, anon=302, staff=404, admin=404), note="missing"),
    Route("GET", "/review/manual", "/review/manual", STAFF_ONLY),
    Route("POST", "/review/manual", "/review/manual", STAFF_ACTS,
          data={"need_id": "{need_verified}", "offer_id": "{offer_active}", "amount_rp": "1.000.000",
                "idempotency_key": "route-table-key"}),
    Route("POST", "/review/manual", "/review/manual", expect(403, anon=302, staff=422, admin=422),
          data={"need_id": "{need_verified}", "offer_id": "{offer_active}", "amount_rp": "999.000.000"},
          note="too much"),
]
