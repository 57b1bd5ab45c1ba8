"""Showing, activating and withdrawing an offer."""
from sqlalchemy import select

from gandeng.audit.models import AuditEvent
from gandeng.offers.models import OfferStatus
from tests import factories as f
from tests.conftest import login


def test_offer_page_shows_figures_and_the_actions_the_owner_may_take(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, status=OfferStatus.DRAFT,
                         capacity_rp=25_000_000, title="Pelatihan barista")
    session.commit()
    login(client, partner)
    page = client.get(f"/offers/{offer.id}").text
    assert "Pelatihan barista" in page
    assert "Rp25.000.000" in page
    assert f"/offers/{offer.id}/activate" in page
    assert f"/offers/{offer.id}/withdraw" in page
    assert f"/offers/{offer.id}/edit" in page


def test_visitor_sees_an_active_offer_without_any_action(client, session):
    offer = f.make_offer(session, title="Dana PJU kampung")
    session.commit()
    page = client.get(f"/offers/{offer.id}").text
    assert "Dana PJU kampung" in page
    assert "/activate" not in page and "/withdraw" not in page and "/edit" not in page


def test_partner_activates_own_draft(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, status=OfferStatus.DRAFT)
    session.commit()
    login(client, partner)
    response = client.post(f"/offers/{offer.id}/activate", follow_redirects=True)
    assert "Penawaran sudah aktif." in response.text
    session.expire_all()
    assert offer.status == OfferStatus.ACTIVE
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.activate")).actor_id == partner.id


def test_activation_is_refused_while_the_organisation_is_unverified(client, session):
    organisation = f.make_organisation(session, verified=False)
    partner = f.make_partner(session, organisation=organisation)
    offer = f.make_offer(session, organisation=organisation, status=OfferStatus.DRAFT)
    session.commit()
    login(client, partner)
    response = client.post(f"/offers/{offer.id}/activate", follow_redirects=True)
    assert "belum dapat diaktifkan" in response.text
    session.expire_all()
    assert offer.status == OfferStatus.DRAFT


def test_partner_withdraws_own_active_offer_with_a_reason(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation)
    session.commit()
    login(client, partner)
    response = client.post(f"/offers/{offer.id}/withdraw", data={"reason": "Anggaran dialihkan"})
    assert response.status_code == 302
    session.expire_all()
    assert offer.status == OfferStatus.WITHDRAWN
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.withdraw"))
    assert event.note == "Anggaran dialihkan"
    # Withdrawn offers leave the public list but stay visible to the own organisation.
    assert offer.title in client.get(f"/offers/{offer.id}").text


def test_partner_of_another_organisation_cannot_withdraw(client, session):
    offer = f.make_offer(session)
    stranger = f.make_partner(session)
    session.commit()
    login(client, stranger)
    assert client.post(f"/offers/{offer.id}/withdraw").status_code == 403
    session.expire_all()
    assert offer.status == OfferStatus.ACTIVE


def test_staff_may_withdraw_any_offer(client, session):
    staff = f.make_staff(session)
    offer = f.make_offer(session)
    session.commit()
    login(client, staff)
    client.post(f"/offers/{offer.id}/withdraw")
    session.expire_all()
    assert offer.status == OfferStatus.WITHDRAWN


def test_withdrawn_offer_can_no_longer_be_edited(client, session):
    partner = f.make_partner(session)
    offer = f.make_offer(session, organisation=partner.organisation, status=OfferStatus.WITHDRAWN)
    session.commit()
    login(client, partner)
    assert client.get(f"/offers/{offer.id}/edit").status_code == 403
