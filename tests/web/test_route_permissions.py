"""Every route × every role against the expected-status table; a route missing from it fails."""
import importlib
import pkgutil
from pathlib import Path

import pytest

from gandeng.db import db
from tests.web.routes import ROLES
from tests.web.world import build_world

HERE = Path(__file__).parent


def _table_modules():
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("route_table_"))
    return [importlib.import_module(f"tests.web.{name}") for name in names]


TABLES = _table_modules()
ROUTES = [route for module in TABLES for route in module.ROUTES]


def _extend_world(session, world):
    for module in TABLES:
        extend = getattr(module, "extend_world", None)
        if extend:
            extend(session, world)


def test_every_route_of_the_app_is_in_the_table(app):
    in_app = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    in_table = {(route.method, route.rule) for route in ROUTES}
    assert in_app - in_table == set(), "routes without expected statuses"
    assert in_table - in_app == set(), "table rows for routes that do not exist"


GET_ROUTES = [route for route in ROUTES if route.method == "GET"]
OTHER_ROUTES = [route for route in ROUTES if route.method != "GET"]


def _ready_world():
    world = build_world(db.session)
    _extend_world(db.session, world)
    db.session.commit()
    return world


def _answer(client, world, route, role) -> int:
    if role != "anon":
        user = world["users"][role]
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
    path = route.path.format(**world["ids"])
    data = {k: (v.format(**world["ids"]) if isinstance(v, str) else v) for k, v in route.data.items()}
    response = client.open(path, method=route.method, data=data or None)
    return response.status_code


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda r: f"{r.method} {r.path} {r.note}".strip())
def test_page_answers_every_role_as_expected(app, route):
    """A GET changes nothing that decides an answer, so the seven roles share one world (each with
    its own client and cookies)."""
    world = _ready_world()
    answers = {role: _answer(app.test_client(), world, route, role) for role in ROLES}
    wrong = {role: f"expected {route.expected[role]}, got {status}"
             for role, status in answers.items() if status != route.expected[role]}
    assert wrong == {}, wrong


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", OTHER_ROUTES, ids=lambda r: f"{r.method} {r.path} {r.note}".strip())
def test_action_answers_each_role_as_expected(app, client, route, role):
    """A POST may change the world (approve, withdraw...): each role gets a world of its own."""
    world = _ready_world()
    assert _answer(client, world, route, role) == route.expected[role]
