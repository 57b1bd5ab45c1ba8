"""Needs through the API: the public view without personal data, strict validation, a curl-like walk."""
from sqlalchemy import select

from gandeng.needs.models import Need, NeedStatus
from tests import factories as f
from tests.api.helpers import NEW_NEED, bearer, token_for

NEED_FIELDS = {"id", "ref", "kelurahan", "kemantren", "kampung", "rw", "category", "title", "description",
               "households", "kms_households", "cost_rp", "committed_rp", "remaining_rp", "deadline", "urgency",
               "partial_ok", "status", "created_at"}
PRIVATE = {"kms_households", "beneficiaries", "contact_phone", "status_reason"}


def test_public_need_omits_personal_data_and_own_coordinator_sees_it(client, session):
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    need = f.make_need(session, kampung=kampung)
    session.commit()
    public = client.get(f"/api/v1/needs/{need.id}").get_json()
    assert set(public) == NEED_FIELDS - {"kms_households"}
    assert "Sarinah" not in str(public) and "081234567890" not in str(public)
    listed = client.get("/api/v1/needs").get_json()["items"][0]
    assert not PRIVATE & set(listed)
    own = client.get(f"/api/v1/needs/{need.id}", headers=bearer(token_for(session, coordinator))).get_json()
    assert set(own) == NEED_FIELDS | PRIVATE
    assert own["kms_households"] == 3 and own["contact_phone"] == "081234567890"
    assert own["kemantren"]["code"] == "34.71.01" and own["remaining_rp"] == own["cost_rp"]


def test_coordinator_creates_and_submits_a_need_with_documented_fields_only(client, session):
    """The walk of docs/api.md: token, then POST /needs, then read it back."""
    coordinator = f.make_coordinator(session)
    session.commit()
    token = client.post("/api/v1/auth/token",
                        json={"email": coordinator.email, "password": f.PASSWORD}).get_json()["token"]
    response = client.post("/api/v1/needs", headers=bearer(token),
                           json={**NEW_NEED, "deadline": "2099-01-31", "submit": True})
    assert response.status_code == 201, response.text
    created = response.get_json()
    assert created["status"] == "submitted" and created["deadline"] == "2099-01-31"
    assert created["kampung"]["id"] == coordinator.kampung_id
    stored = session.get(Need, created["id"])
    assert stored.category_code == "sanitation" and stored.cost_rp == 15_000_000
    again = client.get(f"/api/v1/needs/{created['id']}", headers=bearer(token)).get_json()
    assert again == created


def _post(client, session, body):
    coordinator = f.make_coordinator(session)
    return client.post("/api/v1/needs", headers=bearer(token_for(session, coordinator)), json=body)


def test_integer_fields_refuse_fractions_strings_and_booleans(client, session):
    for bad in (2.5, "2.5", "2", True):
        response = _post(client, session, {**NEW_NEED, "households": bad})
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["fields"] == {"households": ["Harus berupa bilangan bulat."]}
    assert session.scalar(select(Need)) is None


def test_ten_thousand_character_title_is_refused_with_a_message(client, session):
    response = _post(client, session, {**NEW_NEED, "title": "x" * 10_000})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["title"] == ["Maksimal 160 karakter."]


def test_unknown_fields_are_refused(client, session):
    response = _post(client, session, {**NEW_NEED, "kampung_id": 1, "nik": "3471"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"kampung_id": ["Kolom tidak dikenal."],
                                                      "nik": ["Kolom tidak dikenal."]}


def test_service_rule_becomes_422_next_to_its_field(client, session):
    response = _post(client, session, {**NEW_NEED, "households": 2, "kms_households": 3})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"kms_households": [error["message"]]}
    assert "KMS" in error["message"]
    response = _post(client, session, {**NEW_NEED, "category": "tidak-ada"})
    assert response.get_json()["error"]["fields"] == {"category": ["Pilih kategori yang ada."]}


def test_malformed_json_is_a_json_400(client, session):
    coordinator = f.make_coordinator(session)
    response = client.post("/api/v1/needs", data="{tidak json", content_type="application/json",
                           headers=bearer(token_for(session, coordinator)))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_staff_return_a_need_with_a_reason_and_the_coordinator_reads_it(client, session):
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    staff = f.make_staff(session)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.SUBMITTED)
    session.commit()
    missing = client.post(f"/api/v1/needs/{need.id}/return", json={}, headers=bearer(token_for(session, staff)))
    assert missing.status_code == 422 and "reason" in missing.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/needs/{need.id}/return", json={"reason": "Foto rumah belum ada."},
                           headers=bearer(token_for(session, staff)))
    assert response.status_code == 200 and response.get_json()["status"] == "returned"
    own = client.get(f"/api/v1/needs/{need.id}", headers=bearer(token_for(session, coordinator))).get_json()
    assert own["status_reason"] == "Foto rumah belum ada."


def test_list_pages_and_caps_per_page(client, session):
    kampung = f.make_kampung(session)
    for i in range(3):
        f.make_need(session, kampung=kampung, title=f"Kebutuhan {i}")
    session.commit()
    body = client.get("/api/v1/needs?per_page=2&page=2").get_json()
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (3, 2, 2, 1)
    assert client.get("/api/v1/needs?per_page=101").status_code == 422
    assert client.get("/api/v1/needs?page=2.5").status_code == 422
