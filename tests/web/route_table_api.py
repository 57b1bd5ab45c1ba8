"""Expected statuses for the JSON API (/api/v1) with the harness's cookie session.

Reads answer as with a bearer token (tests/api/test_api_access.py has every endpoint × role with
tokens, writes included). Writes here come from a cookie session without the X-CSRFToken header:
refused with 400 for every signed-in role; anonymous writes are 401 (the token endpoint itself
answers 422 to a form body: it takes JSON)."""
from tests.web.routes import Route, expect

CSRF = expect(400, anon=401)


def extend_world(session, world):
    """A finished matching run (`run`)."""
    from tests import factories as f

    world["ids"]["run"] = f.make_run(session).id


ROUTES = [
    Route("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", expect(200)),
    Route("GET", "/api/v1/docs", "/api/v1/docs", expect(200)),
    Route("POST", "/api/v1/auth/token", "/api/v1/auth/token", expect(400, anon=422),
          data={"email": "x@contoh.id"}),
    Route("DELETE", "/api/v1/auth/token", "/api/v1/auth/token", CSRF),
    Route("GET", "/api/v1/wilayah", "/api/v1/wilayah", expect(200)),
    Route("GET", "/api/v1/categories", "/api/v1/categories", expect(200)),
    Route("GET", "/api/v1/stats", "/api/v1/stats", expect(200)),
    Route("GET", "/api/v1/needs", "/api/v1/needs?status=verified&per_page=5", expect(200)),
    Route("POST", "/api/v1/needs", "/api/v1/needs", CSRF),
    Route("GET", "/api/v1/needs/<int:need_id>", "/api/v1/needs/{need_draft}", expect(404, coordinator=200),
          note="draft"),
    Route("GET", "/api/v1/needs/<int:need_id>", "/api/v1/needs/{need_submitted}",
          expect(404, coordinator=200, staff=200, admin=200), note="submitted"),
    Route("GET", "/api/v1/needs/<int:need_id>", "/api/v1/needs/{need_verified}", expect(200), note="verified"),
    Route("PATCH", "/api/v1/needs/<int:need_id>", "/api/v1/needs/{need_draft}", CSRF),
    Route("POST", "/api/v1/needs/<int:need_id>/submit", "/api/v1/needs/{need_draft}/submit", CSRF),
    Route("POST", "/api/v1/needs/<int:need_id>/withdraw", "/api/v1/needs/{need_draft}/withdraw", CSRF),
    Route("POST", "/api/v1/needs/<int:need_id>/verify", "/api/v1/needs/{need_submitted}/verify", CSRF),
    Route("POST", "/api/v1/needs/<int:need_id>/return", "/api/v1/needs/{need_submitted}/return", CSRF),
    Route("POST", "/api/v1/needs/<int:need_id>/reject", "/api/v1/needs/{need_submitted}/reject", CSRF),
    Route("GET", "/api/v1/offers", "/api/v1/offers?kind=dana", expect(200)),
    Route("POST", "/api/v1/offers", "/api/v1/offers", CSRF),
    Route("GET", "/api/v1/offers/<int:offer_id>", "/api/v1/offers/{offer_draft}",
          expect(404, partner=200, staff=200, admin=200), note="draft"),
    Route("GET", "/api/v1/offers/<int:offer_id>", "/api/v1/offers/{offer_active}", expect(200), note="active"),
    Route("PATCH", "/api/v1/offers/<int:offer_id>", "/api/v1/offers/{offer_draft}", CSRF),
    Route("POST", "/api/v1/offers/<int:offer_id>/activate", "/api/v1/offers/{offer_draft}/activate", CSRF),
    Route("POST", "/api/v1/offers/<int:offer_id>/withdraw", "/api/v1/offers/{offer_active}/withdraw", CSRF),
    Route("POST", "/api/v1/matching/runs", "/api/v1/matching/runs", CSRF),
    Route("GET", "/api/v1/matching/runs/<int:run_id>", "/api/v1/matching/runs/{run}",
          expect(403, anon=401, staff=200, admin=200)),
    Route("GET", "/api/v1/proposals", "/api/v1/proposals?status=proposed", expect(200, anon=401)),
    Route("POST", "/api/v1/proposals/<int:proposal_id>/approve", "/api/v1/proposals/{collab_proposal}/approve", CSRF),
    Route("POST", "/api/v1/proposals/<int:proposal_id>/reject", "/api/v1/proposals/{collab_proposal}/reject", CSRF),
    Route("GET", "/api/v1/collaborations", "/api/v1/collaborations", expect(200, anon=401)),
    Route("GET", "/api/v1/collaborations/<int:collaboration_id>", "/api/v1/collaborations/{collaboration}",
          expect(404, anon=401, coordinator=200, partner=200, staff=200, admin=200)),
    Route("POST", "/api/v1/collaborations/<int:collaboration_id>/progress",
          "/api/v1/collaborations/{collaboration_active}/progress", CSRF),
]
