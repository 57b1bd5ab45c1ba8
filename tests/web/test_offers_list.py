"""The offer list: who sees what, the figures on each card, filters and paging."""
from datetime import date, timedelta

from sqlalchemy import event

from gandeng.collaborations.models import Commitment, CommitmentStatus
from gandeng.db import db
from gandeng.offers.models import OfferStatus
from tests import factories as f
from tests.conftest import login


def commit_amount(session, offer, amount, status=CommitmentStatus.IN_PROGRESS):
    """An approved commitment of `amount` of `offer` to a new need, with the running totals as the
    services keep them (a cancelled one without realised money holds nothing)."""
    need = f.make_need(session)
    session.add(Commitment(need_id=need.id, offer_id=offer.id, amount_rp=amount, status=status))
    if status != CommitmentStatus.CANCELLED:
        need.committed_rp += amount
        offer.committed_rp += amount
    session.flush()


def test_anonymous_visitor_sees_active_offers_but_not_drafts(client, session):
    f.make_offer(session, title="Dana bedah rumah aktif")
    f.make_offer(session, status=OfferStatus.DRAFT, title="Rencana rahasia draf")
    f.make_offer(session, status=OfferStatus.WITHDRAWN, title="Tawaran yang ditarik")
    session.commit()
    page = client.get("/offers").text
    assert "Dana bedah rumah aktif" in page
    assert "Rencana rahasia draf" not in page
    assert "Tawaran yang ditarik" not in page


def test_partner_sees_own_drafts_but_not_drafts_of_other_organisations(client, session):
    partner = f.make_partner(session)
    f.make_offer(session, organisation=partner.organisation, status=OfferStatus.DRAFT, title="Draf milik kami")
    f.make_offer(session, organisation=partner.organisation, status=OfferStatus.WITHDRAWN, title="Ditarik milik kami")
    f.make_offer(session, status=OfferStatus.DRAFT, title="Draf organisasi lain")
    session.commit()
    login(client, partner)
    page = client.get("/offers").text
    assert "Draf milik kami" in page
    assert "Ditarik milik kami" in page
    assert "Draf organisasi lain" not in page


def test_staff_sees_every_offer_whatever_its_status(client, session):
    staff = f.make_staff(session)
    for status in OfferStatus:
        f.make_offer(session, status=status, title=f"Tawaran {status}")
    session.commit()
    login(client, staff)
    page = client.get("/offers").text
    for status in OfferStatus:
        assert f"Tawaran {status}" in page


def test_card_shows_committed_and_remaining_from_commitments(client, session):
    offer = f.make_offer(session, capacity_rp=50_000_000, title="Dana sanitasi")
    commit_amount(session, offer, 12_500_000)
    commit_amount(session, offer, 2_500_000, status=CommitmentStatus.CANCELLED)  # released, not counted
    session.commit()
    page = client.get("/offers").text
    assert "Rp50.000.000" in page
    assert "Rp12.500.000" in page
    assert "Rp37.500.000" in page


def test_card_shows_zero_committed_before_any_commitment(client, session):
    f.make_offer(session, capacity_rp=7_000_000)
    session.commit()
    page = client.get("/offers").text
    assert page.count("Rp7.000.000") == 2  # capacity and remaining
    assert "Rp0" in page


def test_card_names_areas_or_says_whole_city(client, session):
    f.make_offer(session, title="Untuk Jetis dan Kricak", areas=["Jetis", "Kricak"])
    f.make_offer(session, title="Untuk semua", areas=[])
    session.commit()
    page = client.get("/offers").text
    assert "Kemantren Jetis" in page
    assert "Kel. Kricak" in page
    assert "Seluruh kota" in page


def test_active_offer_past_its_date_shows_as_expired(client, session):
    offer = f.make_offer(session, title="Sudah lewat")
    offer.valid_until = date.today() - timedelta(days=3)
    session.commit()
    page = client.get("/offers?status=expired").text
    assert "Sudah lewat" in page
    assert "Kedaluwarsa" in page
    assert "Sudah lewat" not in client.get("/offers?status=active").text


def test_filters_by_kind_category_and_organisation_type(client, session):
    kampus = f.make_organisation(session, "Politeknik Contoh", "kampus")
    f.make_offer(session, organisation=kampus, kind="pelatihan", categories=["training"], title="Kelas menjahit")
    f.make_offer(session, kind="dana", categories=["housing"], title="Dana RTLH")
    f.make_offer(session, kind="barang", categories=[], title="Barang apa saja")
    session.commit()
    by_kind = client.get("/offers?kind=pelatihan").text
    assert "Kelas menjahit" in by_kind and "Dana RTLH" not in by_kind
    by_category = client.get("/offers?category=housing").text
    assert "Dana RTLH" in by_category
    assert "Barang apa saja" in by_category  # no categories means every category
    assert "Kelas menjahit" not in by_category
    by_type = client.get("/offers?org_type=kampus").text
    assert "Kelas menjahit" in by_type and "Dana RTLH" not in by_type


def test_anonymous_status_filter_for_drafts_reveals_nothing(client, session):
    f.make_offer(session, status=OfferStatus.DRAFT, title="Draf tersembunyi")
    session.commit()
    response = client.get("/offers?status=draft")
    assert response.status_code == 200
    assert "Draf tersembunyi" not in response.text


def test_list_is_paged(client, session, app):
    organisation = f.make_organisation(session)
    for n in range(app.config["PER_PAGE"] + 3):
        f.make_offer(session, organisation=organisation, title=f"Tawaran nomor {n:02d}")
    session.commit()
    first = client.get("/offers").text
    second = client.get("/offers?page=2").text
    assert "Halaman 1 dari 2" in first
    assert first.count("card-offer") == app.config["PER_PAGE"]
    assert second.count("card-offer") == 3
    assert "Tawaran nomor 00" in second  # oldest last


def _queries_for(client, path):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_list_runs_no_query_per_offer(client, session):
    organisation = f.make_organisation(session)
    offers = [f.make_offer(session, organisation=organisation, areas=["Jetis"]) for _ in range(2)]
    commit_amount(session, offers[0], 1_000_000)
    session.commit()
    few = _queries_for(client, "/offers")
    more = [f.make_offer(session, organisation=f.make_organisation(session), areas=["Kricak"]) for _ in range(8)]
    commit_amount(session, more[0], 1_000_000)
    session.commit()
    many = _queries_for(client, "/offers")
    assert many == few
