"""A need's life on the web: write, submit, verify, return, reject, withdraw — by the right people only."""
from datetime import date, timedelta

import pytest

from gandeng.db import db
from gandeng.needs.models import Need, NeedStatus
from tests import factories as f
from tests.conftest import login

FORM = {
    "category": "sanitation", "title": "Sumur bor RW 05", "description": "Air sumur warga keruh.",
    "cost_rp": "Rp7.500.000", "urgency": "tinggi", "households": "12", "kms_households": "5",
    "rw": "05", "deadline": "31/12/2099", "partial_ok": "y", "beneficiaries": "Bu Parmi",
    "contact_phone": "081233334444", "beneficiaries_consent": "y",
}


@pytest.fixture
def people(session):
    kampung = f.make_kampung(session, "Kampung Anggrek")
    other = f.make_kampung(session, "Kampung Melati", "34.71.05.1002")
    people = {
        "kampung": kampung,
        "coordinator": f.make_coordinator(session, kampung=kampung),
        "other_coordinator": f.make_coordinator(session, kampung=other),
        "partner": f.make_partner(session),
        "staff": f.make_staff(session),
    }
    session.commit()
    return people


def _need(people, status):
    need = f.make_need(db.session, kampung=people["kampung"], status=status)
    db.session.commit()
    return need


def _status(need):
    db.session.expire_all()
    return db.session.get(Need, need.id).status


def test_coordinator_writes_a_draft_for_own_kampung(client, people):
    login(client, people["coordinator"])
    response = client.post("/needs/new", data=FORM)
    need = db.session.scalars(db.select(Need)).one()
    assert response.status_code == 302 and response.location.endswith(f"/needs/{need.id}")
    assert need.status == NeedStatus.DRAFT
    assert need.kampung_id == people["kampung"].id
    assert need.cost_rp == 7_500_000 and need.deadline == date(2099, 12, 31) and need.partial_ok


def test_new_need_page_offers_the_form_to_coordinators_only(client, people):
    login(client, people["coordinator"])
    page = client.get("/needs/new").text
    # Label and help agree on who sees the names (review walk: "only city staff" next to "and the coordinator").
    assert "Nama penerima (tidak tampil untuk mitra dan umum)" in page
    assert "Hanya petugas kota dan koordinator kampung ini yang melihatnya." in page
    assert "hanya terlihat oleh petugas kota" not in page
    assert "Boleh didanai sebagian" in page
    client.post("/logout")
    login(client, people["staff"])
    assert client.get("/needs/new").status_code == 403


def test_coordinator_submits_draft(client, people):
    need = _need(people, NeedStatus.DRAFT)
    login(client, people["coordinator"])
    assert client.post(f"/needs/{need.id}/submit").status_code == 302
    assert _status(need) == NeedStatus.SUBMITTED


def test_submit_with_past_deadline_is_refused_and_changes_nothing(client, people):
    need = f.make_need(db.session, kampung=people["kampung"], status=NeedStatus.DRAFT,
                       deadline=date.today() - timedelta(days=3))
    db.session.commit()
    login(client, people["coordinator"])
    response = client.post(f"/needs/{need.id}/submit", follow_redirects=True)
    assert "Tenggat sudah lewat" in response.text
    assert _status(need) == NeedStatus.DRAFT


def test_submitting_a_draft_names_every_missing_thing_at_once(client, people):
    need = f.make_need(db.session, kampung=people["kampung"], status=NeedStatus.DRAFT, households=0, kms_households=0,
                       deadline=date.today() - timedelta(days=3))
    db.session.commit()
    login(client, people["coordinator"])
    text = client.post(f"/needs/{need.id}/submit", follow_redirects=True).text
    assert "Tenggat sudah lewat" in text and "Isi jumlah KK penerima (minimal 1)" in text
    assert _status(need) == NeedStatus.DRAFT


def test_staff_verifies_submitted_need(client, people):
    need = _need(people, NeedStatus.SUBMITTED)
    login(client, people["staff"])
    response = client.post(f"/needs/{need.id}/verify", follow_redirects=True)
    assert "terverifikasi" in response.text
    assert _status(need) == NeedStatus.VERIFIED


def test_coordinator_cannot_verify_own_need(client, people):
    need = _need(people, NeedStatus.SUBMITTED)
    login(client, people["coordinator"])
    assert client.post(f"/needs/{need.id}/verify").status_code == 403
    assert _status(need) == NeedStatus.SUBMITTED


def test_staff_returns_need_with_reason_the_coordinator_then_reads(client, people):
    need = _need(people, NeedStatus.SUBMITTED)
    login(client, people["staff"])
    client.post(f"/needs/{need.id}/return", data={"reason": "Tambahkan foto jamban yang rusak."})
    assert _status(need) == NeedStatus.RETURNED
    client.post("/logout")
    login(client, people["coordinator"])
    page = client.get(f"/needs/{need.id}").text
    assert "Tambahkan foto jamban yang rusak." in page
    assert "Ajukan ke petugas kota" in page  # a returned need can be sent again


def test_return_without_reason_shows_error_and_changes_nothing(client, people):
    need = _need(people, NeedStatus.SUBMITTED)
    login(client, people["staff"])
    response = client.post(f"/needs/{need.id}/return", data={"reason": "  "})
    assert response.status_code == 422
    assert "Wajib diisi." in response.text
    assert _status(need) == NeedStatus.SUBMITTED


def test_staff_rejects_need_with_reason(client, people):
    need = _need(people, NeedStatus.SUBMITTED)
    login(client, people["staff"])
    client.post(f"/needs/{need.id}/reject", data={"reason": "Di luar wilayah kota."})
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.status == NeedStatus.REJECTED and need.status_reason == "Di luar wilayah kota."


def test_partner_cannot_reject_need(client, people):
    need = _need(people, NeedStatus.VERIFIED)
    login(client, people["partner"])
    assert client.post(f"/needs/{need.id}/reject", data={"reason": "x"}).status_code == 403
    assert _status(need) == NeedStatus.VERIFIED


def test_coordinator_withdraws_verified_need(client, people):
    need = _need(people, NeedStatus.VERIFIED)
    login(client, people["coordinator"])
    client.post(f"/needs/{need.id}/withdraw", data={"reason": "Sudah dibantu warga."})
    assert _status(need) == NeedStatus.WITHDRAWN


def test_withdraw_is_refused_once_a_partner_committed(client, people):
    need = _need(people, NeedStatus.VERIFIED)
    f.make_collaboration(db.session, need, f.make_offer(db.session), 1_000_000)
    db.session.commit()
    login(client, people["coordinator"])
    response = client.post(f"/needs/{need.id}/withdraw", follow_redirects=True)
    assert "Mitra sudah menyanggupi" in response.text
    assert _status(need) == NeedStatus.VERIFIED


def test_partner_cannot_withdraw_verified_need(client, people):
    need = _need(people, NeedStatus.VERIFIED)
    login(client, people["partner"])
    assert client.post(f"/needs/{need.id}/withdraw").status_code == 403
    assert _status(need) == NeedStatus.VERIFIED


def test_other_kampung_coordinator_gets_404_on_draft_by_changing_the_id(client, people):
    need = _need(people, NeedStatus.DRAFT)
    login(client, people["other_coordinator"])
    assert client.get(f"/needs/{need.id}").status_code == 404
    assert client.get(f"/needs/{need.id}/edit").status_code == 404
    assert client.post(f"/needs/{need.id}/edit", data=FORM).status_code == 404
    assert client.post(f"/needs/{need.id}/submit").status_code == 404
    assert _status(need) == NeedStatus.DRAFT


def test_other_kampung_coordinator_cannot_withdraw_verified_need(client, people):
    need = _need(people, NeedStatus.VERIFIED)
    login(client, people["other_coordinator"])
    assert client.post(f"/needs/{need.id}/withdraw").status_code == 403
    assert _status(need) == NeedStatus.VERIFIED


def test_coordinator_edits_returned_need(client, people):
    need = _need(people, NeedStatus.RETURNED)
    login(client, people["coordinator"])
    page = client.get(f"/needs/{need.id}/edit").text
    assert 'value="15.000.000"' in page and "Jamban sehat untuk 5 KK" in page
    client.post(f"/needs/{need.id}/edit", data={**FORM, "title": "Jamban sehat untuk 6 KK"})
    db.session.expire_all()
    assert db.session.get(Need, need.id).title == "Jamban sehat untuk 6 KK"


def test_coordinator_cannot_edit_verified_need_but_staff_can(client, people):
    need = _need(people, NeedStatus.VERIFIED)
    login(client, people["coordinator"])
    assert client.post(f"/needs/{need.id}/edit", data=FORM).status_code == 403
    client.post("/logout")
    login(client, people["staff"])
    assert client.post(f"/needs/{need.id}/edit", data={**FORM, "cost_rp": "9.000.000"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Need, need.id).cost_rp == 9_000_000


def test_detail_shows_only_the_buttons_the_user_may_use(client, people):
    need = _need(people, NeedStatus.SUBMITTED)
    login(client, people["coordinator"])
    page = client.get(f"/needs/{need.id}").text
    assert f"/needs/{need.id}/verify" not in page and f"/needs/{need.id}/withdraw" in page
    client.post("/logout")
    login(client, people["staff"])
    page = client.get(f"/needs/{need.id}").text
    assert f"/needs/{need.id}/verify" in page and f"/needs/{need.id}/return" in page
    assert f"/needs/{need.id}/submit" not in page


def test_history_lists_each_step_with_time_in_wib(client, people):
    login(client, people["coordinator"])
    client.post("/needs/new", data=FORM)
    need = db.session.scalars(db.select(Need)).one()
    client.post(f"/needs/{need.id}/submit")
    page = client.get(f"/needs/{need.id}").text
    assert "Buat kebutuhan" in page and "Ajukan kebutuhan" in page  # labels.ACTION, as in the audit log
    assert "WIB" in page


def test_state_changing_post_without_csrf_token_is_refused(csrf_app):
    session = db.session
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.DRAFT)
    session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": coordinator.email, "password": f.PASSWORD, "csrf_token": token})
    assert client.post(f"/needs/{need.id}/submit").status_code == 400
    assert _status(need) == NeedStatus.DRAFT
