"""Expected statuses for the staff pages that manage users, organisations and kampung."""
from tests.web.routes import Route, expect

# Staff and admin only: anonymous visitors are sent to /login, other signed-in roles get 403.
STAFF_PAGE = expect(403, anon=302, staff=200, admin=200)
STAFF_ACTION = expect(403, anon=302, staff=302, admin=302)
ADMIN_ACTION = expect(403, anon=302, admin=302)

ROUTES = [
    Route("GET", "/admin/users", "/admin/users", STAFF_PAGE),
    Route("GET", "/admin/users", "/admin/users?status=pending&role=coordinator&q=baru", STAFF_PAGE,
          note="filtered"),
    Route("GET", "/admin/users/<int:user_id>", "/admin/users/{pending_user}", STAFF_PAGE),
    Route("GET", "/admin/users/<int:user_id>", "/admin/users/999999", expect(403, anon=302, staff=404, admin=404),
          note="missing"),
    Route("POST", "/admin/users/<int:user_id>/verify", "/admin/users/{pending_user}/verify", STAFF_ACTION),
    Route("POST", "/admin/users/<int:user_id>/suspend", "/admin/users/{coordinator_user}/suspend", STAFF_ACTION,
          data={"reason": "Akun ganda"}),
    Route("POST", "/admin/users/<int:user_id>/suspend", "/admin/users/{admin_user}/suspend",
          expect(403, anon=302, admin=422), data={"reason": "Coba"},
          note="staff may not suspend an admin; the admin may not suspend themselves"),
    Route("POST", "/admin/users/<int:user_id>/role", "/admin/users/{pending_user}/role", ADMIN_ACTION,
          data={"role": "staff"}),
    Route("GET", "/admin/organisations", "/admin/organisations", STAFF_PAGE),
    Route("GET", "/admin/organisations", "/admin/organisations?verified=tidak&type=komunitas&q=baru", STAFF_PAGE,
          note="filtered"),
    Route("GET", "/admin/organisations/<int:organisation_id>", "/admin/organisations/{org}", STAFF_PAGE),
    Route("POST", "/admin/organisations/<int:organisation_id>", "/admin/organisations/{unverified_org}",
          STAFF_ACTION, data={"name": "Komunitas Baru Jogja", "type": "komunitas", "phone": "0274 123456"}),
    Route("POST", "/admin/organisations/<int:organisation_id>/verify",
          "/admin/organisations/{unverified_org}/verify", STAFF_ACTION),
    Route("GET", "/admin/kampung", "/admin/kampung", STAFF_PAGE),
    Route("GET", "/admin/kampung", "/admin/kampung?kemantren=34.71.01&kelurahan=34.71.01.1001&verified=ya",
          STAFF_PAGE, note="filtered"),
    Route("GET", "/admin/kampung/new", "/admin/kampung/new", STAFF_PAGE),
    Route("POST", "/admin/kampung/new", "/admin/kampung/new", STAFF_ACTION,
          data={"name": "Kampung Kenanga", "kelurahan": "34.71.01.1002"}),
    Route("GET", "/admin/kampung/<int:kampung_id>", "/admin/kampung/{kampung}", STAFF_PAGE),
    Route("POST", "/admin/kampung/<int:kampung_id>", "/admin/kampung/{kampung}", STAFF_ACTION,
          data={"name": "Kampung Anggrek Baru", "kelurahan": "34.71.01.1001"}),
    Route("POST", "/admin/kampung/<int:kampung_id>/verify", "/admin/kampung/{unverified_kampung}/verify",
          STAFF_ACTION),
]


def extend_world(session, world):
    """An unverified kampung to verify, and the admin's id."""
    from tests import factories as f

    kampung = f.make_kampung(session, "Kampung Teratai", "34.71.13.1002", verified=False)
    world["unverified_kampung"] = kampung
    world["ids"]["unverified_kampung"] = kampung.id
    world["ids"]["admin_user"] = world["users"]["admin"].id
