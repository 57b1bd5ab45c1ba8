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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path} {r.note}".strip())
def test_route_answers_each_role_as_expected(app, client, route, role):
    world = build_world(db.session)
    _extend_world(db.session, world)
    db.session.commit()
    if role != "anon":
        user = world["users"][role]
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
    path = route.path.format(**world["ids"])
    data = {k: (v.format(**world["ids"]) if isinstance(v, str) else v) for k, v in route.data.items()}
    response = client.open(path, method=route.method, data=data or None)
    assert response.status_code == route.expected[role], response.text[:300]
