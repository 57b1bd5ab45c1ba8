"""Endpoint × role with bearer tokens: the API answers each role as the web does (404 for what a
role may not see, 403 for what it may see but not do, 401 for anonymous writes and private lists)."""
import pytest

from gandeng.db import db
from tests.api.helpers import NEW_NEED, as_user
from tests.web.route_table_collaborations import extend_world as add_collaborations
from tests.web.routes import ROLES, expect
from tests.web.world import build_world

# (method, path, json body, expected per role)
CASES = [
    ("GET", "/api/v1/wilayah", None, expect(200)),
    ("GET", "/api/v1/categories", None, expect(200)),
    ("GET", "/api/v1/stats", None, expect(200)),
    ("GET", "/api/v1/needs", None, expect(200)),
    ("GET", "/api/v1/needs/{need_draft}", None, expect(404, coordinator=200)),
    ("GET", "/api/v1/needs/{need_submitted}", None, expect(404, coordinator=200, staff=200, admin=200)),
    ("GET", "/api/v1/needs/{need_verified}", None, expect(200)),
    ("POST", "/api/v1/needs", NEW_NEED, expect(403, anon=401, coordinator=201, other_coordinator=201)),
    ("PATCH", "/api/v1/needs/{need_draft}", {"title": "Jamban sehat 6 KK"}, expect(404, anon=401, coordinator=200)),
    ("PATCH", "/api/v1/needs/{need_submitted}", {"title": "Jamban sehat 6 KK"},
     expect(404, anon=401, coordinator=200, staff=200, admin=200)),
    ("PATCH", "/api/v1/needs/{need_verified}", {"rw": "07"}, expect(403, anon=401, staff=200, admin=200)),
    ("POST", "/api/v1/needs/{need_draft}/submit", None, expect(404, anon=401, coordinator=200)),
    ("POST", "/api/v1/needs/{need_submitted}/verify", None, expect(404, anon=401, coordinator=403, staff=200, admin=200)),
    ("POST", "/api/v1/needs/{need_submitted}/return", {"reason": "Lengkapi foto."},
     expect(404, anon=401, coordinator=403, staff=200, admin=200)),
    ("POST", "/api/v1/needs/{need_submitted}/reject", {"reason": "Di luar kota."},
     expect(404, anon=401, coordinator=403, staff=200, admin=200)),
    ("POST", "/api/v1/needs/{need_returned}/withdraw", {}, expect(404, anon=401, coordinator=200, staff=200, admin=200)),
    ("GET", "/api/v1/offers", None, expect(200)),
    ("GET", "/api/v1/offers/{offer_draft}", None, expect(404, partner=200, staff=200, admin=200)),
    ("GET", "/api/v1/offers/{offer_active}", None, expect(200)),
    ("POST", "/api/v1/offers", {"kind": "dana", "title": "CSR air bersih", "description": "Dana sumur.",
                                "capacity_rp": 10_000_000}, expect(403, anon=401, partner=201, other_partner=201)),
    ("PATCH", "/api/v1/offers/{offer_draft}", {"title": "CSR air bersih"},
     expect(404, anon=401, partner=200, staff=200, admin=200)),
    ("PATCH", "/api/v1/offers/{offer_active}", {"title": "CSR air bersih"},
     expect(403, anon=401, partner=200, staff=200, admin=200)),
    ("POST", "/api/v1/offers/{offer_draft}/activate", None, expect(404, anon=401, partner=200, staff=200, admin=200)),
    ("POST", "/api/v1/offers/{offer_active}/withdraw", {}, expect(403, anon=401, partner=200, staff=200, admin=200)),
    ("POST", "/api/v1/matching/runs", {}, expect(403, anon=401, staff=202, admin=202)),
    ("GET", "/api/v1/matching/runs/{run}", None, expect(403, anon=401, staff=200, admin=200)),
    ("GET", "/api/v1/proposals", None, expect(200, anon=401)),
    ("POST", "/api/v1/proposals/{collab_proposal}/approve", None, expect(403, anon=401, staff=200, admin=200)),
    ("POST", "/api/v1/proposals/{collab_proposal}/reject", {"reason": "Kurang cocok."},
     expect(403, anon=401, staff=200, admin=200)),
    ("GET", "/api/v1/collaborations", None, expect(200, anon=401)),
    ("GET", "/api/v1/collaborations/{collaboration}", None,
     expect(404, anon=401, coordinator=200, partner=200, staff=200, admin=200)),
    ("POST", "/api/v1/collaborations/{collaboration_active}/progress", {"percent": 60, "text": "Dinding selesai."},
     expect(404, anon=401, coordinator=201, partner=201, staff=403, admin=403)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]} {c[1]}")
def test_endpoint_answers_each_role_as_expected(client, session, case, role):
    from tests import factories as f

    method, path, body, expected = case
    world = build_world(session)
    add_collaborations(session, world)
    world["ids"]["run"] = f.make_run(session).id
    db.session.commit()
    headers = as_user(session, None if role == "anon" else world["users"][role])
    response = client.open(path.format(**world["ids"]), method=method, json=body, headers=headers)
    assert response.status_code == expected[role], response.text[:300]
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) >= {"code", "message"}


def test_lists_show_each_role_only_what_involves_it(client, session):
    world = build_world(session)
    add_collaborations(session, world)
    db.session.commit()
    users = world["users"]

    def total(path, role):
        return client.get(path, headers=as_user(session, users[role])).get_json()["total"]

    assert total("/api/v1/proposals", "partner") >= 1 and total("/api/v1/proposals", "other_partner") == 0
    assert total("/api/v1/proposals", "coordinator") >= 1 and total("/api/v1/proposals", "other_coordinator") == 0
    assert total("/api/v1/collaborations", "coordinator") == 3
    assert total("/api/v1/collaborations", "other_partner") == 0
    drafts = client.get("/api/v1/needs?status=draft", headers=as_user(session, users["coordinator"])).get_json()
    assert drafts["total"] == 1
    assert client.get("/api/v1/needs?status=draft").get_json()["total"] == 0
