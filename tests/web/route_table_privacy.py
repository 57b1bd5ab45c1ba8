"""Expected statuses for the privacy pages (issue 19): the notice and the request form are for everyone;
the queue for admins and DPOs only (no DPO in this world); a user's data for the signed-in user."""
from tests.web.routes import Route, expect

HANDLERS = expect(403, anon=302, admin=200)
REQUEST = {"kind": "access", "name": "Bu Tini", "contact": "tini@contoh.id", "details": ""}


def extend_world(session, world):
    """One open request (id `privacy_request`)."""
    from gandeng.privacy.requests import file_request

    world["ids"]["privacy_request"] = file_request(session, None, "access", "Bu Tini", "tini@contoh.id", "").id
    _extend_incident(session, world)


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


def _extend_incident(session, world):
    from datetime import timedelta

    from gandeng.db import utcnow
    from gandeng.privacy.incidents import record_incident

    world["ids"]["privacy_incident"] = record_incident(
        session, world["users"]["staff"], what="Salah kirim", how="", remedy="", found_at=utcnow() - timedelta(hours=1),
        data_kinds=["beneficiaries"], need_ids=[], people_count=1).id


INCIDENT = {"what": "Laptop hilang", "found_at": "2026-12-01T09:30", "data_kinds": ["beneficiaries"],
            "people_count": "4"}
STAFF_ONLY = expect(403, anon=302, staff=200, admin=200)
ROUTES += [
    Route("GET", "/privasi/insiden", "/privasi/insiden", STAFF_ONLY),
    Route("POST", "/privasi/insiden", "/privasi/insiden", expect(403, anon=302, staff=302, admin=302),
          data=INCIDENT, note="staff record; only the DPO and admins open one"),
    Route("GET", "/privasi/insiden/<int:incident_id>", "/privasi/insiden/{privacy_incident}", HANDLERS),
    Route("POST", "/privasi/insiden/<int:incident_id>", "/privasi/insiden/{privacy_incident}",
          expect(403, anon=302, admin=302), data={"whom": "authority"}),
    Route("GET", "/privasi/insiden/<int:incident_id>.csv", "/privasi/insiden/{privacy_incident}.csv", HANDLERS),
]
