"""The matcher's inputs read from the database: every field of a need and an offer lands where the
engine expects it (the loading stage unpacks rows by position, issue 15)."""
from datetime import date, timedelta

from gandeng.proposals import adapter
from tests import factories as f

KRICAK = "34.71.01.1001"


def test_each_field_of_a_need_and_an_offer_reaches_the_matcher_in_its_place(session):
    kampung = f.make_kampung(session, "Kampung Uji", KRICAK)
    need = f.make_need(session, kampung=kampung, category_code="education", title="Judul kebutuhan",
                       description="Uraian kebutuhan", households=9, kms_households=4, cost_rp=12_000_000,
                       deadline=date.today() + timedelta(days=30), urgency="sedang", partial_ok=True)
    offer = f.make_offer(session, kind="barang", title="Judul penawaran", description="Uraian penawaran",
                         capacity_rp=7_000_000, valid_until=date.today() + timedelta(days=90),
                         categories=["education", "health"], areas=["Tegalrejo"])
    session.commit()
    inputs = adapter.load_inputs(session)
    (got,) = [n for n in inputs.needs if n.id == need.id]
    assert (got.kelurahan_code, got.category, got.title, got.description) == (
        KRICAK, "education", "Judul kebutuhan", "Uraian kebutuhan")
    assert (got.households, got.kms_households, got.remaining_rp) == (9, 4, 12_000_000)
    assert (got.deadline, got.urgency, got.partial_ok) == (need.deadline, "sedang", True)
    assert got.kemantren_code == kampung.kelurahan.kemantren_code
    (given,) = [o for o in inputs.offers if o.id == offer.id]
    assert (given.organisation_id, given.kind, given.title, given.description) == (
        offer.organisation_id, "barang", "Judul penawaran", "Uraian penawaran")
    assert (given.remaining_rp, given.valid_until) == (7_000_000, offer.valid_until)
    assert set(given.categories) == {"education", "health"} and given.areas == tuple(a.code for a in offer.areas)
