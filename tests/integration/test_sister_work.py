"""The year's work of a published sister pair: the plan (written by the parties, approved by staff), the
quarterly reports (on time or late, with photos) and the late-report reminders (CLI and worker loop)."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from gandeng.errors import DomainError, NotAllowed
from gandeng.notifications.models import Notification, OutboxMessage
from gandeng.notifications.reminders import send_reminders
from gandeng.sister import work
from gandeng.sister.models import PlanStatus, RoundStatus, SisterReport, SisterReportPhoto
from tests import factories as f

PLAN = {"q1": "Pelatihan bank sampah", "q2": "Pemilahan sampah tiap RT", "themes": ["sanitation"],
        "target_households": "120", "target_students": "15"}
REPORT = {"text": "Bank sampah berjalan di 3 RT.", "households_reached": "45", "participants": "60",
          "students": "12", "employees": "4"}


def _notified(session, user, kind) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind))


def test_the_calendar_of_reports():
    assert work.quarter_end(2027, 1) == date(2027, 3, 31) and work.quarter_end(2027, 4) == date(2027, 12, 31)
    assert work.report_due(2027, 2) == date(2027, 7, 15) and work.report_due(2027, 4) == date(2028, 1, 15)
    assert work.wib_date(datetime(2027, 4, 15, 17, 30)) == date(2027, 4, 16)  # 00.30 WIB the next day


def test_parties_write_and_submit_the_plan_and_staff_approve_it(session):
    pair, users = f.make_published_sister_pair(session)
    plan = work.save_plan(session, users["campus"], pair, PLAN)
    assert plan.status == PlanStatus.DRAFT and plan.target_households == 120 and plan.target_employees == 0
    plan = work.save_plan(session, users["coordinator"], pair, {**PLAN, "q3": "Kompos"})
    assert plan.q3 == "Kompos" and plan.updated_by_id == users["coordinator"].id
    work.submit_plan(session, users["company"], pair)
    assert plan.status == PlanStatus.SUBMITTED and _notified(session, users["staff"], "sister_plan_submitted") == 1
    with pytest.raises(DomainError, match="sudah diajukan"):
        work.save_plan(session, users["campus"], pair, PLAN)
    with pytest.raises(NotAllowed):
        work.decide_plan(session, users["coordinator"], pair, True)
    work.decide_plan(session, users["staff"], pair, True)
    assert plan.status == PlanStatus.APPROVED and plan.approved_by_id == users["staff"].id
    assert _notified(session, users["coordinator"], "sister_plan_decided") == 1
    assert _notified(session, users["campus"], "sister_plan_decided") == 1


def test_staff_send_a_plan_back_with_a_note_and_it_becomes_a_draft_again(session):
    pair, users = f.make_published_sister_pair(session)
    work.save_plan(session, users["campus"], pair, PLAN)
    work.submit_plan(session, users["campus"], pair)
    with pytest.raises(DomainError, match="perlu diperbaiki"):
        work.decide_plan(session, users["staff"], pair, False, "  ")
    plan = work.decide_plan(session, users["staff"], pair, False, "Target KK terlalu tinggi")
    assert plan.status == PlanStatus.DRAFT and plan.return_note == "Target KK terlalu tinggi"
    work.save_plan(session, users["coordinator"], pair, {**PLAN, "target_households": "80"})
    assert plan.target_households == 80


def test_nobody_else_writes_a_plan_and_bad_figures_get_a_message(session):
    pair, users = f.make_published_sister_pair(session)
    for who in ("outsider", "staff"):
        with pytest.raises(NotAllowed):
            work.save_plan(session, users[who], pair, PLAN)
    with pytest.raises(DomainError) as error:
        work.save_plan(session, users["campus"], pair, {**PLAN, "target_households": "-3"})
    assert error.value.field == "target_households"
    with pytest.raises(DomainError, match="Tema tidak dikenal"):
        work.save_plan(session, users["campus"], pair, {**PLAN, "themes": ["no-such-theme"]})
    work.save_plan(session, users["campus"], pair, {"q1": ""})
    with pytest.raises(DomainError, match="paling sedikit satu triwulan"):
        work.submit_plan(session, users["campus"], pair)


def test_a_draft_pairing_has_no_plan_or_reports_for_its_parties(session):
    pair, users = f.make_published_sister_pair(session)
    pair.round.status = RoundStatus.DRAFT
    session.flush()
    assert not work.can_see_work(users["coordinator"], pair) and work.can_see_work(users["staff"], pair)
    with pytest.raises(NotAllowed):
        work.save_plan(session, users["coordinator"], pair, PLAN)


def test_a_report_in_time_and_a_late_one(session):
    pair, users = f.make_published_sister_pair(session)
    first = work.add_report(session, users["coordinator"], pair, 1, REPORT, now=datetime(2027, 4, 10, 3))
    assert first.on_time and first.households_reached == 45 and first.students == 12
    assert _notified(session, users["campus"], "sister_report") == 1
    assert _notified(session, users["coordinator"], "sister_report") == 0
    late = work.add_report(session, users["company"], pair, 2, REPORT, now=datetime(2027, 7, 20, 3))
    assert not late.on_time
    states = {s.quarter: s.state for s in work.quarter_states(session, pair, date(2027, 10, 20))}
    assert states == {1: "on_time", 2: "late", 3: "missing", 4: "open"}


def test_a_report_is_refused_twice_for_a_quarter_before_it_begins_and_from_others(session):
    pair, users = f.make_published_sister_pair(session)
    work.add_report(session, users["campus"], pair, 1, REPORT, now=datetime(2027, 4, 2))
    with pytest.raises(DomainError, match="sudah dikirim"):
        work.add_report(session, users["company"], pair, 1, REPORT, now=datetime(2027, 4, 3))
    with pytest.raises(DomainError, match="belum dimulai"):
        work.add_report(session, users["campus"], pair, 3, REPORT, now=datetime(2027, 4, 3))
    with pytest.raises(DomainError, match="triwulan 1 sampai 4"):
        work.add_report(session, users["campus"], pair, "5", REPORT, now=datetime(2027, 4, 3))
    with pytest.raises(DomainError, match="Tulis apa"):
        work.add_report(session, users["campus"], pair, 2, {**REPORT, "text": " "}, now=datetime(2027, 7, 3))
    for who in ("outsider", "staff"):
        with pytest.raises(NotAllowed):
            work.add_report(session, users[who], pair, 2, REPORT, now=datetime(2027, 7, 3))
    assert session.scalar(select(func.count()).select_from(SisterReport)) == 1


def test_report_photos_are_stored_cleaned(session, app):
    from werkzeug.datastructures import FileStorage
    import io

    pair, users = f.make_published_sister_pair(session)
    photo = FileStorage(io.BytesIO(f.jpeg_bytes(gps=True)), filename="kegiatan.jpg", content_type="image/jpeg")
    report = work.add_report(session, users["campus"], pair, 1, REPORT, photos=[photo],
                             now=datetime(2027, 4, 2))
    session.commit()
    stored = session.scalars(select(SisterReportPhoto)).all()
    assert [p.report_id for p in stored] == [report.id] and stored[0].content_type == "image/jpeg"
    from gandeng.uploads import stored_path
    assert stored_path(work.PHOTO_FOLDER, stored[0].stored_name).is_file()


def test_late_reports_are_reminded_once_to_every_party_by_the_worker_round(session):
    pair, users = f.make_published_sister_pair(session)
    work.add_report(session, users["campus"], pair, 1, REPORT, now=datetime(2027, 4, 2))
    assert work.remind_late_reports(session, datetime(2027, 7, 15, 10)) == 0  # 15 July WIB: still in time
    counts = send_reminders(session, datetime(2027, 7, 16, 10))
    assert counts["sister_report"] == 1
    for who in ("coordinator", "campus", "company"):
        assert _notified(session, users[who], "sister_report_late") == 1
    assert _notified(session, users["outsider"], "sister_report_late") == 0
    assert send_reminders(session, datetime(2027, 7, 17, 10))["sister_report"] == 0
    body = session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "sister_report_late",
                                                           OutboxMessage.channel == "email"))
    assert body is None or "triwulan 2" in body


def test_no_reminder_for_quarters_before_publication_or_long_past(session):
    pair, users = f.make_published_sister_pair(session, published_at=datetime(2027, 5, 2))
    assert work.quarters_due(pair, date(2027, 7, 16)) == [2]
    assert work.remind_late_reports(session, datetime(2027, 7, 16, 10)) == 1
    assert work.remind_late_reports(session, datetime(2027, 10, 16, 10)) == 1  # Q3; Q2 was reminded
    assert work.remind_late_reports(session, datetime(2028, 2, 1, 10)) == 1  # Q4
    assert work.remind_late_reports(session, datetime(2028, 9, 1, 10)) == 0


def test_the_sister_remind_command(runner, session):
    pair, users = f.make_published_sister_pair(session, year=2025)
    session.commit()
    result = runner.invoke(args=["sister", "remind"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("sister remind: ") and "late quarterly report(s)" in result.output


def test_a_kampung_left_unpaired_has_no_plan_or_reports(session):
    pair, users = f.make_published_sister_pair(session)
    pair.campus_id = pair.company_id = None
    session.flush()
    assert work.pairs_of_user(session, users["coordinator"]) == []
    with pytest.raises(NotAllowed):
        work.save_plan(session, users["coordinator"], pair, PLAN)
    with pytest.raises(NotAllowed):
        work.add_report(session, users["coordinator"], pair, 1, REPORT, now=datetime(2027, 4, 2))
    assert work.quarters_due(pair, date(2027, 12, 1)) == []
