"""A published pair's year on the web: the parties write and submit the plan, staff approve or send it
back, the parties send quarterly reports with photos; nobody else sees the plan or the reports."""
import io
import re
from datetime import date

from sqlalchemy import select

from gandeng.sister.models import PlanStatus, SisterPlan, SisterReport
from tests import factories as f
from tests.conftest import login

PLAN = {"q1": "Pelatihan bank sampah", "q2": "Pemilahan sampah", "themes": "sanitation",
        "target_households": "120", "target_students": "15"}


def _published(session, year=None):
    pair, users = f.make_published_sister_pair(session, year=year or date.today().year)
    session.commit()
    return pair, users


def test_parties_write_submit_and_staff_approve_the_plan(client, session):
    pair, users = _published(session)
    login(client, users["coordinator"])
    mine = client.get("/sister/mine").get_data(as_text=True)
    assert f'/sister/pairs/{pair.id}' in mine and "Kampung Sister" in mine
    page = client.get(f"/sister/pairs/{pair.id}").get_data(as_text=True)
    assert "Simpan dan ajukan" in page and "Belum ada rencana" not in page
    assert re.search(r'<input checked[^>]*value="sanitation"', page)  # a first plan: the pair's shared themes
    saved = client.post(f"/sister/pairs/{pair.id}/plan", data={**PLAN, "action": "save"}, follow_redirects=True)
    assert "Rencana tersimpan." in saved.get_data(as_text=True)
    client.post("/logout")
    login(client, users["campus"])
    submitted = client.post(f"/sister/pairs/{pair.id}/plan", data={**PLAN, "q3": "Kompos", "action": "submit"},
                            follow_redirects=True).get_data(as_text=True)
    assert "Rencana diajukan ke petugas kota." in submitted and "menunggu persetujuan" in submitted
    assert "Simpan dan ajukan" not in submitted and "Kompos" in submitted
    assert client.post(f"/sister/pairs/{pair.id}/plan", data=PLAN).status_code == 403
    client.post("/logout")
    login(client, users["staff"])
    page = client.get(f"/sister/pairs/{pair.id}").get_data(as_text=True)
    assert "Setujui rencana" in page
    refused = client.post(f"/sister/pairs/{pair.id}/plan/decision", data={"decision": "return", "note": ""})
    assert refused.status_code == 422 and "Tulis apa yang perlu diperbaiki." in refused.get_data(as_text=True)
    approved = client.post(f"/sister/pairs/{pair.id}/plan/decision", data={"decision": "approve"},
                           follow_redirects=True).get_data(as_text=True)
    assert "Rencana disetujui." in approved
    session.expire_all()
    plan = session.scalar(select(SisterPlan))
    assert plan.status == PlanStatus.APPROVED and plan.q3 == "Kompos" and plan.target_households == 120


def test_bad_plan_figures_are_shown_and_nothing_typed_is_lost(client, session):
    pair, users = _published(session)
    login(client, users["company"])
    response = client.post(f"/sister/pairs/{pair.id}/plan", data={**PLAN, "target_households": "-5",
                                                                  "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Angka harus antara 0 dan 100.000." in page
    assert "Pelatihan bank sampah" in page
    assert session.scalar(select(SisterPlan)) is None


def test_a_party_sends_a_quarter_report_with_a_photo_and_sees_it(client, session):
    pair, users = _published(session, year=2025)
    login(client, users["campus"])
    data = {"quarter": "1", "text": "Bank sampah jalan di 3 RT", "households_reached": "45", "students": "12",
            "photos": [(io.BytesIO(f.jpeg_bytes()), "kegiatan.jpg")]}
    response = client.post(f"/sister/pairs/{pair.id}/reports", data=data, content_type="multipart/form-data",
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Laporan triwulan 1 terkirim." in page and "Bank sampah jalan di 3 RT" in page
    assert "45 KK dijangkau" in page and "terlambat" in page  # 2025's first quarter is long past
    report = session.scalar(select(SisterReport))
    photo = report.photos[0]
    shown = client.get(f"/sister/pairs/{pair.id}/photos/{photo.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    again = client.post(f"/sister/pairs/{pair.id}/reports", data={"quarter": "1", "text": "lagi"})
    assert again.status_code == 422 and "Laporan triwulan 1 sudah dikirim." in again.get_data(as_text=True)
    client.post("/logout")
    login(client, users["outsider"])
    assert client.get(f"/sister/pairs/{pair.id}/photos/{photo.id}").status_code == 404
    assert client.get(f"/sister/pairs/{pair.id}").status_code == 404


def test_a_report_without_text_is_refused_with_a_message(client, session):
    pair, users = _published(session, year=2025)
    login(client, users["coordinator"])
    response = client.post(f"/sister/pairs/{pair.id}/reports", data={"quarter": "2", "text": "",
                                                                     "households_reached": "abc"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tulis apa yang sudah dikerjakan." in page
    assert session.scalar(select(SisterReport)) is None


def test_staff_open_the_pair_from_the_published_pairing(client, session):
    pair, users = _published(session)
    login(client, users["staff"])
    page = client.get(f"/sister?year={pair.round.year}").get_data(as_text=True)
    assert f"/sister/pairs/{pair.id}" in page and "Rencana dan laporan" in page
    assert client.get("/sister/mine").status_code == 302


def test_figures_on_the_dashboard_as_open_data_and_as_pdfs(client, session):
    pair, users = _published(session, year=2025)
    from gandeng.sister import work
    from datetime import datetime

    work.add_report(session, users["campus"], pair, 1, {"text": "Bank sampah", "households_reached": "45"},
                    now=datetime(2025, 4, 2))
    session.commit()
    login(client, users["staff"])
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Kampung sister 2025" in dashboard and "KK dijangkau: 45" in dashboard
    page = client.get("/sister/figures?year=2025").get_data(as_text=True)
    assert "Tegalrejo" in page and "Kampus Sister" in page and "1/4" in page
    city = client.get("/sister/figures/city.pdf?year=2025")
    assert city.status_code == 200 and city.data.startswith(b"%PDF-")
    client.post("/logout")
    csv_text = client.get("/public/sister/data.csv?year=2025").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines()[0].startswith("year,kemantren_code,kemantren,kampung_paired")
    assert "Tegalrejo" in csv_text and ",45," in csv_text and users["coordinator"].name not in csv_text
    login(client, users["campus"])
    assert "Laporan tahunan kampung sister (PDF)" in client.get("/sister/mine").get_data(as_text=True)
    own = client.get(f"/sister/figures/organisation/{pair.campus_id}.pdf?year=2025")
    assert own.status_code == 200 and own.data.startswith(b"%PDF-")
    assert client.get(f"/sister/figures/organisation/{pair.company_id}.pdf?year=2025").status_code == 403
    assert client.get("/sister/figures/city.pdf?year=2025").status_code == 403


def test_no_figures_before_anything_is_published(client, session):
    users = {"staff": f.make_staff(session)}
    session.commit()
    login(client, users["staff"])
    assert "Belum ada pemasangan yang diterbitkan." in client.get("/sister/figures").get_data(as_text=True)
    assert client.get("/sister/figures/city.pdf").status_code == 404
    assert client.get("/public/sister/data.csv").status_code == 404
    assert "Kampung sister" not in client.get("/dashboard").get_data(as_text=True).split("<main")[-1]


def test_open_data_of_a_year_not_published_is_not_found(client, session):
    pair, users = _published(session, year=2025)
    assert client.get("/public/sister/data.csv?year=2026").status_code == 404
    assert client.get("/public/sister/data.csv").status_code == 200  # the latest published year


def test_the_whole_year_on_the_web_draft_swap_publish_plan_report_reminder(client, session):
    """Draft → swap → publish → plan written, submitted, approved → quarterly report → reminders for the
    pairs that sent none (the issue's web flow in one go)."""
    from datetime import datetime

    from gandeng.notifications.models import Notification
    from gandeng.notifications.reminders import send_reminders
    from gandeng.sister.models import SisterPair
    from tests.web.test_sister_pages import city, pair_of

    year = 2025  # a past year, published (below) as if in its January: every quarter has begun
    kampung, partners, users = city(session)
    login(client, users["staff"])
    client.post("/sister/run", data={"year": str(year)})
    kricak = pair_of(session, kampung["kricak"])
    client.post(f"/sister/pairs/{kricak.id}/partner",
                data={"side": "campus", "organisation_id": str(partners["uad"].id)})
    assert "diterbitkan" in client.post("/sister/publish", data={"year": str(year)},
                                        follow_redirects=True).get_data(as_text=True)
    session.expire_all()
    pair_of(session, kampung["kricak"]).round.published_at = datetime(year, 1, 5)
    session.commit()
    client.post("/logout")
    login(client, users["coordinator"])
    client.post(f"/sister/pairs/{kricak.id}/plan", data={"q4": "Kerja bakti sungai", "action": "submit"})
    client.post("/logout")
    login(client, users["staff"])
    client.post(f"/sister/pairs/{kricak.id}/plan/decision", data={"decision": "approve"})
    client.post("/logout")
    login(client, users["partner"])  # PT Jogja, Kricak's company
    sent = client.post(f"/sister/pairs/{kricak.id}/reports",
                       data={"quarter": "4", "text": "Kerja bakti", "employees": "6"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Laporan triwulan 4 terkirim." in sent and "Kerja bakti sungai" in sent and "disetujui" in sent
    assert "terlambat" in sent  # sent long after 15 January of the next year
    counts = send_reminders(session, datetime(year + 1, 1, 16, 3))
    published = session.scalars(select(SisterPair).where(SisterPair.round_id == kricak.round_id)).all()
    with_partner = [p for p in published if p.campus_id or p.company_id]
    # Only quarter 4 (due 15 January) is reminded: the others are more than 90 days past. Everyone but
    # Kricak, whose report came in.
    assert counts["sister_report"] == len(with_partner) - 1 > 0
    reminded = {n.user_id for n in session.scalars(select(Notification).where(
        Notification.kind == "sister_report_late"))}
    assert users["coordinator"].id not in reminded
