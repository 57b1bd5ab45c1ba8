"""Expected statuses for the audit log pages (staff and admin only)."""
from tests.web.routes import Route, expect

STAFF_PAGE = expect(403, anon=302, staff=200, admin=200)

ROUTES = [
    Route("GET", "/audit", "/audit", STAFF_PAGE),
    Route("GET", "/audit", "/audit?action=need.create&object_type=needs&actor=petugas&date_from=2020-01-01"
          "&date_to=31/12/2099&object_id={need_verified}&page=2", STAFF_PAGE, note="filtered"),
    Route("GET", "/audit", "/audit?action=tidak.ada&date_from=kemarin&object_id=abc", STAFF_PAGE,
          note="bad filters show errors"),
    Route("GET", "/audit/export.csv", "/audit/export.csv", STAFF_PAGE),
    Route("GET", "/audit/export.csv", "/audit/export.csv?object_type=needs", STAFF_PAGE, note="filtered"),
]
