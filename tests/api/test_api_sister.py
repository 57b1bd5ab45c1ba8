"""/api/v1/sister with bearer tokens: each endpoint × role (the world of tests/web/route_table_sister.py:
2026 published, 2027 a draft; the pair of `kampung` has a report, the pair of `other_kampung` a submitted
plan), what each role sees of a pair's plan and reports, and the OpenAPI document."""
import pytest

from gandeng.db import db
from tests.api.helpers import as_user
from tests.web.route_table_sister import extend_world
from tests.web.routes import ROLES, expect
from tests.web.world import build_world

PARTY_WRITE = expect(404, anon=401, coordinator=200, partner=200, other_partner=200, staff=403, admin=403)
CASES = [
    ("GET", "/api/v1/sister/pairs?year=2026", None, expect(200)),
    ("GET", "/api/v1/sister/pairs", None, expect(422)),
    ("GET", "/api/v1/sister/pairs/{published_pair}", None, expect(200)),
    ("GET", "/api/v1/sister/pairs/{sister_pair}", None, expect(404, staff=200, admin=200)),
    ("PUT", "/api/v1/sister/pairs/{published_pair}/plan", {"q1": "Pelatihan", "themes": ["sanitation"]},
     PARTY_WRITE),
    ("PUT", "/api/v1/sister/pairs/{published_pair}/plan", {"q1": "Pelatihan", "extra": 1},
     expect(422, anon=401)),
    ("POST", "/api/v1/sister/pairs/{other_published_pair}/plan/decision", {"decision": "approve"},
     expect(403, anon=401, coordinator=404, office=404, group=404, staff=200, admin=200)),
    ("GET", "/api/v1/sister/reports", None, expect(200, anon=401)),
    ("POST", "/api/v1/sister/pairs/{published_pair}/reports", {"quarter": 1, "text": "Kerja bakti", "students": 4},
     expect(404, anon=401, coordinator=201, partner=201, other_partner=201, staff=403, admin=403)),
    ("POST", "/api/v1/sister/pairs/{published_pair}/reports", {"quarter": 2, "text": "Lagi"},
     expect(404, anon=401, coordinator=422, partner=422, other_partner=422, staff=403, admin=403)),
]


def _world(session):
    world = build_world(session)
    extend_world(session, world)
    db.session.commit()
    return world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]} {c[1]} {c[2]}")
def test_endpoint_answers_each_role_as_expected(client, session, case, role):
    method, path, body, expected = case
    world = _world(session)
    headers = as_user(session, None if role == "anon" else world["users"][role])
    response = client.open(path.format(**world["ids"]), method=method, json=body, headers=headers)
    assert response.status_code == expected[role], response.text[:300]
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) >= {"code", "message"}


def test_plans_and_reports_only_for_staff_and_the_pairs_parties(client, session):
    world = _world(session)
    users, ids = world["users"], world["ids"]

    def get(path, role):
        headers = {} if role == "anon" else as_user(session, users[role])
        return client.get(path, headers=headers).get_json()

    pair = get(f"/api/v1/sister/pairs/{ids['published_pair']}", "coordinator")
    assert pair["kampung"] == "Kampung Anggrek" and pair["year"] == 2026 and pair["status"] == "published"
    assert [r["quarter"] for r in pair["reports"]] == [2] and pair["plan"] is None
    for role in ("anon", "other_coordinator"):
        outside = get(f"/api/v1/sister/pairs/{ids['published_pair']}", role)
        assert "reports" not in outside and "plan" not in outside
    assert get("/api/v1/sister/reports", "coordinator")["total"] == 1
    assert get("/api/v1/sister/reports", "other_coordinator")["total"] == 0
    assert get("/api/v1/sister/reports?year=2026", "staff")["total"] == 1
    assert get("/api/v1/sister/reports?year=2025", "staff")["total"] == 0
    listed = get("/api/v1/sister/pairs?year=2026&per_page=1", "anon")
    assert listed["total"] >= 2 and len(listed["items"]) == 1 and listed["next"]
    assert get("/api/v1/sister/pairs?year=2027", "anon")["total"] == 0
    assert get("/api/v1/sister/pairs?year=2027", "staff")["total"] == listed["total"]


def test_a_party_writes_and_submits_the_plan_and_staff_return_it(client, session):
    world = _world(session)
    users, ids = world["users"], world["ids"]
    path = f"/api/v1/sister/pairs/{ids['published_pair']}/plan"
    body = {"q1": "Pelatihan", "target_households": 40, "submit": True}
    answer = client.put(path, json=body, headers=as_user(session, users["partner"]))
    assert answer.status_code == 200 and answer.get_json()["plan"]["status"] == "submitted"
    again = client.put(path, json=body, headers=as_user(session, users["coordinator"]))
    assert again.status_code == 422 and "diajukan" in again.get_json()["error"]["message"]
    decision = f"/api/v1/sister/pairs/{ids['published_pair']}/plan/decision"
    empty = client.post(decision, json={"decision": "return"}, headers=as_user(session, users["staff"]))
    assert empty.status_code == 422
    returned = client.post(decision, json={"decision": "return", "note": "Tambah target mahasiswa"},
                           headers=as_user(session, users["staff"])).get_json()
    assert returned["plan"]["status"] == "draft" and returned["plan"]["return_note"] == "Tambah target mahasiswa"
    bad = client.put(path, json={"target_students": -1}, headers=as_user(session, users["partner"]))
    assert bad.status_code == 422 and "target_students" in bad.get_json()["error"]["fields"]


def test_the_openapi_document_lists_the_sister_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/sister/pairs", "/api/v1/sister/pairs/{pair_id}", "/api/v1/sister/pairs/{pair_id}/plan",
            "/api/v1/sister/pairs/{pair_id}/plan/decision", "/api/v1/sister/reports",
            "/api/v1/sister/pairs/{pair_id}/reports"} <= set(paths)
