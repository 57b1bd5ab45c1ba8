"""The breach runbook (issue 19 point 4) on SQLite and PostgreSQL: the people affected come from the needs
concerned and their audit trail, the deadline is 3 × 24 hours after finding, the authority's CSV holds
counts only, and the notice is drafted in Indonesian."""
import csv
import io
from datetime import timedelta

import pytest

from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.needs.models import NeedStatus
from gandeng.needs.services import verify_need
from gandeng.privacy import incidents
from tests import factories as f


def _incident(session, actor, need_ids, **overrides):
    data = dict(what="Daftar kebutuhan terkirim ke grup yang salah.", how="Salah kirim berkas ekspor.",
                remedy="Berkas ditarik; akses ekspor dibatasi.", found_at=utcnow() - timedelta(hours=2),
                data_kinds=["beneficiaries", "contact_phone"], need_ids=need_ids, people_count=3)
    data.update(overrides)
    return incidents.record_incident(session, actor, **data)


def test_the_people_affected_are_the_households_named_and_the_users_in_the_trail(session):
    staff = f.make_staff(session, name="Petugas Verifikasi")
    coordinator = f.make_coordinator(session, name="Bu Koordinator")
    need = f.make_need(session, kampung=coordinator.kampung, actor=coordinator, status=NeedStatus.SUBMITTED,
                       beneficiaries="Bu Sarinah\nPak Wagiman")
    verify_need(session, staff, need)
    untouched = f.make_need(session, beneficiaries="Bu Lain")
    incident = _incident(session, staff, [need.id])
    people = incidents.affected_people(session, incident)
    assert [(p["kind"], p["name"]) for p in people] == [
        ("household", "Bu Sarinah"), ("household", "Pak Wagiman"),
        ("user", "Petugas Verifikasi"), ("user", "Bu Koordinator")]  # households, then users by account
    assert all(p["need_id"] == need.id for p in people) and untouched.id not in incident.need_ids
    assert people[0]["contact"] == "081234567890"


def test_the_deadline_is_three_times_24_hours_after_finding(session):
    staff = f.make_staff(session)
    found = utcnow() - timedelta(hours=5)
    incident = _incident(session, staff, [], found_at=found)
    assert incident.due_at == found + timedelta(hours=72)
    incidents.mark_notified(session, staff, incident, "authority")
    assert incident.authority_notified_at is not None and not incident.notified
    incidents.mark_notified(session, staff, incident, "people")
    assert incident.notified


def test_bad_incidents_are_refused_with_the_field_named(session):
    staff = f.make_staff(session)
    with pytest.raises(NotAllowed):
        _incident(session, f.make_coordinator(session), [])
    for overrides, field in (({"what": " "}, "what"), ({"data_kinds": []}, "data_kinds"),
                             ({"data_kinds": ["passwords"]}, "data_kinds"), ({"people_count": -1}, "people_count"),
                             ({"found_at": utcnow() + timedelta(days=1)}, "found_at")):
        with pytest.raises(DomainError) as error:
            _incident(session, staff, [], **overrides)
        assert error.value.field == field
    with pytest.raises(DomainError) as error:
        _incident(session, staff, [987654])
    assert error.value.field == "need_ids"


def test_the_authority_csv_and_the_notice_say_what_when_how_and_the_remedy_without_names(session):
    staff = f.make_staff(session)
    need = f.make_need(session, beneficiaries="Bu Sarinah")
    incident = _incident(session, staff, [need.id])
    rows = list(csv.DictReader(io.StringIO(incidents.authority_csv(incident))))
    assert rows[0]["people_count"] == "3" and rows[0]["needs_concerned"] == "1"
    assert rows[0]["data_kinds"] == "beneficiaries;contact_phone"
    assert "Sarinah" not in incidents.authority_csv(incident)
    notice = incidents.notice_text(incident, "dpo@jogjakota.go.id")
    for part in ("Pemberitahuan kegagalan pelindungan data pribadi", "nama keluarga penerima manfaat",
                 "Salah kirim berkas ekspor.", "Berkas ditarik", "dpo@jogjakota.go.id", " WIB"):
        assert part in notice
