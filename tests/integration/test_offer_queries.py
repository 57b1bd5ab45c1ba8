"""Offer queries: visibility by role, filters and derived figures."""
from datetime import date, timedelta

from gandeng.collaborations.lifecycle import decline_collaboration
from gandeng.offers import queries
from gandeng.offers.models import OfferStatus
from tests import factories as f


def titles(session, query):
    return {offer.title for offer in session.scalars(query)}


def test_visible_offers_follow_the_view_policy_for_each_role(session):
    partner = f.make_partner(session)
    coordinator = f.make_coordinator(session)
    staff = f.make_staff(session)
    f.make_offer(session, title="aktif")
    f.make_offer(session, organisation=partner.organisation, status=OfferStatus.DRAFT, title="draf sendiri")
    f.make_offer(session, status=OfferStatus.DRAFT, title="draf lain")
    f.make_offer(session, status=OfferStatus.WITHDRAWN, title="ditarik lain")
    assert titles(session, queries.visible_offers(None)) == {"aktif"}
    assert titles(session, queries.visible_offers(coordinator)) == {"aktif"}
    assert titles(session, queries.visible_offers(partner)) == {"aktif", "draf sendiri"}
    assert titles(session, queries.visible_offers(staff)) == {"aktif", "draf sendiri", "draf lain", "ditarik lain"}


def test_status_filter_uses_the_shown_status(session):
    f.make_offer(session, title="masih berlaku")
    f.make_offer(session, title="lewat", valid_until=date.today() - timedelta(days=1))
    f.make_offer(session, title="tanpa batas", valid_until=None)
    staff = f.make_staff(session)
    visible = queries.visible_offers(staff)
    active = queries.filter_offers(visible, status="active", today=date.today())
    expired = queries.filter_offers(visible, status="expired", today=date.today())
    assert titles(session, active) == {"masih berlaku", "tanpa batas"}
    assert titles(session, expired) == {"lewat"}


def test_figures_count_only_commitments_that_hold_money(session):
    offer = f.make_offer(session, capacity_rp=10_000_000)
    idle = f.make_offer(session, capacity_rp=5_000_000)
    staff = f.make_staff(session)
    f.make_collaboration(session, f.make_need(session), offer, 4_000_000, staff=staff, status="completed")
    declined = f.make_collaboration(session, f.make_need(session), offer, 1_000_000, staff=staff)
    decline_collaboration(session, staff, declined, "Dana tahun ini sudah habis.")
    session.flush()
    figures = queries.figures_for(session, [offer, idle])
    assert (figures[offer.id].committed_rp, figures[offer.id].remaining_rp) == (4_000_000, 6_000_000)
    assert (figures[idle.id].committed_rp, figures[idle.id].remaining_rp) == (0, 5_000_000)
