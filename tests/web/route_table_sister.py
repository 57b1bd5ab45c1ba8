"""Expected statuses for the sister pairing: the staff page and its actions (staff and admin only) and the
public list of published pairs (everyone)."""
from pathlib import Path

from tests.web.routes import Route, expect

STAFF_PAGE = expect(403, anon=302, staff=200, admin=200)
STAFF_ACTION = expect(403, anon=302, staff=302, admin=302)
EVERYONE = expect(200)


def extend_world(session, world):
    """Sister profiles for the world's kampung and partners, a draft for 2027 and a published 2026."""
    from gandeng.sister.models import KampungSisterProfile, PartnerSisterProfile, RoundStatus
    from gandeng.sister.services import run_pairing

    for kampung in (world["kampung"], world["other_kampung"]):
        session.add(KampungSisterProfile(kampung_id=kampung.id, households=50, kms_households=10,
                                         themes="sanitation"))
    for organisation in (world["org"], world["other_org"]):
        session.add(PartnerSisterProfile(organisation_id=organisation.id, capacity=2, themes="sanitation",
                                         home_kelurahan_code="34.71.03.1005"))
    session.flush()
    published, _skipped = run_pairing(session, None, 2026)
    published.status = RoundStatus.PUBLISHED
    draft, _skipped = run_pairing(session, None, 2027)
    world["ids"].update(sister_pair=draft.pairs[0].id, published_pair=published.pairs[0].id)
    _year_work(session, world, published)


def _year_work(session, world, published):
    """The published 2026 pair of `kampung` has a quarter-2 report with a photo; the pair of
    `other_kampung` a plan waiting for approval."""
    from datetime import datetime

    from flask import current_app

    from gandeng.sister.models import PlanStatus, SisterPlan, SisterReport, SisterReportPhoto
    from gandeng.sister.work import PHOTO_FOLDER
    from tests.factories import jpeg_bytes

    folder = Path(current_app.config["UPLOAD_DIR"]) / PHOTO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "route-table.jpg").write_bytes(jpeg_bytes())
    report = SisterReport(pair_id=published.pairs[0].id, quarter=2, text="Bank sampah", households_reached=5,
                          created_at=datetime(2026, 7, 1))
    report.photos = [SisterReportPhoto(stored_name="route-table.jpg", original_name="a.jpg",
                                       content_type="image/jpeg", size=10)]
    session.add(report)
    session.add(SisterPlan(pair_id=published.pairs[1].id, status=PlanStatus.SUBMITTED, q1="Pelatihan"))
    session.flush()
    world["ids"].update(other_published_pair=published.pairs[1].id, sister_photo=report.photos[0].id)


ROUTES = [
    Route("GET", "/sister", "/sister?year=2027", STAFF_PAGE),
    Route("GET", "/sister", "/sister?year=2026", STAFF_PAGE, note="published year"),
    Route("GET", "/sister", "/sister?year=abc", STAFF_PAGE, note="bad year"),
    Route("POST", "/sister/run", "/sister/run", STAFF_ACTION, data={"year": "2027"}),
    Route("POST", "/sister/run", "/sister/run", STAFF_ACTION, data={"year": "2026"}, note="published year"),
    Route("POST", "/sister/publish", "/sister/publish", STAFF_ACTION, data={"year": "2027"}),
    Route("POST", "/sister/pairs/<int:pair_id>/lock", "/sister/pairs/{sister_pair}/lock", STAFF_ACTION,
          data={"side": "campus"}),
    Route("POST", "/sister/pairs/<int:pair_id>/lock", "/sister/pairs/999999/lock",
          expect(403, anon=302, staff=404, admin=404), data={"side": "campus"}, note="missing pair"),
    Route("POST", "/sister/pairs/<int:pair_id>/partner", "/sister/pairs/{sister_pair}/partner", STAFF_ACTION,
          data={"side": "company", "organisation_id": "{org}"}),
    Route("POST", "/sister/pairs/<int:pair_id>/partner", "/sister/pairs/{published_pair}/partner", STAFF_ACTION,
          data={"side": "company", "organisation_id": "{org}"}, note="published: refused with a message"),
    Route("GET", "/public/sister", "/public/sister", EVERYONE),
    Route("GET", "/public/sister", "/public/sister?year=2027", EVERYONE, note="draft year shows nothing"),
]

OWN_ORGANISATION = expect(403, anon=302, partner=200, staff=200, admin=200)
OWN_KAMPUNG = expect(403, anon=302, coordinator=200, staff=200, admin=200)
PROFILE = {"capacity": "3", "home_kelurahan": "34.71.03.1005", "themes": "health"}

ROUTES += [
    Route("GET", "/sister/profile/organisation/<int:organisation_id>", "/sister/profile/organisation/{org}",
          OWN_ORGANISATION),
    Route("GET", "/sister/profile/organisation/<int:organisation_id>",
          "/sister/profile/organisation/{unverified_org}", expect(403, anon=302, staff=404, admin=404),
          note="a komunitas takes no part"),
    Route("POST", "/sister/profile/organisation/<int:organisation_id>", "/sister/profile/organisation/{org}",
          expect(403, anon=302, partner=302, staff=302, admin=302), data=PROFILE),
    Route("POST", "/sister/profile/organisation/<int:organisation_id>", "/sister/profile/organisation/{org}",
          expect(403, anon=302, partner=422, staff=422, admin=422), data={"capacity": "-1"}, note="bad input"),
    Route("GET", "/sister/profile/kampung/<int:kampung_id>", "/sister/profile/kampung/{kampung}", OWN_KAMPUNG),
    Route("POST", "/sister/profile/kampung/<int:kampung_id>", "/sister/profile/kampung/{kampung}",
          expect(403, anon=302, coordinator=302, staff=302, admin=302),
          data={"households": "40", "kms_households": "5", "themes": "sanitation"}),
]

# The year's work of a published pair (plan, reports): staff and the pair's parties only. The pair of
# `kampung` has as parties its coordinator, `partner` (the company) and `other_partner` (the campus).
PARTIES = dict(coordinator=200, partner=200, other_partner=200, staff=200, admin=200)
OTHER_PARTIES = dict(other_coordinator=403, partner=403, other_partner=403)
ROUTES += [
    Route("GET", "/sister/mine", "/sister/mine", expect(200, anon=302, staff=302, admin=302)),
    Route("GET", "/sister/pairs/<int:pair_id>", "/sister/pairs/{published_pair}", expect(404, anon=302, **PARTIES)),
    Route("GET", "/sister/pairs/<int:pair_id>", "/sister/pairs/{sister_pair}",
          expect(404, anon=302, staff=200, admin=200), note="draft: staff only"),
    Route("GET", "/sister/pairs/<int:pair_id>/photos/<int:photo_id>",
          "/sister/pairs/{published_pair}/photos/{sister_photo}", expect(404, anon=302, **PARTIES)),
    Route("GET", "/sister/pairs/<int:pair_id>/photos/<int:photo_id>",
          "/sister/pairs/{other_published_pair}/photos/{sister_photo}",
          expect(404, anon=302), note="photo of another pair"),
    Route("POST", "/sister/pairs/<int:pair_id>/plan", "/sister/pairs/{published_pair}/plan",
          expect(404, anon=302, coordinator=302, partner=302, other_partner=302, staff=403, admin=403),
          data={"q1": "Pelatihan", "action": "save"}),
    Route("POST", "/sister/pairs/<int:pair_id>/plan", "/sister/pairs/{other_published_pair}/plan",
          expect(404, anon=302, staff=403, admin=403, **OTHER_PARTIES),
          data={"q1": "Pelatihan", "action": "save"}, note="submitted plan: frozen"),
    Route("POST", "/sister/pairs/<int:pair_id>/plan/decision", "/sister/pairs/{other_published_pair}/plan/decision",
          expect(404, anon=302, staff=302, admin=302, **OTHER_PARTIES), data={"decision": "approve"}),
    Route("POST", "/sister/pairs/<int:pair_id>/reports", "/sister/pairs/{published_pair}/reports",
          expect(404, anon=302, coordinator=302, partner=302, other_partner=302, staff=403, admin=403),
          data={"quarter": "1", "text": "Kerja bakti"}),
]

# Figures of a published year (the world has 2026 published): staff page and city PDF, a partner's PDF for
# staff and its members, the open data for everyone.
ROUTES += [
    Route("GET", "/sister/figures", "/sister/figures", STAFF_PAGE),
    Route("GET", "/sister/figures/city.pdf", "/sister/figures/city.pdf?year=2026", STAFF_PAGE),
    Route("GET", "/sister/figures/organisation/<int:organisation_id>.pdf",
          "/sister/figures/organisation/{org}.pdf?year=2026", OWN_ORGANISATION),
    Route("GET", "/sister/figures/organisation/<int:organisation_id>.pdf",
          "/sister/figures/organisation/999999.pdf", expect(404, anon=302), note="missing organisation"),
    Route("GET", "/public/sister/data.csv", "/public/sister/data.csv?year=2026", EVERYONE),
]

# /api/v1/sister with the harness's cookie session (tests/api/test_api_sister.py has them with tokens):
# reads as with a token; writes without X-CSRFToken are 400 for signed-in roles, 401 anonymous.
API_CSRF = expect(400, anon=401)
ROUTES += [
    Route("GET", "/api/v1/sister/pairs", "/api/v1/sister/pairs?year=2026", EVERYONE),
    Route("GET", "/api/v1/sister/pairs/<int:pair_id>", "/api/v1/sister/pairs/{published_pair}", EVERYONE),
    Route("GET", "/api/v1/sister/pairs/<int:pair_id>", "/api/v1/sister/pairs/{sister_pair}",
          expect(404, staff=200, admin=200), note="draft"),
    Route("PUT", "/api/v1/sister/pairs/<int:pair_id>/plan", "/api/v1/sister/pairs/{published_pair}/plan", API_CSRF),
    Route("POST", "/api/v1/sister/pairs/<int:pair_id>/plan/decision",
          "/api/v1/sister/pairs/{other_published_pair}/plan/decision", API_CSRF),
    Route("GET", "/api/v1/sister/reports", "/api/v1/sister/reports", expect(200, anon=401)),
    Route("POST", "/api/v1/sister/pairs/<int:pair_id>/reports", "/api/v1/sister/pairs/{published_pair}/reports",
          API_CSRF),
]

ROUTES += [
    Route("POST", "/sister/remove-partner", "/sister/remove-partner", STAFF_ACTION,
          data={"year": "2026", "organisation_id": "{org}"}),
]
