"""Expected statuses for the equity view, its map data and its CSV downloads: staff and admin only."""
from tests.web.routes import Route, expect

STAFF_PAGE = expect(403, anon=302, staff=200, admin=200)

ROUTES = [
    Route("GET", "/dashboard/equity", "/dashboard/equity", STAFF_PAGE),
    Route("GET", "/dashboard/equity", "/dashboard/equity?year=2026&quarter=2", STAFF_PAGE, note="a quarter"),
    Route("GET", "/dashboard/equity", "/dashboard/equity?year=abc&quarter=9", STAFF_PAGE, note="bad period"),
    Route("GET", "/dashboard/map.json", "/dashboard/map.json", STAFF_PAGE),
    Route("GET", "/dashboard/equity.csv", "/dashboard/equity.csv?year=2026", STAFF_PAGE),
    Route("GET", "/dashboard/equity/gini.csv", "/dashboard/equity/gini.csv", STAFF_PAGE),
]
