"""Expected statuses for the offer pages: list, create, show, edit, activate, withdraw."""
from tests.web.routes import Route, expect

# A complete, valid offer form.
OFFER_FORM = {
    "kind": "dana",
    "title": "Beasiswa anak KMS",
    "description": "Beasiswa untuk 20 anak dari keluarga pemegang KMS.",
    "capacity_rp": "20.000.000",
    "valid_until": "31/12/2099",
    "save_draft": "Simpan sebagai draf",
}

# Drafts are visible only to the own organisation and staff (404 for everyone else);
# an active offer is public, so those who may not change it get 403.
DRAFT_HIDDEN = dict(coordinator=404, other_coordinator=404, other_partner=404, office=404, group=404)
ACTIVE_FORBIDDEN = dict(coordinator=403, other_coordinator=403, other_partner=403, office=403, group=403)

ROUTES = [
    Route("GET", "/offers", "/offers", expect(200)),
    Route("GET", "/offers", "/offers?status=draft&kind=dana&page=2", expect(200), note="filters"),
    Route("GET", "/offers/new", "/offers/new", expect(403, anon=302, partner=200, other_partner=200)),
    Route("POST", "/offers/new", "/offers/new", expect(403, anon=302, partner=302, other_partner=302),
          data=OFFER_FORM),
    Route("POST", "/offers/new", "/offers/new", expect(403, anon=302, partner=200, other_partner=200),
          data={"title": ""}, note="invalid"),
    Route("GET", "/offers/<int:offer_id>", "/offers/{offer_draft}", expect(200, anon=404, **DRAFT_HIDDEN),
          note="draft"),
    Route("GET", "/offers/<int:offer_id>", "/offers/{offer_active}", expect(200), note="active"),
    Route("GET", "/offers/<int:offer_id>", "/offers/999999", expect(404), note="missing"),
    Route("GET", "/offers/<int:offer_id>/edit", "/offers/{offer_draft}/edit",
          expect(200, anon=302, **DRAFT_HIDDEN), note="draft"),
    Route("GET", "/offers/<int:offer_id>/edit", "/offers/{offer_active}/edit",
          expect(200, anon=302, **ACTIVE_FORBIDDEN), note="active"),
    Route("POST", "/offers/<int:offer_id>/edit", "/offers/{offer_draft}/edit",
          expect(302, anon=302, **DRAFT_HIDDEN), data=OFFER_FORM, note="draft"),
    Route("POST", "/offers/<int:offer_id>/edit", "/offers/{offer_active}/edit",
          expect(302, anon=302, **ACTIVE_FORBIDDEN), data=OFFER_FORM, note="active"),
    Route("POST", "/offers/<int:offer_id>/activate", "/offers/{offer_draft}/activate",
          expect(302, **DRAFT_HIDDEN), note="draft"),
    Route("POST", "/offers/<int:offer_id>/activate", "/offers/{offer_active}/activate",
          expect(403, anon=302), note="already active"),
    Route("POST", "/offers/<int:offer_id>/withdraw", "/offers/{offer_active}/withdraw",
          expect(302, **ACTIVE_FORBIDDEN), note="active"),
    Route("POST", "/offers/<int:offer_id>/withdraw", "/offers/{offer_draft}/withdraw",
          expect(302, **DRAFT_HIDDEN), note="draft"),
]
