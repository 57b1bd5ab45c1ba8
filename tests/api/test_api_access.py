"""Endpoint × role with bearer tokens: the API answers each role as the web does (404 for what a
role may not see, 403 for what it may see but not do, 401 for anonymous writes and private lists)."""
import pytest

from gandeng.db import db
from tests.api.helpers import NEW_NEED, as_user, bearer
from tests.conftest import BACKENDS
from tests.snapshot import SavedWorlds
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


def _build(session) -> dict:
    """The permission world with collaborations and a finished run; a bearer token per role."""
    from tests import factories as f
    from tests.api.helpers import token_for

    world = build_world(session)
    add_collaborations(session, world)
    world["ids"]["run"] = f.make_run(session).id
    tokens = {role: token_for(session, user) for role, user in world["users"].items()}
    session.commit()
    return {"ids": dict(world["ids"]), "tokens": tokens}


@pytest.fixture(scope="module")
def worlds(request, tmp_path_factory, template_db):
    """Built once per backend (and xdist worker), saved, put back before each case (tests/snapshot.py)."""
    saved = SavedWorlds(request, tmp_path_factory, template_db, _build)
    yield saved
    saved.close()


@pytest.fixture
def world_as_saved(worlds, on):
    yield from worlds.use(on, as_saved=True)


def _acts(method, expected, role) -> bool:
    """The role gets past the permission checks: a write it may do, or any read it may see."""
    return method == "GET" or expected[role] < 400


# On PostgreSQL: every read, and the writes each role may do; a refused write (401, 403, 404) is
# decided in Python before anything is written, the same on both databases (SQLite checks them all).
CASE_RUNS = [pytest.param(backend, case, role, id=f"{backend}-{case[0]} {case[1]}-{role}")
             for backend in BACKENDS for case in CASES for role in ROLES
             if backend == "sqlite" or _acts(case[0], case[3], role)]


@pytest.mark.parametrize("on, case, role", CASE_RUNS)
def test_endpoint_answers_each_role_as_expected(world_as_saved, case, role):
    method, path, body, expected = case
    ids, tokens = world_as_saved.built["ids"], world_as_saved.built["tokens"]
    headers = {} if role == "anon" else bearer(tokens[role])
    response = world_as_saved.app.test_client().open(path.format(**ids), method=method, json=body, headers=headers)
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
