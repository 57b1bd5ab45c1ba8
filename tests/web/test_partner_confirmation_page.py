"""The partner's page of a collaboration to agree to: photos, households, reasons (never KMS),
kampung, next steps; the coordinator's WhatsApp only once the partner has agreed."""
import re

import pytest

from gandeng.collaborations import services
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def awaiting(session):
    kampung = f.make_kampung(session, "Kampung Ngampilan Lor")
    org = f.make_organisation(session, "PT Cahaya Gendong")
    partner = f.make_partner(session, organisation=org)
    coordinator = f.make_coordinator(session, kampung=kampung, phone="0812 2700 5555", name="Pak Wiryo")
    need = f.make_need(session, kampung=kampung, title="Jamban sehat RT 02", households=7, kms_households=5)
    photo = f.make_attachment(session, need, filename="lokasi.png")
    offer = f.make_offer(session, organisation=org, capacity_rp=30_000_000)
    staff = f.make_staff(session)
    proposal = f.proposal_for(session, need, offer, reasons=["kategori sama: Sanitasi",
                                                            "urgensi tinggi, 71% KK pemegang KMS"])
    commitment = services.approve_proposal(session, staff, proposal)
    session.commit()
    return {"partner": partner, "coordinator": coordinator, "commitment": commitment, "photo": photo,
            "staff": staff}


def _page(client, commitment) -> str:
    return re.sub(r"\s+", " ", client.get(f"/collaborations/{commitment.id}").get_data(as_text=True))


def test_partner_sees_what_they_agree_to_without_kms_figures(client, awaiting):
    login(client, awaiting["partner"])
    page = _page(client, awaiting["commitment"])
    assert f'/needs/{awaiting["commitment"].need_id}/attachments/{awaiting["photo"].id}' in page
    assert "7 KK" in page and "Kampung Ngampilan Lor" in page
    assert "kategori sama: Sanitasi" in page and "urgensi tinggi" in page
    assert "KMS" not in page and "71%" not in page
    assert "Apa yang terjadi selanjutnya" in page and "Sanggupi kerja sama ini" in page
    assert "wa.me" not in page and "setelah Anda menyanggupi" in page


def test_coordinators_whatsapp_appears_once_the_partner_has_agreed(client, session, awaiting):
    services.confirm_collaboration(session, awaiting["partner"], awaiting["commitment"])
    session.commit()
    login(client, awaiting["partner"])
    page = _page(client, awaiting["commitment"])
    assert 'href="https://wa.me/6281227005555"' in page and "Pak Wiryo" in page
    assert "Apa yang terjadi selanjutnya" not in page
