"""Expected statuses for the collaboration network (/network): staff and admin only."""
from tests.web.routes import Route, expect

STAFF_ONLY = expect(403, anon=302, staff=200, admin=200)

ROUTES = [
    Route("GET", "/network", "/network", STAFF_ONLY),
    Route("GET", "/network", "/network?year=2026", STAFF_ONLY, note="one year"),
    Route("GET", "/network", "/network?year=1900", STAFF_ONLY, note="bad year"),
    Route("GET", "/network/edges.csv", "/network/edges.csv", STAFF_ONLY),
]
