"""Every route × every role against the expected-status table; a route missing from it fails.

The world (tests/web/world.py plus each table's `extend_world`) is built once per backend and module
(per xdist worker) and saved (tests/snapshot.py): a GET test reads it as built, an action test gets it
put back as saved before it runs. On PostgreSQL the actions run for the roles that get past the
permission checks to the action itself (a 2xx, or a redirect after doing it): a refusal (302 to the
log-in, 403, 404) is decided in Python before any write, the same on both databases, and SQLite
checks every one of them; every page (GET) is checked on both."""
import importlib
import pkgutil
from pathlib import Path

import pytest

from tests.conftest import BACKENDS
from tests.snapshot import SavedWorlds
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


def _build(session) -> dict:
    world = build_world(session)
    _extend_world(session, world)
    session.commit()
    return {"ids": dict(world["ids"]), "logins": {role: user.get_id() for role, user in world["users"].items()}}


@pytest.fixture(scope="module")
def worlds(request, tmp_path_factory, template_db):
    """The world on each backend, built once (on first use) and saved (tests/snapshot.py)."""
    saved = SavedWorlds(request, tmp_path_factory, template_db, _build)
    yield saved
    saved.close()


@pytest.fixture
def world_as_built(worlds, on):
    """The world for a test that changes nothing (put back first only if an action ran on it)."""
    yield from worlds.use(on, as_saved=False)


@pytest.fixture
def world_as_saved(worlds, on):
    """The world put back as saved before the test."""
    yield from worlds.use(on, as_saved=True)


def _answer(world, route, role) -> int:
    client = world.app.test_client()
    ids = world.built["ids"]
    if role != "anon":
        with client.session_transaction() as sess:
            sess["_user_id"] = world.built["logins"][role]
            sess["_fresh"] = True
    path = route.path.format(**ids)
    data = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in route.data.items()}
    response = client.open(path, method=route.method, data=data or None)
    return response.status_code


def _route_id(route) -> str:
    return f"{route.method} {route.path} {route.note}".strip()


@pytest.mark.parametrize("on", BACKENDS)
@pytest.mark.parametrize("route", GET_ROUTES, ids=_route_id)
def test_page_answers_every_role_as_expected(world_as_built, route):
    """A GET changes nothing that decides an answer, so the seven roles (each with its own client
    and cookies) and every page share one world."""
    answers = {role: _answer(world_as_built, route, role) for role in ROLES}
    wrong = {role: f"expected {route.expected[role]}, got {status}"
             for role, status in answers.items() if status != route.expected[role]}
    assert wrong == {}, wrong


def _acts(route, role) -> bool:
    """The role gets past the permission checks to the action itself."""
    status = route.expected[role]
    return status < 400 and not (role == "anon" and status == 302)


ACTIONS = [pytest.param(backend, route, role, id=f"{backend}-{_route_id(route)}-{role}")
           for backend in BACKENDS for route in OTHER_ROUTES for role in ROLES
           if backend == "sqlite" or _acts(route, role)]


@pytest.mark.parametrize("on, route, role", ACTIONS)
def test_action_answers_each_role_as_expected(world_as_saved, route, role):
    """A POST may change the world (approve, withdraw...): each role gets the world as saved."""
    assert _answer(world_as_saved, route, role) == route.expected[role]
