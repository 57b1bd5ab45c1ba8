"""The matching pages: start a run, follow its progress (htmx polling), read its result."""
from sqlalchemy import select

from gandeng.proposals.models import MatchingRun, Proposal, RunStatus
from tests import factories as f
from tests.conftest import login


def _data(session):
    staff = f.make_staff(session)
    f.make_latrine_pair(session)
    idle = f.make_offer(session, title="Pelatihan barista kopi", categories=["livelihood"],
                        description="Pelatihan barista untuk pemuda.", capacity_rp=9_000_000)
    session.commit()
    return staff, idle


def test_staff_starts_a_run_and_sees_its_result(client, session):
    staff, idle = _data(session)
    login(client, staff)
    assert "Jalankan pencocokan" in client.get("/matching").text
    response = client.post("/matching/runs")
    run = session.scalar(select(MatchingRun))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/matching/runs/{run.id}")
    page = client.get(f"/matching/runs/{run.id}").text
    assert run.status == RunStatus.DONE
    assert "Rp12.000.000" in page  # proposed Rp
    assert "Pasangan kandidat" in page and "detik" in page and "Bobot" in page
    assert "Penawaran tanpa pasangan yang baik" in page
    assert "Pelatihan barista kopi" in page and "Rp9.000.000" in page
    assert "hx-trigger" not in page  # finished: no polling
    assert session.scalar(select(Proposal)).run_id == run.id


def test_queued_run_page_polls_the_status_partial(client, session):
    staff, _idle = _data(session)
    run = f.make_run(session, started_by=staff, status=RunStatus.QUEUED)
    session.commit()
    login(client, staff)
    page = client.get(f"/matching/runs/{run.id}").text
    assert f'hx-get="/matching/runs/{run.id}/status"' in page and 'hx-trigger="every 2s"' in page
    assert "vendor/htmx-2.0.11/htmx.min.js" in page
    assert "<progress" in page and "Menunggu giliran" in page
    partial = client.get(f"/matching/runs/{run.id}/status").text
    assert partial.lstrip().startswith("<section") and "<html" not in partial
    assert 'hx-trigger="every 2s"' in partial


def test_runs_list_shows_runs_and_hides_the_button_while_one_works(client, session):
    staff, _idle = _data(session)
    f.make_run(session, started_by=staff, counts={"proposals": 4}, proposed_rp=7_500_000, duration_s=1.25)
    busy = f.make_run(session, started_by=staff, status=RunStatus.RUNNING)
    session.commit()
    login(client, staff)
    page = client.get("/matching").text
    assert "Rp7.500.000" in page and staff.name in page and "1,2 detik" in page
    assert "Jalankan pencocokan</button>" not in page
    assert f"/matching/runs/{busy.id}" in page


def test_second_start_while_a_run_works_is_refused_with_a_message(client, session):
    staff, _idle = _data(session)
    f.make_run(session, started_by=staff, status=RunStatus.QUEUED)
    session.commit()
    login(client, staff)
    response = client.post("/matching/runs", follow_redirects=True)
    assert "Pencocokan lain sedang berjalan" in response.text
    assert session.query(MatchingRun).count() == 1


def test_failed_run_page_shows_the_error(client, session):
    staff, _idle = _data(session)
    run = f.make_run(session, started_by=staff, status=RunStatus.FAILED, error="RuntimeError: solver meledak")
    session.commit()
    login(client, staff)
    page = client.get(f"/matching/runs/{run.id}").text
    assert "Pencocokan gagal" in page and "solver meledak" in page


def test_unreachable_redis_falls_back_to_running_in_process(tmp_path, template_db):
    from gandeng.db import db
    from tests.conftest import make_app

    # (the rate limiter would use the same unreachable Redis: switched off here)
    app = make_app(tmp_path, template_db, REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_ENABLED=False)
    with app.app_context():
        staff, _idle = _data(db.session)
        client = app.test_client()
        login(client, staff)
        client.post("/matching/runs")
        run = db.session.scalar(select(MatchingRun))
        assert run.status == RunStatus.DONE and run.job_id == ""
        db.session.remove()
        db.engine.dispose()
