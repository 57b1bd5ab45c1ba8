"""The staff curation page of a group: status changes are verbs with a confirm step, suspending needs a
reason (kept in the group's history, told to the group), the message names the group and its new status;
the head counts and the member list agree."""
from sqlalchemy import select

from gandeng.audit.models import AuditEvent
from gandeng.nglarisi.models import GroupStatus
from gandeng.notifications.models import Notification
from tests import factories as f
from tests.conftest import login


def _staff_and_group(session, client):
    staff = f.make_staff(session)
    group = f.make_group(session, name="Boga Wirobrajan", kelurahan_code="34.71.07.1002")
    cook = f.make_group_user(session, group=group, email="boga@contoh.id")
    session.commit()
    login(client, staff)
    return staff, group, cook


def test_the_group_page_offers_verbs_that_open_a_confirm_step_and_changes_nothing_yet(session, client):
    _staff, group, _cook = _staff_and_group(session, client)
    page = client.get(f"/nglarisi/groups/{group.id}")
    assert "Hentikan sementara" in page.text and ">Dihentikan<" not in page.text
    assert "Semua kelompok" in page.text  # the way back to the list
    confirm = client.get(f"/nglarisi/groups/{group.id}/status/suspended")
    assert confirm.status_code == 200
    assert "Hentikan sementara kelompok Boga Wirobrajan?" in confirm.text and "Ya, hentikan sementara" in confirm.text
    assert "Alasan (wajib" in confirm.text and "Batal" in confirm.text
    session.refresh(group)
    assert group.status == GroupStatus.VERIFIED


def test_suspending_without_a_reason_is_refused_and_changes_nothing(session, client):
    _staff, group, _cook = _staff_and_group(session, client)
    refused = client.post(f"/nglarisi/groups/{group.id}/status/suspended", data={"note": "  "})
    assert refused.status_code == 422 and "Tuliskan alasan menghentikan sementara" in refused.text
    session.refresh(group)
    assert group.status == GroupStatus.VERIFIED


def test_suspending_with_a_reason_is_named_kept_in_the_history_and_told_to_the_group(session, client):
    staff, group, cook = _staff_and_group(session, client)
    done = client.post(f"/nglarisi/groups/{group.id}/status/suspended",
                       data={"note": "Memakai nama restoran lain"}, follow_redirects=True)
    assert done.status_code == 200
    assert "Boga Wirobrajan sekarang: Dihentikan sementara." in done.text
    assert "Riwayat status" in done.text and "Alasan: Memakai nama restoran lain" in done.text
    assert "Aktifkan lagi" in done.text
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = cook.get_id(), True
    assert "Alasan: Memakai nama restoran lain" in client.get("/nglarisi/my-group").text
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
    session.refresh(group)
    assert group.status == GroupStatus.SUSPENDED
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "nglarisi.group_status")).one()
    assert event.note == "Memakai nama restoran lain" and event.after == {"status": "suspended"}
    told = session.scalars(select(Notification).where(Notification.user_id == cook.id,
                                                      Notification.kind == "nglarisi.group_status")).one()
    assert "dihentikan sementara" in told.message and "Memakai nama restoran lain" in told.message
    back = client.post(f"/nglarisi/groups/{group.id}/status/verified", data={"note": ""}, follow_redirects=True)
    assert "Boga Wirobrajan sekarang: Terverifikasi." in back.text


def test_a_status_the_group_cannot_move_to_leads_back_to_its_page(session, client):
    _staff, group, _cook = _staff_and_group(session, client)
    page = client.get(f"/nglarisi/groups/{group.id}/status/verified", follow_redirects=True)
    assert "Status kelompok tidak dapat diubah ke sini." in page.text
    assert client.get(f"/nglarisi/groups/{group.id}/status/nonsense").status_code == 302


def test_head_counts_and_the_member_list_agree_and_adding_a_member_keeps_the_curated_count(session, client):
    _staff, group, _cook = _staff_and_group(session, client)  # imported counts: 8 members, 3 KMS/PKH, no rows
    page = client.get(f"/nglarisi/groups/{group.id}")
    assert "Menurut pendaftaran: 8 anggota, 3 pemegang KMS/PKH." in page.text
    assert "Tercatat dengan nama dan NIK: 0 anggota" in page.text and "8 anggota belum dicatat" in page.text
    added = client.post(f"/nglarisi/groups/{group.id}/members",
                        data={"name": "Sri Rahayu", "nik": "3471014107950001", "kms_pkh": "y"}, follow_redirects=True)
    assert "Sri Rahayu" in added.text and "7 anggota belum dicatat" in added.text
    session.refresh(group)
    assert group.members_count == 8 and group.kms_members_count == 3


def test_the_group_list_stacks_each_group_as_a_card_on_a_phone_with_labelled_cells(session, client):
    _staff, group, _cook = _staff_and_group(session, client)
    page = client.get("/nglarisi/groups").text
    assert 'class="table table-sm table-stack nglarisi-groups"' in page
    for label in ("Kelurahan", "Status", "Kapasitas per hari", "Perlu tindakan"):
        assert f'data-label="{label}"' in page
