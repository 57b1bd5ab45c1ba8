"""Fault figures, before/after: what staff and API clients get, and how long until things work again.

    .venv/bin/python benchmarks/faults/bench_faults.py [--tree PATH] [--only NAME ...]
        --redis-url redis://127.0.0.1:6399/7 --database-url postgresql+psycopg://…/DB

`--tree` is a checkout of the code to measure (default: this one), e.g. the commit before the fault
work exported with `git archive COMMIT | tar -x -C /tmp/before`. The same script measures both, with
production settings (heartbeat 10 s, stale after 60 s, Retry-After 15 s); waits are capped (--cap).
The database named by --database-url is wiped. Scenarios:

- worker-killed: a run's worker SIGKILLed while `matching`; a staff member retries the start every
  second: refusals, seconds until a new run is accepted, whether the dead run's page still polls.
- queue-lost: a queued run's job deleted from Redis (a restart without persistence); same figures.
- redis-hung: a private redis-server paused (SIGSTOP); seconds one web start of a run takes.
- db-away: the PostgreSQL database refuses connections for --outage seconds (sessions terminated);
  a signed-in page, an anonymous page and an API call every 0.5 s: statuses, Retry-After, seconds
  from the database's return to the first 200.
- upload-readonly: the upload root read-only (chattr +i as root) and its subfolder missing; a need
  form with a photo: status and whether the typed title comes back.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve()


def _args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", default=str(HERE.parents[2]))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6399/7"))
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--cap", type=float, default=90.0, help="longest wait for a recovery, seconds")
    parser.add_argument("--outage", type=float, default=20.0, help="seconds the database stays away")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--slow", type=float, default=0.0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


ARGS = _args()
sys.path.insert(0, ARGS.tree)

from gandeng.db import db  # noqa: E402  (from the tree measured)
from gandeng.factory import create_app  # noqa: E402

CONFIG = {"SECRET_KEY": "bench-faults", "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_COST": "fast",
          "RATELIMIT_STORAGE_URI": "memory://", "PROPAGATE_EXCEPTIONS": False}


def worker_main() -> None:
    """This script as the worker process (`--worker`): jobs.work() of the tree, the engine slowed."""
    if ARGS.slow:
        import gandeng.matching

        real = gandeng.matching.run_matching

        def slow(*args, **kwargs):
            time.sleep(ARGS.slow)
            return real(*args, **kwargs)

        gandeng.matching.run_matching = slow
    from gandeng.proposals import jobs

    app = create_app(json.loads(os.environ["BENCH_CONFIG"]))
    with app.app_context():
        jobs.work()


def make_app(workdir: Path, **overrides):
    """An app of the tree on a fresh database (the PostgreSQL one if given, else SQLite)."""
    from gandeng.reference.services import load_reference_data

    if ARGS.database_url:
        uri = ARGS.database_url
    else:
        uri = f"sqlite:///{workdir / 'bench.sqlite'}"
    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": uri, "UPLOAD_DIR": str(workdir / "uploads"), **overrides})
    with app.app_context():
        if ARGS.database_url:
            from sqlalchemy import text

            from gandeng.schema import upgrade_to_head

            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            upgrade_to_head()
        else:
            db.create_all()
        load_reference_data(db.session)
        db.session.commit()
    return app


def world(app):
    """Staff, a need and an offer; a test client signed in as the staff member."""
    sys.path.insert(0, str(HERE.parents[2]))  # tests.factories of this checkout
    from tests import factories as f

    staff = f.make_staff(db.session)
    f.make_need(db.session, cost_rp=12_000_000)
    f.make_offer(db.session, capacity_rp=40_000_000)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
        sess["_fresh"] = True
    return staff, client


def start(client):
    """POST /matching/runs: the new run's id, or None when refused."""
    response = client.post("/matching/runs")
    location = response.headers.get("Location", "")
    return int(location.rsplit("/", 1)[1]) if "/matching/runs/" in location else None


def retry_until_accepted(client, since: float) -> dict:
    refused = 0
    while time.monotonic() - since < ARGS.cap:
        run_id = start(client)
        if run_id is not None:
            return {"refused": refused, "accepted_after_s": round(time.monotonic() - since, 1)}
        refused += 1
        time.sleep(1.0)
    return {"refused": refused, "accepted_after_s": f"> {ARGS.cap:.0f} (cap)"}


def run_row(run_id):
    from gandeng.proposals.models import MatchingRun

    db.session.expire_all()
    run = db.session.get(MatchingRun, run_id)
    db.session.commit()
    return run


def spawn_worker(app, slow: float) -> subprocess.Popen:
    keys = ("SQLALCHEMY_DATABASE_URI", "REDIS_URL", "MATCHING_QUEUE", "UPLOAD_DIR")
    env = {**os.environ, "BENCH_CONFIG": json.dumps({**CONFIG, **{k: app.config[k] for k in keys}})}
    return subprocess.Popen([sys.executable, str(HERE), "--tree", ARGS.tree, "--worker", "--slow", str(slow)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def scenario_worker_killed(workdir):
    app = make_app(workdir, REDIS_URL=ARGS.redis_url, MATCHING_QUEUE=f"bench-faults-{os.getpid()}")
    with app.app_context():
        staff, client = world(app)
        run_id = start(client)
        worker = spawn_worker(app, slow=600)
        try:
            reached = wait_for(lambda: run_row(run_id).stage == "matching", 120)
            time.sleep(1)
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
        killed = time.monotonic()
        figures = {"reached_matching": reached, **retry_until_accepted(client, killed)}
        dead = run_row(run_id)
        figures["dead_run"] = f"{dead.status} / {dead.stage}"
        figures["page_still_polls"] = "hx-trigger" in client.get(f"/matching/runs/{run_id}/status").text
        _clear_queue(app)
        return figures


def _clear_queue(app):
    from gandeng.proposals import jobs

    jobs.matching_queue(ARGS.redis_url).delete(delete_jobs=True)


def scenario_queue_lost(workdir):
    app = make_app(workdir, REDIS_URL=ARGS.redis_url, MATCHING_QUEUE=f"bench-faults-{os.getpid()}")
    with app.app_context():
        staff, client = world(app)
        queued = time.monotonic()
        run_id = start(client)
        _clear_queue(app)  # the queue lost, as with a Redis restart without persistence
        figures = retry_until_accepted(client, queued)
        lost = run_row(run_id)
        figures["lost_run"] = f"{lost.status} / {lost.stage}"
        figures["page_still_polls"] = "hx-trigger" in client.get(f"/matching/runs/{run_id}/status").text
        _clear_queue(app)
        return figures


@contextmanager
def private_redis(workdir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(workdir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        yield server, f"redis://127.0.0.1:{port}/0"
    finally:
        server.send_signal(signal.SIGCONT)
        server.kill()
        server.wait()


def scenario_redis_hung(workdir):
    with private_redis(workdir) as (server, url):
        app = make_app(workdir, REDIS_URL=url, MATCHING_QUEUE="bench")
        with app.app_context():
            staff, client = world(app)
            server.send_signal(signal.SIGSTOP)
            answer = {}

            def request():
                with app.app_context():
                    clock = time.perf_counter()
                    answer["run"] = start(client)
                    answer["seconds"] = round(time.perf_counter() - clock, 2)

            thread = threading.Thread(target=request, daemon=True)
            thread.start()
            thread.join(ARGS.cap)
            if thread.is_alive():
                return {"web_start_s": f"> {ARGS.cap:.0f} (still waiting)"}
            return {"web_start_s": answer["seconds"], "run_accepted": answer["run"] is not None}


@contextmanager
def postgres_away():
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    url = make_url(ARGS.database_url)
    admin = create_engine(url.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS false'))
        try:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                               {"n": url.database})
            yield
        finally:
            connection.execute(text(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS true'))
    admin.dispose()


def _status(client, path):
    try:
        response = client.get(path)
    except Exception:  # noqa: BLE001 — the error page itself failed: gunicorn's bare 500
        return "500 (bare)", None
    status = response.status_code
    if status >= 500 and "Internal Server Error" in response.text and "<html" not in response.text.lower()[:200]:
        return f"{status} (bare)", None
    return str(status), response.headers.get("Retry-After")


def scenario_db_away(workdir):
    if not ARGS.database_url:
        return {"skipped": "needs --database-url (PostgreSQL)"}
    app = make_app(workdir)
    with app.app_context():
        staff, signed_in = world(app)
        anonymous, api = app.test_client(), app.test_client()
        paths = {"signed-in /needs": (signed_in, "/needs"), "anonymous /": (anonymous, "/"),
                 "API /api/v1/needs": (api, "/api/v1/needs")}
        seen = {name: {} for name in paths}
        retry_after = set()
        db.session.remove()  # the bench's own session gives its connection back first
        with postgres_away():
            until = time.monotonic() + ARGS.outage
            while time.monotonic() < until:
                for name, (client, path) in paths.items():
                    status, retry = _status(client, path)
                    seen[name][status] = seen[name].get(status, 0) + 1
                    if retry:
                        retry_after.add(retry)
                time.sleep(0.5)
            back = time.monotonic()
        recovered = {}
        for name, (client, path) in paths.items():
            wait_for(lambda: _status(client, path)[0] == "200", ARGS.cap)
            recovered[name] = round(time.monotonic() - back, 2)
        return {"during_outage": seen, "retry_after": sorted(retry_after), "seconds_to_200_after_return": recovered}


def scenario_upload_readonly(workdir):
    app = make_app(workdir)
    root = Path(app.config["UPLOAD_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        sys.path.insert(0, str(HERE.parents[2]))
        from tests import factories as f

        coordinator = f.make_coordinator(db.session, kampung=f.make_kampung(db.session, "Kampung Anggrek"))
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = coordinator.get_id()
            sess["_fresh"] = True
        form = {"category": "sanitation", "title": "Septic tank komunal RT 07", "description": "Untuk 8 KK.",
                "cost_rp": "12.000.000", "urgency": "sedang", "households": "8", "kms_households": "3",
                "files": [f.upload(f.png_bytes(), "atap.png")]}
        subprocess.run(["chattr", "+i", str(root)], check=True)
        try:
            status, _ = _status_post(client, "/needs/new", form)
        finally:
            subprocess.run(["chattr", "-i", str(root)], check=True)
        return status


def _status_post(client, path, data):
    try:
        response = client.post(path, data=data, content_type="multipart/form-data")
    except Exception:  # noqa: BLE001
        return {"status": "500 (bare)"}, None
    return {"status": response.status_code, "typed_title_kept": "Septic tank komunal RT 07" in response.text,
            "message": "Berkas tidak dapat disimpan" in response.text}, None


SCENARIOS = {"worker-killed": scenario_worker_killed, "queue-lost": scenario_queue_lost,
             "redis-hung": scenario_redis_hung, "db-away": scenario_db_away,
             "upload-readonly": scenario_upload_readonly}


def main():
    if ARGS.worker:
        worker_main()
        return
    import logging

    logging.disable(logging.CRITICAL)  # the faults are expected; the figures are what counts
    results = {"tree": ARGS.tree}
    for name, scenario in SCENARIOS.items():
        if ARGS.only and name not in ARGS.only:
            continue
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-faults-{name}-"))
        clock = time.monotonic()
        try:
            results[name] = scenario(workdir)
        except Exception as error:  # noqa: BLE001 — report and go on with the next fault
            results[name] = {"error": f"{type(error).__name__}: {error}"[:300]}
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"{name} ({time.monotonic() - clock:.0f} s): {json.dumps(results[name], ensure_ascii=False)}",
              flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
