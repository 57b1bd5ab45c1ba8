"""Expected statuses for the privacy pages (issue 19): the notice and the request form are for everyone;
the queue for admins and DPOs only (no DPO in this world); a user's data for the signed-in user."""
from tests.web.routes import Route, expect

HANDLERS = expect(403, anon=302, admin=200)
REQUEST = {"kind": "access", "name": "Bu Tini", "contact": "tini@contoh.id", "details": ""}


def extend_world(session, world):
    """One open request (id `privacy_request`)."""
    from gandeng.privacy.requests import file_request

    world["ids"]["privacy_request"] = file_request(session, None, "access", "Bu Tini", "tini@contoh.id", "").id


ROUTES = [
    Route("GET", "/privasi", "/privasi", expect(200)),
    Route("GET", "/privasi/permintaan", "/privasi/permintaan", expect(200)),
    Route("POST", "/privasi/permintaan", "/privasi/permintaan", expect(200), data=REQUEST),
    Route("GET", "/privasi/antrian", "/privasi/antrian", HANDLERS),
    Route("GET", "/privasi/antrian/<int:request_id>", "/privasi/antrian/{privacy_request}", HANDLERS),
    Route("POST", "/privasi/antrian/<int:request_id>", "/privasi/antrian/{privacy_request}",
          expect(403, anon=302, admin=400), data={"decision": "done"}),
    Route("GET", "/profile/data.json", "/profile/data.json", expect(200, anon=302)),
    Route("GET", "/profile/data.pdf", "/profile/data.pdf", expect(200, anon=302)),
]
