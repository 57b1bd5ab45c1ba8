"""WhatsApp click-to-chat links beside the contact numbers staff and coordinators may see."""
from gandeng.accounts.services import update_organisation
from gandeng.needs.models import NeedStatus
from tests import factories as f
from tests.conftest import login


def test_admin_user_page_shows_whatsapp_link_beside_the_phone(client, session):
    staff = f.make_staff(session)
    partner = f.make_partner(session, phone="+62 812-3456-7890")
    session.commit()
    login(client, staff)
    text = client.get(f"/admin/users/{partner.id}").text
    assert "+6281234567890" in text  # stored in E.164 (issue 14)
    assert 'href="https://wa.me/6281234567890"' in text


def test_admin_user_page_without_a_phone_has_no_whatsapp_link(client, session):
    staff = f.make_staff(session)
    partner = f.make_partner(session)
    session.commit()
    login(client, staff)
    assert "wa.me" not in client.get(f"/admin/users/{partner.id}").text


def test_organisation_page_shows_whatsapp_link_for_its_contact_number(client, session):
    staff = f.make_staff(session)
    organisation = f.make_organisation(session, "PT Sumber Makmur")
    update_organisation(session, staff, organisation, {"name": "PT Sumber Makmur", "type": "korporat",
                                                       "phone": "0811-2233-4455"})
    session.commit()
    login(client, staff)
    assert 'href="https://wa.me/6281122334455"' in client.get(f"/admin/organisations/{organisation.id}").text


def test_need_page_whatsapp_link_comes_from_the_filter_for_the_own_coordinator(client, session):
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.VERIFIED, contact_phone="0857 1122 3344")
    session.commit()
    login(client, coordinator)
    assert 'href="https://wa.me/6285711223344"' in client.get(f"/needs/{need.id}").text


def test_filter_is_registered_for_templates(app):
    rendered = app.jinja_env.from_string("{{ '0812-3456-7890'|wa_link }}|{{ 'x'|wa_link or '' }}").render()
    assert rendered == "https://wa.me/6281234567890|"
