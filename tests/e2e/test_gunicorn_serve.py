"""`make serve`'s server: gunicorn with deploy/gunicorn.conf.py, several workers, settings from the
environment, /healthz answering, and an access log without query strings or client addresses.
Only 127.0.0.1; every wait is bounded."""
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 90
DROPPED_ENV = ("DATABASE_URL", "RATELIMIT_STORAGE_URI", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY", "FLASK_APP",
               "GUNICORN_BIND", "GUNICORN_ACCESS_LOG", "GUNICORN_WORKERS", "GUNICORN_THREADS")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_gunicorn_serves_with_several_workers_and_a_private_access_log(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite'}", SECRET_KEY=secrets.token_hex(16),
               PORT=str(port), GUNICORN_WORKERS="2", GUNICORN_THREADS="2", PYTHONUNBUFFERED="1",
               ALLOW_IN_MEMORY_LIMITS="1")  # no Redis in this test: per-worker limits, knowingly
    init = subprocess.run([str(BIN / "flask"), "--app", "app", "init-db"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "app:app"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                status, body = get(port, "/healthz")
                break
            except OSError:
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer in time"
                time.sleep(0.3)
        expected_redis = "ok" if os.environ.get("REDIS_URL") else "not configured"
        assert (status, json.loads(body)) == (200, {"database": "ok", "redis": expected_redis})
        assert get(port, "/needs?q=Ibu+Sumarni+RT+03")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # our own server's process group
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
    log = log_path.read_text()
    assert log.count("Booting worker") >= 2
    assert "Using worker: gthread" in log
    access = [line for line in log.splitlines() if '"GET ' in line]
    assert any('"GET /needs" 200' in line for line in access), log
    assert "Sumarni" not in log
    assert not any("127.0.0.1" in line for line in access)
