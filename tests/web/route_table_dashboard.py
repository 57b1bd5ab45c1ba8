"""Expected statuses for the staff dashboard and its CSV downloads: staff and admin only."""
from tests.web.routes import Route, expect

STAFF_ONLY = expect(403, anon=302, staff=200, admin=200)

ROUTES = [
    Route("GET", "/dashboard", "/dashboard", STAFF_ONLY),
    Route("GET", "/dashboard", "/dashboard?year=2026&quarter=2&kemantren=34.71.01", STAFF_ONLY, note="filtered"),
    Route("GET", "/dashboard", "/dashboard?year=abc&quarter=9&kemantren=nowhere", STAFF_ONLY, note="bad filters"),
    Route("GET", "/dashboard/data/<table>.csv", "/dashboard/data/kelurahan.csv?year=2026", STAFF_ONLY),
    Route("GET", "/dashboard/data/<table>.csv", "/dashboard/data/nothing.csv", expect(403, anon=302, staff=404, admin=404),
          note="unknown table"),
]
