"""Huge ids in paths (audit finding 2): 404 on every route, never an OverflowError 500."""
import re

import pytest

from gandeng.urls import MAX_ID, BoundedIntConverter
from tests import factories as f
from tests.conftest import sqlite_only
from tests.web.test_route_permissions import ROUTES

# The largest allowed id, which reaches SQL, runs on both backends (the last test).
SQLITE_ONLY = sqlite_only("the router refuses an id over MAX_ID before any view or SQL runs")

HUGE = "99999999999999999999999"
# Every rule with an id, once per method, its placeholders filled with a huge number.
ID_ROUTES = sorted({(route.method, route.rule, re.sub(r"\{[^}]+\}", HUGE, route.path.split("?")[0]))
                    for route in ROUTES if "<int:" in route.rule})


@SQLITE_ONLY
def test_every_integer_in_a_path_is_bounded(app):
    integer_rules = [rule.rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(integer_rules) > 40
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if "<int:" + name in rule.rule:
                assert isinstance(converter, BoundedIntConverter), rule.rule


@pytest.mark.parametrize("method, rule, path", ID_ROUTES, ids=[f"{m} {r}" for m, r, _ in ID_ROUTES])
@SQLITE_ONLY
def test_huge_id_is_not_found_for_staff(client, session, method, rule, path):
    admin = f.make_admin(session)
    session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = admin.get_id()
    response = client.open(path, method=method)
    assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize("path", [
    "/needs/99999999999999999999999", "/offers/99999999999999999999999", "/collaborations/99999999999999999999999",
    "/public/photos/99999999999999999999999", "/admin/users/99999999999999999999999",
    "/organisations/99999999999999999999999/report", "/matching/runs/99999999999999999999999",
    "/needs/1/attachments/99999999999999999999999", "/api/v1/needs/99999999999999999999999",
    f"/needs/{MAX_ID + 1}", f"/needs/{'9' * 5000}", f"/needs/{'0' * 30}1",
])
@SQLITE_ONLY
def test_the_audits_huge_ids_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_ids_up_to_the_largest_a_row_can_have_still_reach_the_view(client, session):
    need = f.make_need(session)
    session.commit()
    assert client.get(f"/needs/{need.id}").status_code == 200
    assert client.get(f"/needs/{MAX_ID}").status_code == 404  # the view's own "no such need"
