"""Expected statuses for the staff exports (/exports): staff and admin only; unknown files are 404."""
from tests.web.routes import Route, expect

STAFF_ONLY = expect(403, anon=302, staff=200, admin=200)
STAFF_MISSING = expect(403, anon=302, staff=404, admin=404)
RULE = "/exports/<dataset>.<fmt>"

ROUTES = [
    Route("GET", "/exports", "/exports", STAFF_ONLY),
    Route("GET", RULE, "/exports/needs.csv", STAFF_ONLY),
    Route("GET", RULE, "/exports/offers.xlsx", STAFF_ONLY),
    Route("GET", RULE, "/exports/collaborations.csv?status=completed&kemantren=34.71.01&year=2026&quarter=2",
          STAFF_ONLY, note="filtered"),
    Route("GET", RULE, "/exports/needs.csv?status=nonsense&year=abc&quarter=9", STAFF_ONLY, note="bad filters"),
    Route("GET", RULE, "/exports/users.csv", STAFF_MISSING, note="unknown dataset"),
    Route("GET", RULE, "/exports/needs.pdf", STAFF_MISSING, note="unknown format"),
]
