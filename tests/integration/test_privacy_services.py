"""Issue 19 services on SQLite and PostgreSQL: anonymising keeps every figure and the audit trail, the
purge's dry run lists exactly what the real run removes, and the 3 × 24-hour clock with its reminders."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from gandeng.audit.models import AuditEvent
from gandeng.collaborations.queries import committed_by_need
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.needs.attachments import attachment_path
from gandeng.needs.models import Need, NeedAttachment, NeedStatus
from gandeng.notifications.models import Notification
from gandeng.privacy import requests, retention
from gandeng.privacy.models import PrivacyRequest, RequestStatus
from gandeng.reports import public
from gandeng.reports.exports import ExportFilters, need_rows
from tests import factories as f


def _figures(session) -> dict:
    """Every figure a report can draw from needs: sums and counts, public and staff, per need."""
    needs = session.scalars(select(Need).order_by(Need.id)).all()
    return {
        "city": public.city_figures(session),
        "kelurahan": public.kelurahan_figures(session),
        "per_need": [(n.id, n.status, n.cost_rp, n.committed_rp, n.households, n.kms_households) for n in needs],
        "committed": committed_by_need(session, [n.id for n in needs]),
        "staff_export": [row for row in need_rows(session, ExportFilters())],
    }


def _trail(session) -> list:
    return [(e.id, e.action, e.object_type, e.object_id, e.before, e.after, e.note)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _make_dpo(session):
    user = f.make_staff(session)
    user.dpo = True
    session.flush()
    return user


def test_deletion_anonymises_the_needs_named_and_keeps_every_figure_and_the_trail(session):
    staff = f.make_staff(session)
    done = f.make_collaboration(session, status="completed", staff=staff)
    running = f.make_collaboration(session, status="in_progress", staff=staff)
    other = f.make_need(session, beneficiaries="Bu Lain", contact_phone="0811000111")
    photo = f.make_attachment(session, done.need)
    document = f.make_attachment(session, running.need, data=f.pdf_bytes(), filename="daftar-warga.pdf")
    session.commit()
    files = [attachment_path(photo), attachment_path(document)]
    assert all(p.exists() for p in files)
    before, trail = _figures(session), _trail(session)

    dpo = _make_dpo(session)
    request = requests.file_request(session, None, "deletion", "Bu Sarinah", "0812 3456 7890",
                                    "Hapus nama saya dari kebutuhan jamban.")
    removed = requests.handle_request(session, dpo, request, "done", "Nama dan foto dihapus.",
                                      [done.need.id, running.need.id])
    session.commit()

    assert _figures(session) == before
    assert _trail(session)[:len(trail)] == trail  # nothing earlier changed; only new rows after
    for need in (done.need, running.need):
        session.refresh(need)
        assert need.beneficiaries == "" and need.contact_phone == "" and need.anonymised_at is not None
    assert not any(p.exists() for p in files)
    assert session.scalar(select(func.count(NeedAttachment.id))) == 0
    assert [(r.need_id, r.names, r.phone, r.attachments) for r in removed] == [
        (done.need.id, 1, True, 1), (running.need.id, 1, True, 1)]
    session.refresh(other)
    assert other.beneficiaries == "Bu Lain"  # a need not named keeps its data
    new = _trail(session)[len(trail):]
    assert "Sarinah" not in repr(new) and "0812" not in repr(new)  # the trail holds no personal data
    assert request.status == RequestStatus.DONE and request.handled_by_id == dpo.id


def test_only_the_dpo_or_an_admin_handles_requests_and_needs_must_exist(session):
    request = requests.file_request(session, None, "withdrawal", "Pak Wagiman", "wagiman@contoh.id", "")
    with pytest.raises(NotAllowed):
        requests.handle_request(session, f.make_staff(session), request, "done", "ok")
    with pytest.raises(DomainError) as missing:
        requests.handle_request(session, f.make_admin(session), request, "done", "ok", [999999])
    assert missing.value.field == "need_ids"
    with pytest.raises(DomainError):  # an access request anonymises nothing
        access = requests.file_request(session, None, "access", "Pak Wagiman", "wagiman@contoh.id", "")
        requests.handle_request(session, f.make_admin(session), access, "done", "ok", [f.make_need(session).id])


def test_a_request_needs_a_contact_to_answer_to(session):
    for contact in ("", "bukan kontak", "12"):
        with pytest.raises(DomainError) as error:
            requests.file_request(session, None, "access", "Bu Tini", contact, "")
        assert error.value.field == "contact"
    assert session.scalar(select(func.count(PrivacyRequest.id))) == 0


def test_the_clock_counts_72_hours_and_reminds_once_before_and_once_overdue(session):
    dpo = _make_dpo(session)
    start = utcnow()
    request = requests.file_request(session, None, "access", "Bu Tini", "tini@contoh.id", "", now=start)
    assert request.due_at - request.received_at == timedelta(hours=72)
    assert requests.hours_left(request, start + timedelta(hours=1)) == 71
    assert requests.hours_left(request, start + timedelta(hours=75, minutes=30)) == -3
    assert requests.is_overdue(request, start + timedelta(hours=72, seconds=1))
    assert not requests.is_overdue(request, start + timedelta(hours=71, minutes=59))
    told = lambda: session.scalar(select(func.count(Notification.id)).where(Notification.user_id == dpo.id))  # noqa: E731
    assert told() == 1  # the new request
    assert requests.send_privacy_reminders(session, start + timedelta(hours=30)) == 0
    assert requests.send_privacy_reminders(session, start + timedelta(hours=50)) == 1
    assert requests.send_privacy_reminders(session, start + timedelta(hours=51)) == 0
    assert requests.send_privacy_reminders(session, start + timedelta(hours=73)) == 1
    assert requests.send_privacy_reminders(session, start + timedelta(hours=80)) == 0
    messages = session.scalars(select(Notification.message).where(Notification.user_id == dpo.id)).all()
    assert len(messages) == 3 and "melewati batas" in messages[-1]
    assert not any("Tini" in m for m in messages)  # reminders name the number, never the person


def _age(session, need, days):
    session.execute(update(Need).where(Need.id == need.id).values(updated_at=utcnow() - timedelta(days=days)))


def test_the_purge_dry_run_lists_exactly_what_the_real_run_removes(session):
    kampung = f.make_kampung(session)
    old = {status: f.make_need(session, kampung=kampung, status=status) for status in
           (NeedStatus.COMPLETED, NeedStatus.REJECTED, NeedStatus.WITHDRAWN, NeedStatus.VERIFIED)}
    f.make_attachment(session, old[NeedStatus.REJECTED])
    recent = f.make_need(session, kampung=kampung, status=NeedStatus.COMPLETED)
    empty = f.make_need(session, kampung=kampung, status=NeedStatus.WITHDRAWN, beneficiaries="", contact_phone="")
    session.flush()
    for need in [*old.values(), empty]:
        _age(session, need, 800)  # more than 24 months
    _age(session, recent, 300)
    session.commit()
    before = _figures(session)

    dry = retention.purge(session, utcnow(), 24, dry_run=True)
    session.rollback()
    real = retention.purge(session, utcnow(), 24)
    session.commit()

    assert dry == real
    assert [r.need_id for r in real] == sorted(old[s].id for s in (NeedStatus.COMPLETED, NeedStatus.REJECTED,
                                                                   NeedStatus.WITHDRAWN))
    assert sum(r.attachments for r in real) == 1
    assert retention.purge(session, utcnow(), 24, dry_run=True) == []  # nothing left to do
    assert _figures(session) == before
    session.refresh(old[NeedStatus.VERIFIED])
    session.refresh(recent)
    assert old[NeedStatus.VERIFIED].beneficiaries and recent.beneficiaries  # open or recent: kept
    lines = retention.report_lines(real, dry_run=False)
    assert lines[-1] == "anonymised 3 need(s): 3 name line(s), 3 phone(s), 1 attachment(s)"


def test_the_cli_purge_reports_the_same_in_the_dry_run_and_the_real_run(runner, session):
    need = f.make_need(session, status=NeedStatus.REJECTED)
    session.flush()
    _age(session, need, 1000)
    session.commit()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    real = runner.invoke(args=["privacy", "purge"])
    assert dry.exit_code == 0 and real.exit_code == 0, (dry.output, real.output)
    assert dry.output.replace("would anonymise", "anonymised") == real.output
    assert f"need {need.id}:" in real.output and "Sarinah" not in real.output
    assert runner.invoke(args=["privacy", "purge", "--dry-run"]).output.startswith("would anonymise 0 need(s)")


def test_the_worker_round_purges_once_a_day_and_logs_counts_only(app, session, caplog):
    from gandeng.privacy.jobs import privacy_round

    need = f.make_need(session, status=NeedStatus.WITHDRAWN)
    f.make_attachment(session, need, filename="rumah-bu-sarinah.png")
    session.flush()
    _age(session, need, 1000)
    session.commit()
    with caplog.at_level("INFO", logger="gandeng.privacy.jobs"):
        assert privacy_round(session, utcnow(), app.config)["purged"] == 1
    assert "anonymised 1 need(s), 1 attachment(s)" in caplog.text
    assert "Sarinah" not in caplog.text and "081234567890" not in caplog.text
    session.commit()
    assert privacy_round(session, utcnow(), app.config)["purged"] == 0  # same WIB day: not again


def test_the_dpo_command_gives_and_takes_the_permission(runner, session):
    staff = f.make_staff(session, email="dpo@jogjakota.go.id")
    coordinator = f.make_coordinator(session, email="koor@contoh.id")
    session.commit()
    assert runner.invoke(args=["privacy", "dpo", "dpo@jogjakota.go.id"]).exit_code == 0
    session.refresh(staff)
    assert staff.dpo and requests.can_handle_requests(staff)
    refused = runner.invoke(args=["privacy", "dpo", "koor@contoh.id"])
    assert refused.exit_code == 1 and "staff or admin" in refused.output
    assert runner.invoke(args=["privacy", "dpo", "dpo@jogjakota.go.id", "--off"]).exit_code == 0
    session.refresh(staff)
    assert not staff.dpo and coordinator.dpo is False


def test_a_deletion_from_an_account_can_anonymise_the_account_and_keeps_its_decisions(session):
    admin = f.make_admin(session)
    coordinator = f.make_coordinator(session, email="hapus.saya@contoh.id", name="Bu Hapus", phone="0812 5555 6666")
    need = f.make_need(session, kampung=coordinator.kampung, actor=coordinator)
    from gandeng.notifications.services import notify

    notify(session, [coordinator], "test", "Pesan uji")
    session.commit()
    trail = _trail(session)
    request = requests.file_request(session, coordinator, "deletion", coordinator.name, coordinator.email, "")
    access = requests.file_request(session, coordinator, "access", coordinator.name, coordinator.email, "")
    with pytest.raises(DomainError):
        requests.handle_request(session, admin, access, "done", "ok", anonymise_account=True)
    requests.handle_request(session, admin, request, "done", "Akun dan data dihapus.", [need.id],
                            anonymise_account=True)
    session.commit()
    session.refresh(coordinator)
    assert coordinator.name == f"Pengguna dihapus {coordinator.id}" and coordinator.phone == ""
    assert coordinator.email.endswith("@anonim.invalid") and coordinator.status == "suspended"
    from gandeng.notifications.models import OutboxMessage

    addresses = session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.user_id == coordinator.id))
    assert "hapus.saya@contoh.id" not in list(addresses)
    assert _trail(session)[:len(trail)] == trail
    assert need.created_by_id == coordinator.id  # the need still says who wrote it: the anonymised account
