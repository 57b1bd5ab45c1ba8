"""Expected statuses for the partner page and statement (partners: their own organisation; another's
is 404) and the monthly report (staff only)."""
from tests.web.routes import Route, expect

NOT_COORDINATORS = dict(anon=302, coordinator=403, other_coordinator=403, office=403, group=403)
OWN_ORGANISATION = expect(200, other_partner=404, **NOT_COORDINATORS)
MISSING_ORGANISATION = expect(404, **NOT_COORDINATORS)
STAFF_ONLY = expect(403, anon=302, staff=200, admin=200)

ROUTES = [
    Route("GET", "/partner", "/partner", expect(200, **NOT_COORDINATORS)),
    Route("GET", "/partner", "/partner?year=2025", expect(200, **NOT_COORDINATORS), note="one year"),
    Route("GET", "/partner/statement.pdf", "/partner/statement.pdf?year=2025",
          expect(200, staff=302, admin=302, **NOT_COORDINATORS)),
    Route("GET", "/organisations/<int:org_id>/report", "/organisations/{org}/report", OWN_ORGANISATION),
    Route("GET", "/organisations/<int:org_id>/report", "/organisations/999999/report", MISSING_ORGANISATION,
          note="missing"),
    Route("GET", "/organisations/<int:org_id>/statement.pdf", "/organisations/{org}/statement.pdf",
          OWN_ORGANISATION),
    Route("GET", "/organisations/<int:org_id>/statement.pdf", "/organisations/999999/statement.pdf",
          MISSING_ORGANISATION, note="missing"),
    Route("GET", "/reports/monthly", "/reports/monthly", STAFF_ONLY),
    Route("GET", "/reports/monthly", "/reports/monthly?month=2025-13", expect(403, anon=302, staff=400, admin=400),
          note="invalid month"),
    Route("GET", "/reports/monthly.pdf", "/reports/monthly.pdf?month=2025-03", STAFF_ONLY),
    Route("GET", "/reports/monthly.pdf", "/reports/monthly.pdf?month=tahun-lalu",
          expect(403, anon=302, staff=400, admin=400), note="invalid month"),
]
