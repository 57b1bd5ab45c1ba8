"""Expected statuses for the sister pairing: the staff page and its actions (staff and admin only) and the
public list of published pairs (everyone)."""
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
