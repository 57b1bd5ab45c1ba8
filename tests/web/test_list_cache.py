"""The lists of needs and offers reuse a rendered page while nothing they show has changed
(gandeng/list_cache.py), yet every write shows at once, and no audience ever gets another's copy:
a kampung's drafts stay with its coordinators, an organisation's drafts with its partners."""
from sqlalchemy import update

from gandeng.db import db
from gandeng.needs import services as needs
from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import OfferStatus
from gandeng.reports.public_version import LISTS, current_stamp, mark_lists_changed
from tests import factories as f
from tests.conftest import login


def test_the_same_page_asked_twice_is_rendered_once(client, session, app):
    f.make_need(session, title="Sumur bor RT 04")
    session.commit()
    first = client.get("/needs").text
    kept = len(app.extensions["list_cache"]._entries)
    second = client.get("/needs").text
    assert "Sumur bor RT 04" in first and first == second
    assert kept == 1 and len(app.extensions["list_cache"]._entries) == 1


def test_a_verified_need_is_listed_at_once(client, session):
    staff = f.make_staff(session)
    need = f.make_need(session, status=NeedStatus.SUBMITTED, title="Talang air mushola")
    session.commit()
    assert "Talang air mushola" not in client.get("/needs").text
    needs.verify_need(session, staff, need)
    session.commit()
    assert "Talang air mushola" in client.get("/needs").text


def test_a_changed_title_and_a_new_offer_show_at_once(client, session):
    need = f.make_need(session, title="Atap balai bocor")
    session.commit()
    assert "Atap balai bocor" in client.get("/needs").text
    assert "Beasiswa kampus" not in client.get("/offers").text
    need.title = "Atap balai RW 07 bocor"
    f.make_offer(session, title="Beasiswa kampus")
    session.commit()
    assert "Atap balai RW 07 bocor" in client.get("/needs").text
    assert "Beasiswa kampus" in client.get("/offers").text


def test_a_write_without_the_orm_moves_the_version_when_it_says_so(client, session):
    need = f.make_need(session, title="Jalan setapak licin")
    session.commit()
    assert "Jalan setapak licin" in client.get("/needs").text
    before = current_stamp(session, LISTS)
    session.execute(update(Need.__table__).where(Need.__table__.c.id == need.id).values(title="Jalan setapak RW 02"))
    mark_lists_changed(session)
    session.commit()
    assert current_stamp(session, LISTS).version == before.version + 1
    assert "Jalan setapak RW 02" in client.get("/needs").text


def test_a_log_in_does_not_throw_the_lists_away(client, session):
    staff = f.make_staff(session)
    session.commit()
    before = current_stamp(session, LISTS)
    assert login(client, staff).status_code == 302
    client.get("/needs")
    assert current_stamp(session, LISTS) == before


def test_a_kampung_draft_is_never_served_to_another_kampung(app, session):
    home, other = f.make_kampung(session, "Kampung Tegal"), f.make_kampung(session, "Kampung Ledok")
    own = f.make_coordinator(session, kampung=home)
    stranger = f.make_coordinator(session, kampung=other)
    staff = f.make_staff(session)
    f.make_need(session, kampung=home, status=NeedStatus.DRAFT, title="Draf rahasia Tegal")
    session.commit()
    seen = {}
    for name, user in (("own", own), ("stranger", stranger), ("staff", staff), ("anonymous", None)):
        client = app.test_client()
        if user is not None:
            assert login(client, user).status_code == 302
        seen[name] = client.get("/needs?status=draft").text
    assert "Draf rahasia Tegal" in seen["own"]
    for name in ("stranger", "staff", "anonymous"):
        assert "Draf rahasia Tegal" not in seen[name], name


def test_an_organisation_draft_offer_is_never_served_to_another_partner(app, session):
    mine, theirs = f.make_organisation(session, "PT Satu"), f.make_organisation(session, "PT Dua")
    owner = f.make_partner(session, organisation=mine)
    other = f.make_partner(session, organisation=theirs)
    f.make_offer(session, organisation=mine, status=OfferStatus.DRAFT, title="Draf penawaran PT Satu")
    session.commit()
    pages = {}
    for name, user in (("owner", owner), ("other", other)):
        client = app.test_client()
        assert login(client, user).status_code == 302
        pages[name] = client.get("/offers").text
    pages["anonymous"] = app.test_client().get("/offers").text
    assert "Draf penawaran PT Satu" in pages["owner"]
    assert "Draf penawaran PT Satu" not in pages["other"]
    assert "Draf penawaran PT Satu" not in pages["anonymous"]


def test_each_language_and_query_has_its_own_copy(client, session):
    f.make_need(session, title="Sumur resapan", category_code="health")
    f.make_need(session, title="Jamban komunal", category_code="sanitation")
    session.commit()
    assert "Jamban komunal" not in client.get("/needs?category=health").text
    assert "Jamban komunal" in client.get("/needs").text
    assert "Kebutuhan kampung" in client.get("/needs").text
    client.get("/bahasa/en")
    english = client.get("/needs").text
    assert "Kebutuhan kampung" not in english and "Sumur resapan" in english


def test_the_page_around_the_list_is_still_the_users(app, session):
    staff = f.make_staff(session, name="Bu Ratri Petugas")
    session.commit()
    anonymous = app.test_client().get("/needs").text
    client = app.test_client()
    login(client, staff)
    signed_in = client.get("/needs").text
    assert "Bu Ratri Petugas" not in anonymous
    assert "Bu Ratri Petugas" in signed_in
    db.session.remove()
