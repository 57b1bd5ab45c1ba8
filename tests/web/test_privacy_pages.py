"""Issue 19 pages: the privacy notice, consent on the need form and at registration, filing a request
without an account, the DPO's queue with its clock, and a user's own data (JSON and PDF)."""
import json
from datetime import timedelta

from sqlalchemy import select

from gandeng.accounts.models import User
from gandeng.db import db, utcnow
from gandeng.needs.models import Need
from gandeng.formatting import month_year
from gandeng.privacy import records
from gandeng.privacy.models import PrivacyRequest
from gandeng.privacy.requests import file_request
from tests import factories as f
from tests.conftest import login, make_app
from tests.web.test_accounts_register import coordinator_form

NEED_FORM = {
    "category": "sanitation", "title": "Sumur bor RW 05", "description": "Air sumur warga keruh.",
    "cost_rp": "Rp7.500.000", "urgency": "tinggi", "households": "2", "kms_households": "1",
    "beneficiaries": "Bu Parmi\nPak Darmo", "contact_phone": "081233334444",
}


def test_the_notice_shows_every_record_and_is_linked_from_every_page(client):
    page = client.get("/privasi").text
    for record in records.RECORDS:
        assert str(record.data) in page
    assert "24 bulan" in page and "Pasal 20 ayat (2)" in page
    assert 'href="/privasi"' in client.get("/").text
    # The version as a month people read, not "2026-12" (review walk).
    assert f"Versi pemberitahuan: {month_year(records.NOTICE_VERSION)}." in page
    assert records.NOTICE_VERSION not in page


def test_the_notice_reads_in_english(client):
    client.get("/bahasa/en")
    page = client.get("/privasi").text
    assert "Privacy and personal data" in page and "Records of processing" in page


def test_names_without_the_households_consent_are_refused_and_nothing_is_saved(client, session):
    coordinator = f.make_coordinator(session)
    session.commit()
    login(client, coordinator)
    response = client.post("/needs/new", data=NEED_FORM)
    assert response.status_code == 200 and "Centang bila keluarga yang namanya ditulis sudah setuju" in response.text
    assert str(records.BENEFICIARY_CONSENT) % {"months": 24} in response.text  # the exact wording shown
    # ... next to the box; the error summary at the top names it by its short label (phone walk).
    summary = response.text[response.text.index("error-summary"):]
    summary = summary[:summary.index("</div>")]
    assert "Keluarga yang namanya ditulis sudah setuju" in summary and "Saya menyatakan" not in summary
    assert session.scalar(select(Need.id)) is None
    client.post("/needs/new", data={**NEED_FORM, "beneficiaries": "", "title": "Tanpa nama"})
    assert session.scalar(select(Need.beneficiaries_consent_at)) is None  # no names: no consent needed


def test_the_consent_is_stored_with_time_and_user(client, session):
    coordinator = f.make_coordinator(session)
    session.commit()
    login(client, coordinator)
    before = utcnow()
    client.post("/needs/new", data={**NEED_FORM, "beneficiaries_consent": "y"})
    need = session.scalars(select(Need)).one()
    assert need.beneficiaries_consent_by_id == coordinator.id and need.beneficiaries_consent_at >= before
    assert "Dikonfirmasi koordinator" in client.get(f"/needs/{need.id}").text


def test_registration_records_the_privacy_notice_version(client, session):
    refused = client.post("/register", data=coordinator_form(consent=""))
    assert "Centang untuk menyetujui pemberitahuan privasi" in refused.text
    assert session.scalar(select(User.id)) is None
    client.post("/register", data=coordinator_form())
    user = session.scalars(select(User)).one()
    assert user.consent_version == records.NOTICE_VERSION and user.consent_at is not None


def test_anyone_files_a_request_and_a_missing_contact_loses_nothing(client, session):
    form = {"kind": "deletion", "name": "Bu Sarinah", "contact": "", "details": "Kebutuhan jamban RT 03"}
    missing = client.post("/privasi/permintaan", data=form)
    assert missing.status_code == 400 and "Bu Sarinah" in missing.text and "Kebutuhan jamban RT 03" in missing.text
    filed = client.post("/privasi/permintaan", data={**form, "contact": "0812 3456 7890"})
    assert filed.status_code == 200 and "Nomor permintaan Anda" in filed.text
    request = session.scalars(select(PrivacyRequest)).one()
    assert request.user_id is None and request.kind == "deletion"


def test_the_request_form_needs_its_csrf_token(csrf_app):
    response = csrf_app.test_client().post("/privasi/permintaan", data={
        "kind": "access", "name": "Bu Tini", "contact": "tini@contoh.id"})
    assert response.status_code == 400
    assert db.session.scalar(select(PrivacyRequest.id)) is None


def test_anonymous_requests_are_rate_limited(tmp_path, template_db):
    app = make_app(tmp_path, template_db, PRIVACY_REQUEST_LIMIT="2 per hour")
    with app.app_context():
        client = app.test_client()
        form = {"kind": "access", "name": "Bu Tini", "contact": "tini@contoh.id"}
        codes = [client.post("/privasi/permintaan", data=form).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        db.session.remove()
        db.engine.dispose()


def test_the_queue_shows_the_clock_and_overdue_in_red_to_the_dpo_only(client, session):
    dpo, staff = f.make_staff(session), f.make_staff(session)
    dpo.dpo = True
    fresh = file_request(session, None, "access", "Bu Tini", "tini@contoh.id", "")
    late = file_request(session, None, "withdrawal", "Pak Darmo", "0812 1111 2222", "",
                        now=utcnow() - timedelta(hours=80))
    session.commit()
    login(client, staff)
    assert client.get("/privasi/antrian").status_code == 403
    client.post("/logout")
    login(client, dpo)
    page = client.get("/privasi/antrian").text
    assert "Sisa 71 jam" in page or "Sisa 72 jam" in page
    assert 'class="text-danger privacy-overdue">Terlambat 8 jam' in page
    assert page.index(f">{late.id}<") < page.index(f">{fresh.id}<")  # the most urgent first


def test_a_user_downloads_only_their_own_data(client, session):
    me = f.make_coordinator(session, email="saya@contoh.id", name="Bu Saya")
    f.make_coordinator(session, email="orang.lain@contoh.id")
    need = f.make_need(session, kampung=me.kampung, actor=me)
    session.commit()
    login(client, me)
    response = client.get("/profile/data.json")
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.data)
    assert data["account"]["email"] == "saya@contoh.id"
    assert [n["id"] for n in data["needs_written"]] == [need.id]
    assert "orang.lain@contoh.id" not in response.text
    assert "Sarinah" not in response.text  # the households' names are theirs, not the coordinator's
    pdf = client.get("/profile/data.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Unduh PDF" in client.get("/profile").text


def test_staff_fixing_a_need_vouch_only_for_names_they_write(client, session):
    staff = f.make_staff(session)
    need = f.make_need(session, status="submitted")  # names from an import: no consent confirmed
    session.commit()
    login(client, staff)
    form = {"category": "sanitation", "title": "Jamban sehat untuk 5 KK (diperbaiki)", "urgency": "tinggi",
            "description": need.description, "households": "5", "kms_households": "3", "cost_rp": "15.000.000"}
    assert client.post(f"/needs/{need.id}/edit", data=form).status_code == 302
    changed = client.post(f"/needs/{need.id}/edit", data={**form, "beneficiaries": "Bu Baru"})
    assert changed.status_code == 200 and "Centang bila keluarga" in changed.text
    session.refresh(need)
    assert need.title.endswith("(diperbaiki)") and need.beneficiaries != "Bu Baru"


def test_staff_record_an_incident_and_the_dpo_sees_people_notice_clock_and_csv(client, session):
    staff, dpo = f.make_staff(session), f.make_admin(session)
    need = f.make_need(session, beneficiaries="Bu Sarinah")
    session.commit()
    login(client, staff)
    found = (utcnow() + timedelta(hours=7) - timedelta(hours=80)).strftime("%Y-%m-%dT%H:%M")  # WIB, 80 h ago
    saved = client.post("/privasi/insiden", data={
        "what": "Berkas ekspor terkirim ke grup yang salah", "found_at": found,
        "data_kinds": ["beneficiaries", "contact_phone"], "need_ids": str(need.id), "people_count": "2"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/privasi/insiden")
    client.post("/logout")
    login(client, dpo)
    from gandeng.privacy.models import PrivacyIncident

    incident = session.scalars(select(PrivacyIncident)).one()
    page = client.get(f"/privasi/insiden/{incident.id}").text
    assert "Bu Sarinah" in page and "081234567890" in page
    assert "Pemberitahuan kegagalan pelindungan data pribadi" in page
    assert 'class="text-danger">Terlambat' in page
    table = client.get(f"/privasi/insiden/{incident.id}.csv")
    assert table.mimetype == "text/csv" and "Sarinah" not in table.text
    client.post(f"/privasi/insiden/{incident.id}", data={"whom": "people"})
    client.post(f"/privasi/insiden/{incident.id}", data={"whom": "authority"})
    session.refresh(incident)
    assert incident.notified and "Terlambat" not in client.get("/privasi/insiden").text
