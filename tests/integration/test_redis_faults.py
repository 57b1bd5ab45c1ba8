"""Issue 20, fault 1: with Redis stopped or hung (SIGSTOP), log-ins and the API keep working; the rate
limits fall back to this process's memory (logged once) and still count; a hung Redis costs at most
about half a second, once, and enqueueing a run gives up as fast. Each test runs its own redis-server
on a free port (the shared one is never touched)."""
import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from redis import Redis
from redis.exceptions import RedisError

from gandeng.db import db
from gandeng.extensions import limiter
from gandeng.proposals import jobs
from tests import factories as f
from tests.conftest import make_app

FALLBACK_MESSAGE = "falling back to in-memory storage"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """A private redis-server: {"url", "process"}; resumed and stopped at the end whatever happened."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while True:
        try:
            if Redis.from_url(url, socket_timeout=0.5).ping():
                break
        except RedisError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("the private redis-server did not start")
            time.sleep(0.05)
    try:
        yield {"url": url, "process": process}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.terminate()
            process.wait(timeout=10)
        limiter._storage_dead = False  # the module-level limiter outlives this test's app


@pytest.fixture
def app_on(tmp_path, template_db):
    apps = []

    def build(url, **config):
        app = make_app(tmp_path, template_db, REDIS_URL=url, RATELIMIT_STORAGE_URI=url,
                       LOGIN_LIMIT_PER_ACCOUNT_CLIENT="3 per minute", **config)
        apps.append(app.app_context())
        apps[-1].push()
        return app

    yield build
    for context in reversed(apps):
        db.session.remove()
        db.engine.dispose()
        context.pop()


def _login(client, email, password):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": "10.20.0.1"})


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def _service_survives(app, redis_process_fault, caplog):
    """Healthy first (the limits count in Redis), then the fault: the answers users get."""
    staff = f.make_staff(db.session, email="petugas@contoh.id")
    db.session.commit()
    client = app.test_client()
    assert _login(client, staff.email, "salah").status_code == 200
    assert Redis.from_url(app.config["REDIS_URL"]).keys("LIMITS*"), "the limits did not count in Redis"
    redis_process_fault()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        response, first = _timed(lambda: _login(app.test_client(), staff.email, f.PASSWORD))
        assert response.status_code == 302
        token, seconds = _timed(lambda: app.test_client().post(
            "/api/v1/auth/token", json={"email": staff.email, "password": f.PASSWORD}))
        # Redis's own default would wait 5 s or more per call; the bound leaves room for a busy CI machine.
        assert token.status_code == 200 and seconds < 2.5
        answer, seconds = _timed(lambda: app.test_client().get(
            "/api/v1/needs", headers={"Authorization": f"Bearer {token.get_json()['token']}"}))
        assert answer.status_code == 200 and seconds < 2.5
        # Still limited, in this process's memory: three failures, then 429 even for the right password.
        statuses = [_login(client, staff.email, password).status_code
                    for password in ("salah", "salah", "salah", f.PASSWORD)]
        assert statuses == [200, 200, 200, 429]
    assert first < 1.5  # one short timeout at most, never redis-py's 5 s × retries
    assert sum(FALLBACK_MESSAGE in record.getMessage() for record in caplog.records) == 1  # logged once
    assert app.test_client().get("/healthz").status_code == 503  # the monitor still sees the fault


def test_redis_stopped_log_ins_and_api_keep_working_with_limits_in_memory(own_redis, app_on, caplog):
    app = app_on(own_redis["url"])

    def stop():
        own_redis["process"].terminate()
        own_redis["process"].wait(timeout=10)

    _service_survives(app, stop, caplog)


def test_redis_hung_costs_at_most_one_short_timeout(own_redis, app_on, caplog):
    app = app_on(own_redis["url"])
    _service_survives(app, lambda: own_redis["process"].send_signal(signal.SIGSTOP), caplog)


def test_enqueueing_a_run_on_a_hung_redis_gives_up_within_a_second(own_redis, app_on):
    app_on(own_redis["url"])
    queue = jobs.matching_queue(own_redis["url"], short=True)  # as the web and API enqueue
    queue.connection.ping()
    own_redis["process"].send_signal(signal.SIGSTOP)
    started = time.monotonic()
    with pytest.raises(RedisError):
        queue.enqueue("gandeng.proposals.jobs.run_job", 1)
    assert time.monotonic() - started < 3.0  # 0.5 s timeouts; Redis's defaults hang for far longer
