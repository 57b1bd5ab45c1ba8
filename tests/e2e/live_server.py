"""A live app server for end-to-end tests: gunicorn in its own process group (started, killed
with SIGKILL, restarted) and a tiny stdlib HTTP client that logs in through the real forms."""
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
# The browser tests on the demo data: with `--dist loadgroup` (make test) they share one xdist worker,
# so the demo database and the read-only server (tests/e2e/conftest.py) are made once per run.
DEMO_GROUP = pytest.mark.xdist_group("demo_server")
START_TIMEOUT = 90  # seconds for gunicorn to answer after a (re)start
HTTP_TIMEOUT = 30
# Environment the server must not inherit from the test run: it gets its own database and no
# Redis (sessions are signed cookies, rate limits per worker), and its address and workers here.
DROPPED_ENV = ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "SESSION_COOKIE_SECURE", "MAIL_SERVER",
               "PUBLIC_BASE_URL", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY", "FLASK_APP", "GUNICORN_BIND",
               "PORT", "GUNICORN_WORKERS", "GUNICORN_CONTROL_SOCKET", "LOGIN_LIMIT_PER_IP",
               "LOGIN_LIMIT_PER_ACCOUNT")


def server_env(**settings) -> dict:
    """The test run's environment without the settings above, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(settings)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_open(port) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Server:
    """gunicorn with the production settings (deploy/gunicorn.conf.py, as `make serve`) and 2
    workers (or `workers`) on 127.0.0.1:port against `database_url`, in a new session (its own
    process group, so one killpg reaches the master and both workers)."""

    def __init__(self, database_url: str, tmp_path: Path, workers: int = 2):
        self.port = free_port()
        self.workers = workers
        self.log_path = tmp_path / "gunicorn.log"
        self.process = None
        self.env = server_env(DATABASE_URL=database_url, SECRET_KEY=f"e2e-{secrets.token_hex(16)}",
                              UPLOAD_DIR=str(tmp_path / "uploads"), GUNICORN_ACCESS_LOG="off",
                              PYTHONUNBUFFERED="1", ALLOW_IN_MEMORY_LIMITS="1")  # no Redis here, knowingly

    def start(self) -> float:
        """Start and wait until a page answers; returns the seconds it took."""
        started = time.monotonic()
        # The production settings (`make serve`) when present; workers and address set here.
        config = ["--config", str(GUNICORN_CONF)] if GUNICORN_CONF.is_file() else []
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", *config, "--workers", str(self.workers),
                 "--bind", f"127.0.0.1:{self.port}",
                 "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket", "app:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _, _ = Client(self.port).get("/login", timeout=5)
                if status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no worker gets to finish anything."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        """A clean stop (SIGTERM), escalated to SIGKILL after 15 s; safe to call twice."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass

    def log_tail(self, lines=40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class Client:
    """A tiny HTTP client on 127.0.0.1 keeping the cookies it is given (http.client + SimpleCookie).
    Redirects are not followed: a 302's Location is the acknowledgement of a write."""

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method, path, fields=None, headers=None, timeout=HTTP_TIMEOUT, keep_cookies=True):
        body = urlencode(fields or {}).encode() if method == "POST" else None
        sent = dict(headers or {})
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if keep_cookies:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        return response.status, response.headers, data.decode("utf-8", "replace")

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, fields=None, **kwargs):
        return self.request("POST", path, fields, **kwargs)

    def csrf_token(self, path) -> str:
        status, _, page = self.get(path)
        assert status == 200, f"GET {path} answered {status}"
        found = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'<input[^>]*value="([^"]+)"[^>]*name="csrf_token"', page)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def log_in(self, email) -> None:
        token = self.csrf_token("/login")
        status, headers, _ = self.post("/login", {"csrf_token": token, "email": email, "password": PASSWORD})
        assert status == 302, f"log-in of {email} answered {status}"


# --- the demo data (tests/e2e/conftest.py: demo_data, demo_server) ------------------------------------

def run_commands(folder: Path, commands) -> None:
    """`flask <command>` for each of `commands`, in process, on <folder>/demo.sqlite with uploads in
    <folder>/uploads (where live_server.Server keeps them); every connection closed after."""
    from gandeng.db import db
    from gandeng.factory import create_app
    from tests.conftest import BASE_CONFIG

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite'}",
                      "UPLOAD_DIR": str(folder / "uploads")})
    runner = app.test_cli_runner()
    for command in commands:
        done = runner.invoke(args=command)
        assert done.exit_code == 0, f"flask {' '.join(command)}: {done.output}"
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # the last connection closed: the WAL is folded into the file


def copy_demo_data(demo_data: Path, folder: Path) -> str:
    """The demo database and uploads copied into `folder`; returns the database URL."""
    shutil.copy(demo_data / "demo.sqlite", folder / "demo.sqlite")
    if (demo_data / "uploads").is_dir():
        shutil.copytree(demo_data / "uploads", folder / "uploads")
    return f"sqlite:///{folder / 'demo.sqlite'}"


def serve(url: str, folder: Path):
    """gunicorn (one worker: the pages are visited one at a time) on `url`; yields its base URL."""
    server = Server(url, folder, workers=1)
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.kill()
