"""Expected statuses for the needs pages: list, write, edit, decisions and attachments."""
from tests import factories as f
from tests.web.routes import Route, expect

NEW_NEED = {
    "category": "sanitation", "title": "Tandon air bersih", "description": "Tandon untuk 10 KK.",
    "cost_rp": "2.500.000", "urgency": "sedang", "households": "10", "kms_households": "4",
}
REASON = {"reason": "Lengkapi foto lokasi."}


def extend_world(session, world):
    """A photo and a PDF on the verified need (ids `photo`, `document`)."""
    need = world["need_verified"]
    world["photo"] = f.make_attachment(session, need, f.png_bytes(), "rumah.png")
    world["document"] = f.make_attachment(session, need, f.pdf_bytes(), "daftar-kk.pdf")
    world["ids"]["photo"] = world["photo"].id
    world["ids"]["document"] = world["document"].id


# Who sees which need at all (others get 404): drafts only their coordinator; submitted and
# returned ones their coordinator and staff; verified ones everybody.
OWN_ONLY = dict(other_coordinator=404, partner=404, other_partner=404, staff=404, admin=404)
OWN_AND_STAFF = dict(other_coordinator=404, partner=404, other_partner=404, office=404, group=404)

ROUTES = [
    Route("GET", "/needs", "/needs", expect(200)),
    Route("GET", "/needs", "/needs?status=verified&kemantren=34.71.01&page=2", expect(200), note="filtered"),
    Route("GET", "/needs/new", "/needs/new", expect(403, anon=302, coordinator=200, other_coordinator=200)),
    Route("POST", "/needs/new", "/needs/new", expect(403, anon=302, coordinator=302, other_coordinator=302), data=NEW_NEED),
    Route("GET", "/needs/pending/<token>", "/needs/pending/bukan-token", expect(404, anon=302),
          note="a photo kept from a form with errors: only with its signed token, only for its user"),
    Route("GET", "/needs/<int:need_id>", "/needs/{need_draft}", expect(404, coordinator=200), note="draft"),
    Route("GET", "/needs/<int:need_id>", "/needs/{need_submitted}",
          expect(200, anon=404, **OWN_AND_STAFF), note="submitted"),
    Route("GET", "/needs/<int:need_id>", "/needs/{need_verified}", expect(200), note="verified"),
    Route("GET", "/needs/<int:need_id>/edit", "/needs/{need_draft}/edit",
          expect(404, anon=302, coordinator=200), note="draft"),
    Route("GET", "/needs/<int:need_id>/edit", "/needs/{need_verified}/edit",
          expect(403, anon=302, staff=200, admin=200), note="verified: staff only"),
    Route("POST", "/needs/<int:need_id>/edit", "/needs/{need_returned}/edit",
          expect(302, anon=302, **OWN_AND_STAFF), data={**NEW_NEED, "beneficiaries_consent": "y"},
          note="returned (its households are named: the edit confirms their consent)"),
    Route("POST", "/needs/<int:need_id>/submit", "/needs/{need_draft}/submit",
          expect(404, anon=302, coordinator=302), note="draft"),
    Route("POST", "/needs/<int:need_id>/submit", "/needs/{need_returned}/submit",
          expect(403, anon=302, coordinator=302, **OWN_AND_STAFF), note="returned"),
    Route("POST", "/needs/<int:need_id>/withdraw", "/needs/{need_verified}/withdraw",
          expect(403, anon=302, coordinator=302, staff=302, admin=302), note="verified"),
    Route("POST", "/needs/<int:need_id>/withdraw", "/needs/{need_draft}/withdraw",
          expect(404, anon=302, coordinator=302), note="draft"),
    Route("POST", "/needs/<int:need_id>/verify", "/needs/{need_submitted}/verify",
          expect(403, anon=302, staff=302, admin=302, **OWN_AND_STAFF), note="submitted"),
    Route("POST", "/needs/<int:need_id>/verify", "/needs/{need_verified}/verify",
          expect(403, anon=302), note="already verified"),
    Route("POST", "/needs/<int:need_id>/return", "/needs/{need_submitted}/return",
          expect(403, anon=302, staff=302, admin=302, **OWN_AND_STAFF), data=REASON),
    Route("POST", "/needs/<int:need_id>/reject", "/needs/{need_submitted}/reject",
          expect(403, anon=302, staff=302, admin=302, **OWN_AND_STAFF), data=REASON),
    Route("POST", "/needs/<int:need_id>/attachments", "/needs/{need_draft}/attachments",
          expect(404, anon=302, coordinator=302), note="draft, no file: flashed"),
    Route("POST", "/needs/<int:need_id>/attachments", "/needs/{need_verified}/attachments",
          expect(403, anon=302, staff=302, admin=302), note="verified: staff only"),
    Route("GET", "/needs/<int:need_id>/attachments/<int:attachment_id>", "/needs/{need_verified}/attachments/{photo}",
          expect(200, anon=404, other_coordinator=404, office=404, group=404), note="photo"),
    Route("GET", "/needs/<int:need_id>/attachments/<int:attachment_id>",
          "/needs/{need_verified}/attachments/{document}",
          expect(404, coordinator=200, staff=200, admin=200), note="PDF"),
    Route("GET", "/needs/<int:need_id>/attachments/<int:attachment_id>", "/needs/{need_draft}/attachments/{photo}",
          expect(404, anon=404), note="attachment of another need"),
    Route("POST", "/needs/<int:need_id>/attachments/<int:attachment_id>/delete",
          "/needs/{need_verified}/attachments/{photo}/delete",
          expect(403, anon=302, other_coordinator=404, staff=302, admin=302, office=404, group=404), note="photo"),
    Route("POST", "/needs/<int:need_id>/attachments/<int:attachment_id>/delete",
          "/needs/{need_verified}/attachments/{document}/delete",
          expect(404, anon=302, coordinator=403, staff=302, admin=302), note="PDF"),
]
