"""The staff's audit log page: every transition with actor, action label, object link, changes and note."""
import csv
import io
from datetime import datetime

import pytest

from gandeng.accounts import services as accounts
from gandeng.audit.models import AuditEvent
from gandeng.needs import services as needs
from gandeng.needs.models import NeedStatus
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(session):
    staff = f.make_staff(session, name="Rina Wulandari", email="rina@jogjakota.go.id")
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung, name="Sutrisno")
    need = f.make_need(session, kampung=kampung, status=NeedStatus.SUBMITTED, title="Atap balai RW")
    needs.verify_need(session, staff, need)
    session.commit()
    return {"staff": staff, "coordinator": coordinator, "need": need}


def _rows(text):
    return text.split('class="list-group mb-3 audit-log"', 1)[1].split("</ol>", 1)[0] if "audit-log" in text else ""


def test_staff_see_transitions_with_label_actor_role_object_link_and_changes(client, session, world):
    event = session.query(AuditEvent).filter_by(action="need.verify").one()
    event.created_at = datetime(2026, 11, 28, 7, 30)  # 14.30 WIB
    session.commit()
    login(client, world["staff"])
    response = client.get("/audit")
    assert response.status_code == 200
    rows = _rows(response.text)
    assert "Verifikasi kebutuhan" in rows
    assert "Rina Wulandari · Petugas kota" in rows
    assert f'href="/needs/{world["need"].id}"' in rows
    assert "28 November 2026 14.30 WIB" in rows
    assert ('<span class="audit-field">Status</span>: <span class="text-break">Diajukan</span> → '
            '<span class="text-break">Terverifikasi</span>') in rows


def test_unknown_action_shows_its_code_and_objects_without_a_page_are_not_linked(client, session, world):
    session.add(AuditEvent(action="sister.assign", object_type="sister_tests", object_id=3, actor_id=None, note="uji"))
    session.commit()
    login(client, world["staff"])
    rows = _rows(client.get("/audit?action=sister.assign").text)
    assert "sister.assign" in rows
    assert "sister_tests #3" in rows
    assert "Sistem" in rows
    assert "href=" not in rows


@pytest.mark.parametrize("object_type, path", [
    ("offers", "/offers/5"), ("users", "/admin/users/5"), ("commitments", "/collaborations/5"),
])
def test_objects_link_to_their_pages(client, session, world, object_type, path):
    session.add(AuditEvent(action="x.y", object_type=object_type, object_id=5, actor_id=world["staff"].id))
    session.commit()
    login(client, world["staff"])
    assert f'href="{path}"' in _rows(client.get(f"/audit?object_type={object_type}").text)


def test_filter_by_action_only_lists_that_action_and_offers_the_actions_present(client, session, world):
    login(client, world["staff"])
    text = client.get("/audit?action=need.verify").text
    rows = _rows(text)
    assert "Verifikasi kebutuhan" in rows and "Buat kebutuhan" not in rows
    assert '<option selected value="need.verify">Verifikasi kebutuhan</option>' in text
    assert 'value="need.create"' in text  # the action present in the log is a choice
    assert 'value="proposal.approve"' not in text  # actions not present are not


def test_filter_by_actor_and_object_id(client, session, world):
    other = f.make_need(session, status=NeedStatus.SUBMITTED)
    needs.verify_need(session, f.make_staff(session, name="Budi Santoso"), other)
    session.commit()
    login(client, world["staff"])
    rows = _rows(client.get("/audit?actor=budi").text)
    assert f'href="/needs/{other.id}"' in rows and f'href="/needs/{world["need"].id}"' not in rows
    rows = _rows(client.get(f"/audit?object_type=needs&object_id={world['need'].id}").text)
    assert rows.count("<li class=\"list-group-item\">") == 2  # create and verify
    assert f'href="/needs/{other.id}"' not in rows


def test_bad_filters_show_errors_and_the_rest_still_apply(client, session, world):
    login(client, world["staff"])
    response = client.get("/audit?date_from=kemarin&object_id=abc&action=need.verify")
    assert response.status_code == 200
    assert "Tanggal tidak sah" in response.text
    assert "Harus berupa bilangan bulat." in response.text
    rows = _rows(response.text)
    assert "Verifikasi kebutuhan" in rows and "Buat kebutuhan" not in rows


def test_log_is_paged_and_keeps_filters_in_the_page_links(app, client, session, world):
    app.config["PER_PAGE"] = 2
    for n in range(5):
        session.add(AuditEvent(action="need.update", object_type="needs", object_id=world["need"].id,
                               actor_id=world["staff"].id, note=f"catatan-{n}"))
    session.commit()
    login(client, world["staff"])
    first = client.get("/audit?action=need.update").text
    assert "catatan-4" in first and "catatan-3" in first and "catatan-2" not in first
    assert "action=need.update" in first.split('aria-label="Halaman"', 1)[1]
    third = client.get("/audit?action=need.update&page=3").text
    assert "catatan-0" in third and "catatan-1" not in third


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_other_roles_may_not_read_the_log(client, session, world, role):
    user = world["coordinator"] if role == "coordinator" else f.make_partner(session)
    session.commit()
    login(client, user)
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_staff_navigation_links_to_the_log(client, world):
    login(client, world["staff"])
    assert 'href="/audit">Log audit</a>' in client.get("/").text


def test_coordinator_navigation_has_no_log_link(client, world):
    login(client, world["coordinator"])
    assert "/audit" not in client.get("/").text


# --- CSV export -----------------------------------------------------------------------------------


def _csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_export_holds_the_filtered_rows_with_wib_times(client, session, world):
    event = session.query(AuditEvent).filter_by(action="need.verify").one()
    event.created_at = datetime(2026, 11, 28, 20, 15)  # 29 November 03.15 WIB
    session.commit()
    login(client, world["staff"])
    rows = _csv(client.get("/audit/export.csv?action=need.verify"))
    assert len(rows) == 1
    row = rows[0]
    assert row["waktu_wib"] == "2026-11-29 03:15:00"
    assert row["pelaku"] == "Rina Wulandari" and row["peran"] == "Petugas kota"
    assert row["tindakan"] == "Verifikasi kebutuhan" and row["kode_tindakan"] == "need.verify"
    assert (row["objek"], row["id_objek"]) == ("Kebutuhan", str(world["need"].id))
    assert row["perubahan"] == "status: submitted → verified"
    assert "attachment" in client.get("/audit/export.csv").headers["Content-Disposition"]


def test_export_defuses_spreadsheet_formulas(client, session, world):
    accounts.suspend_user(session, world["staff"], world["coordinator"], '=HYPERLINK("http://jahat.example","klik")')
    world["staff"].name = "@SUM(A1:A9)"
    session.add(AuditEvent(action="+cmd", object_type="-x", object_id=1, actor_id=world["staff"].id, note="-2+3"))
    session.commit()
    login(client, world["staff"])
    rows = _csv(client.get("/audit/export.csv"))
    suspend = next(r for r in rows if r["kode_tindakan"] == "user.suspend")
    assert suspend["catatan"] == "'=HYPERLINK(\"http://jahat.example\",\"klik\")"
    assert suspend["pelaku"] == "'@SUM(A1:A9)"
    odd = next(r for r in rows if r["kode_tindakan"] == "'+cmd")
    assert odd["tindakan"] == "'+cmd" and odd["objek"] == "'-x" and odd["catatan"] == "'-2+3"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))
