"""Public pages of needs never show households' names, phone numbers or KMS figures."""
import pytest

from gandeng.db import db
from gandeng.needs import services
from gandeng.needs.models import NeedStatus
from tests import factories as f
from tests.conftest import login

NAMES = "Mbah Pawirodiharjo Sukiyem"
PHONE = "0899-7766-5544"
KMS = 43210


@pytest.fixture
def world(session):
    kampung = f.make_kampung(session, "Kampung Rahasia")
    coordinator = f.make_coordinator(session, kampung=kampung)
    staff = f.make_staff(session, name="Petugas Wulandari Kinasih")
    need = f.make_need(session, kampung=kampung, status=NeedStatus.SUBMITTED, title="Bedah rumah Pak RT",
                       beneficiaries=NAMES, contact_phone=PHONE, households=98765, kms_households=KMS)
    services.verify_need(session, staff, need)
    partner = f.make_partner(session)
    session.commit()
    return {"need": need, "coordinator": coordinator, "staff": staff, "partner": partner}


def _assert_no_personal_data(text):
    assert NAMES not in text
    assert PHONE not in text and "089977665544" not in text
    assert "wa.me" not in text
    assert str(KMS) not in text


def test_public_detail_of_verified_need_hides_names_phone_and_kms(client, world):
    response = client.get(f"/needs/{world['need'].id}")
    assert response.status_code == 200
    assert "Bedah rumah Pak RT" in response.text
    assert "98765" in response.text  # the number of households is public
    _assert_no_personal_data(response.text)


def test_public_list_hides_names_phone_and_kms(client, world):
    response = client.get("/needs")
    assert "Bedah rumah Pak RT" in response.text
    _assert_no_personal_data(response.text)


def test_signed_in_partner_does_not_see_personal_data(client, world):
    login(client, world["partner"])
    _assert_no_personal_data(client.get(f"/needs/{world['need'].id}").text)


def test_own_coordinator_sees_private_block_with_whatsapp_link(client, world):
    login(client, world["coordinator"])
    text = client.get(f"/needs/{world['need'].id}").text
    assert NAMES in text and PHONE in text and str(KMS) in text
    assert "https://wa.me/6289977665544" in text


def test_staff_sees_private_block(client, world):
    login(client, world["staff"])
    text = client.get(f"/needs/{world['need'].id}").text
    assert NAMES in text and PHONE in text


def test_history_shows_actor_names_only_to_staff_and_own_coordinator(client, world):
    url = f"/needs/{world['need'].id}"
    public = client.get(url).text
    assert "Verifikasi kebutuhan" in public
    assert "Petugas Wulandari Kinasih" not in public
    login(client, world["coordinator"])
    assert "Petugas Wulandari Kinasih" in client.get(url).text


def test_private_fields_never_enter_the_audit_trail(client, world):
    login(client, world["coordinator"])
    need = world["need"]
    need.status = NeedStatus.RETURNED
    db.session.commit()
    client.post(f"/needs/{need.id}/edit", data={
        "category": "housing", "title": "Bedah rumah Pak RT", "description": "Atap bocor.",
        "cost_rp": "15.000.000", "urgency": "tinggi", "households": "98765", "kms_households": str(KMS),
        "beneficiaries": "Bu Tukinem Wiryosudarmo", "contact_phone": "081100002222", "beneficiaries_consent": "y",
    })
    from gandeng.audit.services import history

    trail = repr([(e.before, e.after, e.note) for e in history(db.session, need)])
    assert "description" in trail  # the change was recorded
    assert "Tukinem" not in trail and "081100002222" not in trail


def test_need_pages_render_in_english_too(client, world):
    client.get("/bahasa/en")
    assert client.get(f"/needs/{world['need'].id}").status_code == 200
    assert client.get("/needs").status_code == 200
