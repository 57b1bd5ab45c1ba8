"""Expected statuses for the public transparency page and open data: no login, every role 200;
photos only of completed collaborations."""
from tests import factories as f
from tests.web.routes import Route, expect

EVERYONE = expect(200)


def extend_world(session, world):
    """A completed collaboration with a progress photo `public_photo`, and `private_photo`, a photo of
    a collaboration still in progress."""
    from gandeng.collaborations import services

    done = f.make_collaboration(session, offer=world["offer_active"], amount_rp=1_000_000, status="in_progress",
                                need=f.make_need(session, kampung=world["kampung"], title="Talud selesai",
                                                 cost_rp=1_000_000))
    partner = world["users"]["partner"]
    report = services.report_progress(session, partner, done, 80, "Hampir selesai.", 800_000,
                                      [f.upload(f.png_bytes(), "hasil.png")])
    services.report_completion(session, partner, done, 10, "Selesai.")
    services.confirm_completion(session, world["users"]["coordinator"], done)
    running = f.make_collaboration(session, offer=world["offer_active"], amount_rp=1_000_000, status="in_progress",
                                   need=f.make_need(session, kampung=world["kampung"], cost_rp=1_000_000))
    other = services.report_progress(session, partner, running, 20, "Mulai.", 0, [f.upload(f.png_bytes(), "a.png")])
    world["ids"].update(public_photo=report.photos[0].id, private_photo=other.photos[0].id)


ROUTES = [
    Route("GET", "/public", "/public", EVERYONE),
    Route("GET", "/public/collaborations", "/public/collaborations", EVERYONE),
    Route("GET", "/public/collaborations", "/public/collaborations?page=9", EVERYONE, note="past the last page"),
    Route("GET", "/public/map.json", "/public/map.json", EVERYONE),
    Route("GET", "/public/photos/<int:photo_id>", "/public/photos/{public_photo}", EVERYONE),
    Route("GET", "/public/photos/<int:photo_id>", "/public/photos/{private_photo}", expect(404),
          note="collaboration not completed"),
    Route("GET", "/public/photos/<int:photo_id>", "/public/photos/999999", expect(404), note="missing"),
    Route("GET", "/public/data", "/public/data", EVERYONE),
    Route("GET", "/public/data/<name>.csv", "/public/data/kelurahan.csv", EVERYONE),
    Route("GET", "/public/data/<name>.csv", "/public/data/partners.csv", EVERYONE),
    Route("GET", "/public/data/<name>.csv", "/public/data/users.csv", expect(404), note="unknown data set"),
    # issue 19: the same rows as JSON, the DCAT-AP catalogue and CKAN's action API (gandeng.opendata)
    Route("GET", "/public/data/<name>.json", "/public/data/collaborations.json", EVERYONE),
    Route("GET", "/public/data/<name>.json", "/public/data/users.json", expect(404), note="unknown data set"),
    Route("GET", "/public/data/catalog.jsonld", "/public/data/catalog.jsonld", EVERYONE),
    Route("GET", "/api/3/action/package_list", "/api/3/action/package_list", EVERYONE),
    Route("GET", "/api/3/action/package_show", "/api/3/action/package_show?id=gandeng-gendong-partners", EVERYONE),
    Route("GET", "/api/3/action/package_show", "/api/3/action/package_show?id=users", expect(404),
          note="unknown data set"),
    Route("GET", "/api/3/action/package_search", "/api/3/action/package_search", EVERYONE),
    Route("GET", "/api/3/action/organization_list", "/api/3/action/organization_list", EVERYONE),
    Route("GET", "/api/3/action/status_show", "/api/3/action/status_show", EVERYONE),
    Route("GET", "/api/3/action/help_show", "/api/3/action/help_show?name=package_show", EVERYONE),
    Route("GET", "/api/3/action/<action>", "/api/3/action/user_list", expect(400), note="an action not offered"),
]
