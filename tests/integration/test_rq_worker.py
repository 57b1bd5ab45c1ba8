"""Matching runs through a real Redis and an RQ worker (REDIS_URL); in CI a missing Redis fails."""
import os
import uuid

import pytest
from sqlalchemy import func, select

from gandeng.db import db
from gandeng.proposals import jobs
from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus
from gandeng.proposals.runs import create_run
from tests import factories as f
from tests.conftest import make_app


@pytest.fixture
def rq_app(tmp_path, template_db, redis_url):
    """An app on a fresh database that sends runs to its own queue (tests may run side by side)."""
    queue = f"matching-test-{uuid.uuid4().hex[:12]}"
    app = make_app(tmp_path, template_db, REDIS_URL=redis_url, MATCHING_QUEUE=queue)
    with app.app_context():
        yield app
        jobs.matching_queue(redis_url).delete(delete_jobs=True)
        db.session.remove()
        db.engine.dispose()


def _data(session):
    staff = f.make_staff(session)
    f.make_latrine_pair(session)
    session.commit()
    return staff


def test_web_start_enqueues_and_a_burst_worker_finishes_the_run(rq_app, redis_url):
    from rq import SimpleWorker

    staff = _data(db.session)
    client = rq_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
        sess["_fresh"] = True
    response = client.post("/matching/runs")
    assert response.status_code == 302
    run = db.session.scalar(select(MatchingRun))
    assert run.status == RunStatus.QUEUED and run.job_id  # handed to the worker, not run here
    queue = jobs.matching_queue(redis_url)
    assert queue.count == 1 and queue.job_ids == [run.job_id]
    # The page polls while queued.
    assert 'hx-trigger="every 2s"' in client.get(f"/matching/runs/{run.id}").text

    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    db.session.expire_all()
    run = db.session.get(MatchingRun, run.id)
    assert run.status == RunStatus.DONE, run.error
    assert run.counts["proposals"] == 1 and run.proposed_rp == 12_000_000
    assert db.session.scalar(
        select(func.count(Proposal.id)).where(Proposal.run_id == run.id, Proposal.status == ProposalStatus.PROPOSED)
    ) == 1
    assert queue.count == 0


def test_worker_command_processes_queued_runs(rq_app, redis_url):
    staff = _data(db.session)
    run = create_run(db.session, staff)
    db.session.commit()
    assert jobs.start_run(db.session, run) == "queued"
    result = rq_app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(MatchingRun, run.id).status == RunStatus.DONE


def test_worker_command_without_redis_url_fails_with_a_reason(app, runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
