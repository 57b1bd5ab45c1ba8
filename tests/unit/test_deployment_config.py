"""Deployment settings: gunicorn's config reads the environment and keeps personal data out of the
access log; workers starting at once agree on one instance secret key."""
import os
import runpy
import stat
import threading
from pathlib import Path

from gandeng.settings import _instance_secret

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
GUNICORN_ENV = ("PORT", "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
                "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESS_LOG", "GUNICORN_LOG_LEVEL", "GUNICORN_CONTROL_SOCKET")


def load_conf(monkeypatch, **env):
    for name in GUNICORN_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_defaults_bind_loopback_and_scale_workers_with_the_cores(monkeypatch):
    conf = load_conf(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    cores = len(os.sched_getaffinity(0))
    assert conf["workers"] == min(2 * cores + 1, 9)
    assert conf["threads"] == 2
    assert conf["accesslog"] == "-"
    assert conf["control_socket_disable"] is True  # no socket shared by every instance in $HOME


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    conf = load_conf(monkeypatch, PORT="8123", GUNICORN_WORKERS="5", GUNICORN_THREADS="4", GUNICORN_TIMEOUT="90",
                     GUNICORN_MAX_REQUESTS="0", GUNICORN_ACCESS_LOG="off")
    assert (conf["bind"], conf["workers"], conf["threads"], conf["timeout"]) == ("127.0.0.1:8123", 5, 4, 90)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (0, 0)
    assert conf["accesslog"] is None
    assert load_conf(monkeypatch, GUNICORN_BIND="unix:/run/gandeng/web.sock")["bind"] == "unix:/run/gandeng/web.sock"


def test_access_log_format_leaves_out_query_strings_and_client_details(monkeypatch):
    log_format = load_conf(monkeypatch)["access_log_format"]
    assert "%(U)s" in log_format  # the path, without the query string
    for atom in ("%(r)s", "%(q)s", "%(h)s", "%(a)s", "%(f)s", "%(u)s", "{"):
        assert atom not in log_format


def test_workers_starting_at_once_get_one_secret_key(tmp_path):
    keys, errors = [], []
    start = threading.Barrier(8)

    def worker():
        try:
            start.wait()
            keys.append(_instance_secret(tmp_path))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]
