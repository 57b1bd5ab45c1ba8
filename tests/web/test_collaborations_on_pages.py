"""A need's page and an offer's page list their collaborations, to those who may see them."""
from tests import factories as f
from tests.conftest import login


def _world(session):
    coordinator = f.make_coordinator(session)
    need = f.make_need(session, kampung=coordinator.kampung, title="Jamban sehat RT 03", cost_rp=4_000_000)
    offer = f.make_offer(session, title="Dana CSR sanitasi")
    partner = f.make_partner(session, organisation=offer.organisation)
    other_partner = f.make_partner(session, organisation=f.make_organisation(session, name="Lain"))
    collaboration = f.make_collaboration(session, need=need, offer=offer, amount_rp=1_500_000)
    session.commit()
    return dict(coordinator=coordinator, need=need, offer=offer, partner=partner, other_partner=other_partner,
                collaboration=collaboration, staff=f.make_staff(session))


def test_need_page_lists_its_collaborations_for_the_kampung_coordinator(client, session):
    w = _world(session)
    login(client, w["coordinator"])
    page = client.get(f"/needs/{w['need'].id}").text
    assert f'href="/collaborations/{w["collaboration"].id}"' in page
    assert "Dana CSR sanitasi" in page and "Rp1.500.000" in page


def test_offer_page_lists_its_collaborations_for_the_partner_and_staff(client, session):
    w = _world(session)
    for user in (w["partner"], w["staff"]):
        login(client, user)
        page = client.get(f"/offers/{w['offer'].id}").text
        assert f'href="/collaborations/{w["collaboration"].id}"' in page, user.role
        assert "Jamban sehat RT 03" in page
        client.post("/logout")


def test_outsiders_see_no_collaboration_on_the_pages(client, session):
    w = _world(session)
    assert "/collaborations/" not in client.get(f"/needs/{w['need'].id}").text
    assert "/collaborations/" not in client.get(f"/offers/{w['offer'].id}").text
    login(client, w["other_partner"])
    assert "/collaborations/" not in client.get(f"/offers/{w['offer'].id}").text
    assert "/collaborations/" not in client.get(f"/needs/{w['need'].id}").text
