"""Collaboration pages and the staff's approval endpoint and manual matching, through HTTP."""
import re

import pytest
from sqlalchemy import func, select

from gandeng.collaborations import services
from gandeng.collaborations.models import Commitment
from gandeng.proposals.models import ProposalStatus
from tests import factories as f
from tests.conftest import login

HTMX = {"HX-Request": "true"}


@pytest.fixture
def setting(session):
    kampung, org = f.make_kampung(session), f.make_organisation(session, "PT Semen Gendong")
    s = {
        "staff": f.make_staff(session),
        "coordinator": f.make_coordinator(session, kampung=kampung),
        "partner": f.make_partner(session, organisation=org),
        "other_partner": f.make_partner(session),
        "need": f.make_need(session, kampung=kampung, cost_rp=10_000_000, title="Jamban sehat RT 03"),
        "offer": f.make_offer(session, organisation=org, capacity_rp=6_000_000, title="CSR sanitasi"),
    }
    session.commit()
    return s


def _count(session):
    return session.scalar(select(func.count(Commitment.id)))


def _flashes(client) -> str:
    with client.session_transaction() as stored:
        return str(stored.get("_flashes", []))


# --- approving ------------------------------------------------------------------------------------

def test_approval_commits_the_proposal_and_answers_the_card_in_place(client, session, setting):
    proposal = f.proposal_for(session, setting["need"], setting["offer"], 5_000_000)
    session.commit()
    login(client, setting["staff"])
    response = client.post(f"/review/proposals/{proposal.id}/approve", headers=HTMX)
    assert response.status_code == 200 and "Rp5.000.000" in response.text
    commitment = session.scalars(select(Commitment)).one()
    assert commitment.proposal_id == proposal.id and commitment.amount_rp == 5_000_000
    session.refresh(proposal)
    assert proposal.status == ProposalStatus.APPROVED


def test_the_web_approve_route_has_no_json_answer(client, session, setting):
    """Programs approve through the API; the web route answers pages only (issue 16 point 14)."""
    proposal = f.proposal_for(session, setting["need"], setting["offer"], 5_000_000)
    session.commit()
    login(client, setting["staff"])
    response = client.post(f"/review/proposals/{proposal.id}/approve", headers={"Accept": "application/json"})
    assert response.status_code == 302 and not response.is_json


def test_approval_that_no_longer_fits_warns_and_marks_the_proposal_stale(client, session, setting):
    first = f.proposal_for(session, setting["need"], setting["offer"], 5_000_000)
    late = f.proposal_for(session, f.make_need(session), setting["offer"], 2_000_000)
    session.commit()
    login(client, setting["staff"])
    assert client.post(f"/review/proposals/{first.id}/approve").status_code == 302

    response = client.post(f"/review/proposals/{late.id}/approve")

    assert response.status_code == 302
    assert "'warning'" in _flashes(client) and "Rp1.000.000" in _flashes(client)
    session.expire_all()
    assert late.status == ProposalStatus.STALE and _count(session) == 1


def test_approving_the_same_proposal_twice_over_http_commits_once(client, session, setting):
    proposal = f.proposal_for(session, setting["need"], setting["offer"], 3_000_000)
    session.commit()
    login(client, setting["staff"])
    answers = [client.post(f"/review/proposals/{proposal.id}/approve").status_code for _ in range(2)]
    assert answers == [302, 302] and _count(session) == 1


def test_approval_from_the_review_page_goes_back_there_with_a_message(client, session, setting):
    proposal = f.proposal_for(session, setting["need"], setting["offer"], 3_000_000)
    session.commit()
    login(client, setting["staff"])
    response = client.post(f"/review/proposals/{proposal.id}/approve",
                           headers={"Referer": "http://localhost/review?category=sanitation"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/review?category=sanitation"
    with client.session_transaction() as flashed:
        assert "Rp3.000.000" in str(flashed["_flashes"])


def test_approval_never_redirects_to_another_site(client, session, setting):
    proposal = f.proposal_for(session, setting["need"], setting["offer"], 3_000_000)
    session.commit()
    login(client, setting["staff"])
    response = client.post(f"/review/proposals/{proposal.id}/approve", headers={"Referer": "https://jahat.example/x"})
    assert response.headers["Location"] == "/review"


def test_approval_needs_the_csrf_token_which_htmx_sends_as_a_header(csrf_app):
    from gandeng.db import db

    client = csrf_app.test_client()
    staff = f.make_staff(db.session)
    proposal = f.proposal_for(db.session, f.make_need(db.session), f.make_offer(db.session), 1_000_000)
    db.session.commit()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    client.post("/login", data={"email": staff.email, "password": f.PASSWORD, "csrf_token": token.group(1)})
    assert client.post(f"/review/proposals/{proposal.id}/approve", headers=HTMX).status_code == 400
    manual = client.get("/review/manual").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', manual).group(1)
    response = client.post(f"/review/proposals/{proposal.id}/approve", headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200


# --- matching by hand -----------------------------------------------------------------------------

def test_manual_match_form_lists_what_still_has_room(client, session, setting):
    full = f.make_offer(session, capacity_rp=1_000_000, title="Penawaran habis")
    services.manual_match(session, setting["staff"], f.make_need(session, cost_rp=1_000_000), full, 1_000_000)
    session.commit()
    login(client, setting["staff"])
    page = client.get(f"/review/manual?need={setting['need'].id}").text
    assert "Jamban sehat RT 03" in page and "sisa Rp10.000.000" in page
    assert "CSR sanitasi" in page and "sisa Rp6.000.000" in page
    assert "Penawaran habis" not in page
    assert f'<option selected value="{setting["need"].id}"' in page


def test_manual_match_creates_the_collaboration_once_even_if_the_form_is_sent_twice(client, session, setting):
    login(client, setting["staff"])
    form = {"need_id": setting["need"].id, "offer_id": setting["offer"].id, "amount_rp": "Rp 4.000.000",
            "idempotency_key": "dobel-klik-123"}
    first = client.post("/review/manual", data=form)
    second = client.post("/review/manual", data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(session) == 1


def test_manual_match_that_does_not_fit_shows_why_next_to_the_amount(client, session, setting):
    login(client, setting["staff"])
    response = client.post("/review/manual", data={
        "need_id": setting["need"].id, "offer_id": setting["offer"].id, "amount_rp": "7.000.000"})
    assert response.status_code == 422
    assert "Sisa penawaran tinggal Rp6.000.000" in response.text
    assert 'value="7.000.000"' in response.text  # what the staff typed is shown again
    assert _count(session) == 0


# --- the collaboration pages ----------------------------------------------------------------------

def _collaboration(session, setting, status="awaiting_partner"):
    c = f.make_collaboration(session, setting["need"], setting["offer"], 5_000_000, setting["staff"], status)
    session.commit()
    return c


def test_list_shows_each_party_its_own_collaborations_only(client, session, setting):
    c = _collaboration(session, setting)
    login(client, setting["partner"])
    assert "Jamban sehat RT 03" in client.get("/collaborations").text
    client.post("/logout")
    login(client, setting["other_partner"])
    page = client.get("/collaborations").text
    assert "Jamban sehat RT 03" not in page
    assert client.get(f"/collaborations/{c.id}").status_code == 404


def test_list_filters_by_status(client, session, setting):
    _collaboration(session, setting)
    login(client, setting["coordinator"])
    assert "Jamban sehat RT 03" in client.get("/collaborations?status=awaiting_partner").text
    assert "Jamban sehat RT 03" not in client.get("/collaborations?status=completed").text


def test_partner_confirms_from_the_page_and_the_coordinator_then_sees_it_in_progress(client, session, setting):
    c = _collaboration(session, setting)
    login(client, setting["partner"])
    page = client.get(f"/collaborations/{c.id}").text
    assert f"/collaborations/{c.id}/confirm" in page and "Tolak kerja sama" in page
    assert client.post(f"/collaborations/{c.id}/confirm").status_code == 302
    client.post("/logout")
    login(client, setting["coordinator"])
    page = client.get(f"/collaborations/{c.id}").text
    assert "Berjalan" in page and "Kirim laporan kemajuan" in page
    assert f"/collaborations/{c.id}/confirm\"" not in page


def test_declining_without_a_reason_shows_the_error_and_changes_nothing(client, session, setting):
    c = _collaboration(session, setting)
    login(client, setting["partner"])
    response = client.post(f"/collaborations/{c.id}/decline", data={"decline-reason": ""})
    assert response.status_code == 422 and "Wajib diisi." in response.text
    session.expire_all()
    assert c.status == "awaiting_partner"


def test_progress_report_with_a_photo_is_shown_to_the_parties_only(client, session, setting):
    c = _collaboration(session, setting, "in_progress")
    login(client, setting["partner"])
    response = client.post(f"/collaborations/{c.id}/progress", data={
        "percent": "45", "text": "Septic tank terpasang.", "realised_rp": "2.000.000",
        "photos": [f.upload(f.png_bytes(), "galian.png")]}, content_type="multipart/form-data")
    assert response.status_code == 302
    session.expire_all()
    assert (c.progress_percent, c.realised_rp) == (45, 2_000_000)
    # The form states the figure on record instead of an example number in the box (phone walk).
    form_page = client.get(f"/collaborations/{c.id}").text
    assert "Tercatat sekarang Rp2.000.000; kosongkan bila belum berubah." in form_page
    assert 'placeholder="1.500.000"' not in form_page
    photo = c.reports[-1].photos[0]
    client.post("/logout")
    login(client, setting["coordinator"])
    page = client.get(f"/collaborations/{c.id}").text
    assert "Septic tank terpasang." in page and f"/photos/{photo.id}" in page
    served = client.get(f"/collaborations/{c.id}/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert "private" in served.headers["Cache-Control"]
    client.post("/logout")
    login(client, setting["other_partner"])
    assert client.get(f"/collaborations/{c.id}/photos/{photo.id}").status_code == 404


def test_realised_amount_above_the_commitment_is_refused_on_the_form(client, session, setting):
    c = _collaboration(session, setting, "in_progress")
    login(client, setting["partner"])
    response = client.post(f"/collaborations/{c.id}/progress",
                           data={"percent": "50", "text": "Separuh.", "realised_rp": "5.000.001"})
    # In Rupiah, not "Angka harus antara 0 dan 5000000" (review walk).
    assert response.status_code == 422 and "Dana terealisasi paling banyak Rp5.000.000" in response.text
    session.expire_all()
    assert c.reports == []


def test_a_lower_percentage_without_words_is_sent_back_with_the_last_figure(client, session, setting):
    c = _collaboration(session, setting, "in_progress")
    c.progress_percent = 60
    session.commit()
    login(client, setting["coordinator"])
    response = client.post(f"/collaborations/{c.id}/progress", data={"percent": "6", "text": ""})
    assert response.status_code == 422
    assert "lebih rendah dari laporan sebelumnya (60%)" in response.text and 'value="6"' in response.text
    session.expire_all()
    assert c.reports == [] and c.progress_percent == 60


def test_completion_reported_by_partner_is_confirmed_by_coordinator_on_the_page(client, session, setting):
    c = _collaboration(session, setting, "reported")
    login(client, setting["coordinator"])
    page = client.get(f"/collaborations/{c.id}").text
    assert "Selesai dilaporkan" in page and f"/collaborations/{c.id}/confirm-completion" in page
    assert client.post(f"/collaborations/{c.id}/confirm-completion").status_code == 302
    session.expire_all()
    assert c.status == "completed"
    assert "Konfirmasi selesai" in client.get(f"/collaborations/{c.id}").text  # in the history


def test_need_page_shows_the_committed_amount_from_the_collaborations(client, session, setting):
    _collaboration(session, setting)
    page = client.get(f"/needs/{setting['need'].id}").text
    assert "Rp5.000.000" in page


def test_decline_form_of_the_page_carries_a_valid_csrf_token(csrf_app):
    from gandeng.db import db

    client = csrf_app.test_client()
    partner = f.make_partner(db.session)
    offer = f.make_offer(db.session, organisation=partner.organisation)
    c = f.make_collaboration(db.session, offer=offer)
    db.session.commit()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"email": partner.email, "password": f.PASSWORD, "csrf_token": token})
    page = client.get(f"/collaborations/{c.id}").text
    field, value = re.search(r'name="(decline-csrf_token)" type="hidden" value="([^"]+)"', page).groups()
    response = client.post(f"/collaborations/{c.id}/decline", data={field: value, "decline-reason": "Tidak jadi."})
    assert response.status_code == 302
    db.session.expire_all()
    assert c.status == "declined"


def test_partner_reports_completion_with_the_people_reached(client, session, setting):
    c = _collaboration(session, setting, "in_progress")
    login(client, setting["partner"])
    bad = client.post(f"/collaborations/{c.id}/complete", data={"completion-beneficiaries_reached": "-3",
                                                                 "completion-text": "Selesai."})
    assert bad.status_code == 422 and "Angka harus antara 0 dan 1.000.000" in bad.text
    response = client.post(f"/collaborations/{c.id}/complete", data={"completion-beneficiaries_reached": "27",
                                                                      "completion-text": "Lima jamban dipakai."})
    assert response.status_code == 302
    session.expire_all()
    assert c.beneficiaries_reached == 27 and c.completion_reported_at is not None and c.progress_percent == 100


def test_the_whatsapp_promise_is_made_only_when_the_coordinator_has_a_number(client, session, setting):
    """Review walk: "WhatsApp number appears after you agree" was said, then nothing appeared (the
    coordinator had no phone). With a number: promised, then shown to the partner once agreed."""
    c = _collaboration(session, setting)
    login(client, setting["partner"])
    page = client.get(f"/collaborations/{c.id}").text
    assert "muncul di sini setelah Anda menyanggupi" not in page
    assert "belum mencantumkan nomor WhatsApp" in page and "wa.me" not in page
    client.post(f"/collaborations/{c.id}/confirm")
    page = client.get(f"/collaborations/{c.id}").text
    assert "belum mencantumkan nomor WhatsApp" in page and "wa.me" not in page

    setting["coordinator"].phone = "0812 2700 1234"
    other = f.make_need(session, kampung=setting["coordinator"].kampung, cost_rp=1_000_000, title="Talut RT 04")
    second = f.make_collaboration(session, other, setting["offer"], 1_000_000, setting["staff"])
    session.commit()
    page = client.get(f"/collaborations/{second.id}").text
    assert "muncul di sini setelah Anda menyanggupi" in page and "wa.me" not in page
    client.post(f"/collaborations/{second.id}/confirm")
    page = client.get(f"/collaborations/{second.id}").text
    assert 'href="https://wa.me/6281227001234"' in page
    client.post("/logout")
    login(client, setting["other_partner"])
    assert client.get(f"/collaborations/{second.id}").status_code in (403, 404)
