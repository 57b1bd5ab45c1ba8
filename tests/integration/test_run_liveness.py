"""Runs cannot be orphaned: the lock follows the worker's heartbeat, a silent run is failed by the
next start attempt and by the run page, and a worker never stores a run that was failed meanwhile.
(The same with a real RQ worker killed mid-run: tests/integration/test_rq_worker_faults.py.)"""
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from gandeng.audit.models import AuditEvent
from gandeng.db import db, utcnow
from gandeng.errors import DomainError
from gandeng.proposals import jobs, liveness
from gandeng.proposals.models import MatchingRun, Proposal, RunStatus
from gandeng.proposals.runs import create_run, execute_run
from tests import factories as f
from tests.conftest import login


def _world(session):
    staff = f.make_staff(session)
    f.make_latrine_pair(session)
    session.commit()
    return staff


def _running(session, staff, started_ago: timedelta, heartbeat_ago: timedelta | None, **overrides):
    now = utcnow()
    run = f.make_run(session, started_by=staff, status=RunStatus.RUNNING, stage="matching", progress=30,
                     created_at=now - started_ago, started_at=now - started_ago,
                     heartbeat_at=None if heartbeat_ago is None else now - heartbeat_ago, **overrides)
    session.commit()
    return run


def test_a_long_run_keeps_its_lock_while_its_worker_beats(app, session):
    staff = _world(session)
    # Started 20 minutes ago (a province's needs), heartbeat 5 s ago: still working.
    _running(session, staff, timedelta(minutes=20), timedelta(seconds=5))
    with pytest.raises(DomainError, match="sedang berjalan"):
        create_run(session, staff)


def test_a_run_silent_for_over_a_minute_is_failed_by_the_next_start(app, session):
    staff = _world(session)
    dead = _running(session, staff, timedelta(minutes=2), timedelta(seconds=61))
    new = create_run(session, staff)
    session.commit()
    session.expire_all()
    dead = session.get(MatchingRun, dead.id)
    assert (dead.status, dead.stage) == (RunStatus.FAILED, liveness.STOPPED)
    assert dead.error.startswith("pekerja berhenti") and "tahap matching" in dead.error
    assert dead.finished_at is not None
    assert new.status == RunStatus.QUEUED
    assert session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.object_type == "matching_runs", AuditEvent.object_id == dead.id,
        AuditEvent.action == "matching_run.finish")) == 1


def test_a_running_run_that_never_beat_counts_from_its_start(app, session):
    staff = _world(session)
    _running(session, staff, timedelta(seconds=90), None)
    assert create_run(session, staff).status == RunStatus.QUEUED


def test_a_run_turning_silent_during_a_start_is_either_failed_or_keeps_the_lock_never_both(app, session,
                                                                                            monkeypatch):
    staff = _world(session)
    dead = _running(session, staff, timedelta(minutes=2), timedelta(seconds=59.5))
    start = utcnow()
    ticks = iter(range(0, 1000, 2))  # each reading of the clock is 2 s later: the minute passes mid-start
    monkeypatch.setattr(liveness, "utcnow", lambda: start + timedelta(seconds=next(ticks)))
    try:
        new = create_run(session, staff)
    except DomainError:
        new = None
    session.commit()
    session.expire_all()
    still_running = session.get(MatchingRun, dead.id).status == RunStatus.RUNNING
    assert not (new is not None and still_running), "a new run started beside a run still shown as running"


def test_a_queued_run_whose_process_died_before_starting_it_is_failed_after_a_minute(app, session):
    staff = _world(session)
    young = f.make_run(session, started_by=staff, status=RunStatus.QUEUED, created_at=utcnow())
    session.commit()
    with pytest.raises(DomainError):  # queued a moment ago: it waits for its turn
        create_run(session, staff)
    session.rollback()
    session.get(MatchingRun, young.id).created_at = utcnow() - timedelta(seconds=61)
    session.commit()
    create_run(session, staff)  # no REDIS_URL, no job: it can never start
    session.commit()
    session.expire_all()
    young = session.get(MatchingRun, young.id)
    assert (young.status, young.stage) == (RunStatus.FAILED, liveness.LOST)


def test_run_page_of_a_run_whose_worker_died_stops_polling_and_says_so(app, client, session):
    staff = _world(session)
    dead = _running(session, staff, timedelta(minutes=3), timedelta(minutes=2))
    login(client, staff)
    part = client.get(f"/matching/runs/{dead.id}/status").text
    assert "hx-trigger" not in part
    assert "Pekerja berhenti" in part and "Anda dapat memulai pencocokan lagi" in part
    assert "sedang berjalan" not in client.get("/matching").text
    client.get("/bahasa/en")
    assert "The worker stopped" in client.get(f"/matching/runs/{dead.id}").text


def test_api_answers_a_run_whose_worker_died_as_failed(app, client, session):
    staff = _world(session)
    dead = _running(session, staff, timedelta(minutes=3), timedelta(minutes=2))
    login(client, staff)
    body = client.get(f"/api/v1/matching/runs/{dead.id}").get_json()
    assert (body["status"], body["stage"]) == ("failed", "stopped") and body["error"].startswith("pekerja berhenti")


def _heartbeat(run_id):
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT heartbeat_at FROM matching_runs WHERE id = :id"),
                                  {"id": run_id}).scalar()


def test_worker_beats_while_the_engine_works(app, session, monkeypatch):
    import gandeng.matching

    app.config["MATCHING_HEARTBEAT_S"] = 0.05
    staff = _world(session)
    real = gandeng.matching.run_matching
    seen = []

    def slow(*args, **kwargs):
        for _ in range(4):
            time.sleep(0.15)
            seen.append(_heartbeat(run.id))
        return real(*args, **kwargs)

    monkeypatch.setattr("gandeng.matching.run_matching", slow)
    run = create_run(session, staff)
    session.commit()
    assert execute_run(run.id, app) == RunStatus.DONE
    assert len(set(seen)) == 4  # a fresh heartbeat at every look, while the engine was busy


def test_worker_drops_the_result_of_a_run_failed_while_it_was_silent(app, session, monkeypatch):
    import gandeng.matching

    staff = _world(session)
    real = gandeng.matching.run_matching

    def reaped_meanwhile(*args, **kwargs):
        with db.engine.begin() as connection:  # another process's reaper, while this worker was silent
            connection.execute(text("UPDATE matching_runs SET status = 'failed', stage = 'stopped', "
                                    "error = 'pekerja berhenti' WHERE id = :id"), {"id": run.id})
        return real(*args, **kwargs)

    monkeypatch.setattr("gandeng.matching.run_matching", reaped_meanwhile)
    run = create_run(session, staff)
    session.commit()
    assert execute_run(run.id, app) == RunStatus.FAILED
    session.expire_all()
    assert session.get(MatchingRun, run.id).error == "pekerja berhenti"
    assert session.scalar(select(func.count(Proposal.id))) == 0


def test_execute_run_leaves_a_run_failed_as_lost_alone(app, session):
    staff = _world(session)
    run = f.make_run(session, started_by=staff, status=RunStatus.FAILED, stage=liveness.LOST)
    session.commit()
    assert execute_run(run.id, app) == RunStatus.FAILED
    assert session.scalar(select(func.count(Proposal.id))) == 0


def test_match_reap_command_fails_the_orphans_for_cron(app, session, runner):
    staff = _world(session)
    dead = _running(session, staff, timedelta(minutes=5), timedelta(minutes=4))
    result = runner.invoke(args=["match", "reap"])
    assert result.exit_code == 0 and f"1 matching run(s) failed: worker stopped ({dead.id})" in result.output
    assert "0 matching run(s)" in runner.invoke(args=["match", "reap"]).output
    assert jobs.reap(session) == []
