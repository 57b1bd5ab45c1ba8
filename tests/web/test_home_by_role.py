"""Each role lands on its own work after logging in; visitors keep the public brochure."""
import re
from datetime import timedelta

import pytest

from gandeng.collaborations.models import CommitmentStatus
from gandeng.db import utcnow
from gandeng.needs.models import NeedStatus
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def kampung_world(session):
    kampung = f.make_kampung(session, "Kampung Kenari")
    org = f.make_organisation(session, "PT Kenari Peduli")
    w = {
        "kampung": kampung,
        "coordinator": f.make_coordinator(session, kampung=kampung),
        "partner": f.make_partner(session, organisation=org),
        "staff": f.make_staff(session),
        "admin": f.make_admin(session),
        "offer": f.make_offer(session, organisation=org, capacity_rp=50_000_000, title="CSR sanitasi kota"),
    }
    w["returned"] = f.make_need(session, kampung=kampung, status=NeedStatus.RETURNED, title="Sumur bor RT 02")
    w["returned"].status_reason = "Lampirkan foto lokasi sumur."
    w["draft"] = f.make_need(session, kampung=kampung, status=NeedStatus.DRAFT, title="Draf posyandu")
    w["proposed"] = f.make_need(session, kampung=kampung, title="Jamban sehat RT 05", cost_rp=8_000_000)
    f.proposal_for(session, w["proposed"], w["offer"])
    w["awaiting"] = f.make_need(session, kampung=kampung, title="Talut longsor RW 3", cost_rp=9_000_000)
    w["collab"] = f.make_collaboration(session, need=w["awaiting"], offer=w["offer"], staff=w["staff"])
    session.commit()
    return w


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_visitor_sees_the_public_brochure(client, kampung_world):
    page = _text(client.get("/"))
    assert "Daftar sebagai koordinator atau mitra" in page
    assert "Kampung sudah dibantu" in page


def test_login_lands_the_coordinator_on_their_kampungs_needs_with_what_each_waits_for(client, kampung_world):
    response = login(client, kampung_world["coordinator"])
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    page = _text(client.get("/"))
    assert "Tulis kebutuhan" in page and "/needs/new" in page
    assert "Sumur bor RT 02" in page and "Lampirkan foto lokasi sumur." in page
    assert f"/needs/{kampung_world['returned'].id}/edit" in page
    assert "1 usulan mitra sedang ditimbang petugas." in page
    assert "menunggu mitra menyanggupi" in page
    # The one to fix comes first.
    assert page.index("Sumur bor RT 02") < page.index("Jamban sehat RT 05")
    assert "Semua 4 kebutuhan kampung" in page


def test_coordinator_is_asked_to_confirm_a_reported_completion(client, session, kampung_world):
    need = f.make_need(session, kampung=kampung_world["kampung"], title="Atap rumah Mbah Sastro")
    collaboration = f.make_collaboration(session, need=need, offer=kampung_world["offer"], status="reported")
    session.commit()
    login(client, kampung_world["coordinator"])
    page = _text(client.get("/"))
    assert f"/collaborations/{collaboration.id}" in page and "Konfirmasi selesai" in page
    assert page.index("Atap rumah Mbah Sastro") < page.index("Talut longsor RW 3")


def test_partner_home_counts_what_waits_for_them_as_links(client, session, kampung_world):
    login(client, kampung_world["partner"])
    page = _text(client.get("/"))
    assert "Tawarkan bantuan" in page and "/offers/new" in page
    # One collaboration to agree to: the count links straight to it.
    assert re.search(rf'href="/collaborations/{kampung_world["collab"].id}"[^>]*> <span>Kerja sama untuk disanggupi'
                     r'</span><span [^>]*>1</span>', page), page
    # The verified need with a proposal fits the active offer (sanitation, whole city).
    assert "Jamban sehat RT 05" in page


def test_partner_owes_a_report_after_thirty_days_without_news(client, session, kampung_world):
    collaboration = kampung_world["collab"]
    from gandeng.collaborations import services

    services.confirm_collaboration(session, kampung_world["staff"], collaboration)
    collaboration.confirmed_at = utcnow() - timedelta(days=31)
    session.commit()
    login(client, kampung_world["partner"])
    page = _text(client.get("/"))
    assert re.search(r'Laporan kemajuan yang ditunggu</span><span [^>]*>1</span>', page), page


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admin_land_on_their_queues_with_counts_as_links(client, session, kampung_world, role):
    f.make_need(session, kampung=kampung_world["kampung"], status=NeedStatus.SUBMITTED)
    f.make_user(session, status="pending")
    f.make_organisation(session, "Komunitas Baru", verified=False)
    kampung_world["collab"].created_at = utcnow() - timedelta(days=40)
    session.commit()
    login(client, kampung_world[role])
    page = _text(client.get("/"))
    counts = dict(re.findall(r'data-queue="(\w+)">.*?home-count">(\d+)</span>', page))
    assert counts == {"needs": "1", "proposals": "1", "users": "1", "organisations": "1",
                      "awaiting": "1", "running": "0"}, counts  # Nglarisi's four queues only when not empty
    assert 'href="/needs?status=submitted"' in page and 'href="/review"' in page
    assert kampung_world["collab"].status == CommitmentStatus.AWAITING_PARTNER


def test_english_home_counts_with_proper_plurals(client, session, kampung_world):
    login(client, kampung_world["coordinator"])
    client.get("/bahasa/en")
    page = _text(client.get("/"))
    assert "2 needs wait for you" in page and "1 partner proposal is being weighed by city staff." in page
    assert "All 4 needs of the kampung" in page and "(s)" not in page


def test_switching_language_keeps_notifications_in_step(client, session, kampung_world):
    login(client, kampung_world["partner"])
    client.get("/bahasa/en")
    session.expire_all()
    assert kampung_world["partner"].locale == "en"


def _home_line(page: str, title: str) -> str:
    """The coordinator home's line for one need: its title up to the next need."""
    start = page.index(title)
    end = page.find('class="home-item', start)
    return page[start:end if end > 0 else None]


def test_coordinator_home_says_what_each_collaboration_really_does(client, session):
    """A partner at work shows its last progress (and any partner still to agree); a fully funded need
    waiting for its partner says so; a completed need is done; a cancelled collaboration is not
    "waiting for the partner"."""
    from gandeng.collaborations import services

    kampung = f.make_kampung(session, "Kampung Balirejo Uji")
    coordinator = f.make_coordinator(session, kampung=kampung)
    staff = f.make_staff(session)
    offer = f.make_offer(session, organisation=f.make_organisation(session, "PT Atap"), capacity_rp=50_000_000)
    other = f.make_offer(session, organisation=f.make_organisation(session, "Baznas Kota"), capacity_rp=50_000_000)
    roof = f.make_need(session, kampung=kampung, title="Atap bocor tiga rumah", cost_rp=30_000_000,
                       partial_ok=True)
    running = f.make_collaboration(session, need=roof, offer=offer, amount_rp=15_000_000, status="in_progress")
    services.report_progress(session, f.make_partner(session, organisation=offer.organisation), running, 40,
                             "Rangka atap terpasang.")
    f.make_collaboration(session, need=roof, offer=other, amount_rp=12_000_000)
    funded = f.make_need(session, kampung=kampung, title="Drainase RW 07", cost_rp=6_000_000)
    f.make_collaboration(session, need=funded, offer=other)
    assert funded.status == NeedStatus.MATCHED
    done = f.make_need(session, kampung=kampung, title="Jamban RT 09 selesai", cost_rp=5_000_000)
    f.make_completed_collaboration(session, done, other)
    dropped = f.make_need(session, kampung=kampung, title="Sumur RT 11", cost_rp=4_000_000)
    gone = f.make_collaboration(session, need=dropped, offer=other)
    services.cancel_collaboration(session, staff, gone, "Mitra mundur.")
    session.commit()

    login(client, coordinator)
    page = _text(client.get("/"))
    roof_line = _home_line(page, "Atap bocor tiga rumah")
    assert "kemajuan terakhir 40%" in roof_line and "1 mitra lain belum menyanggupi." in roof_line
    assert "Mitra sudah dipilih" not in roof_line
    assert "menunggu mitra menyanggupi" in _home_line(page, "Drainase RW 07")
    done_line = _home_line(page, "Jamban RT 09 selesai")
    assert "Selesai. Terima kasih!" in done_line and "menyanggupi" not in done_line
    dropped_line = _home_line(page, "Sumur RT 11")
    assert "dibatalkan" in dropped_line and "menyanggupi" not in dropped_line
