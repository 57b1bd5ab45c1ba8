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
                "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESS_LOG", "GUNICORN_LOG_LEVEL", "GUNICORN_CONTROL_SOCKET",
                "ALLOW_IN_MEMORY_LIMITS", "REDIS_URL", "RATELIMIT_STORAGE_URI")


def load_conf(monkeypatch, **env):
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")  # shared limits: several workers allowed
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
    assert conf["threads"] == 1  # the sync worker: every request goes to whichever worker is free
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


# --- several workers need shared rate limits (audit finding 5) -----------------------------------

def test_gunicorn_refuses_several_workers_with_in_memory_limits_and_says_why(monkeypatch):
    import pytest

    with pytest.raises(SystemExit) as refused:
        load_conf(monkeypatch, REDIS_URL="", GUNICORN_WORKERS="3")
    assert "3 gunicorn workers with in-memory rate limits" in str(refused.value)
    assert "REDIS_URL" in str(refused.value) and "ALLOW_IN_MEMORY_LIMITS=1" in str(refused.value)


def test_gunicorn_starts_one_worker_or_shared_limits_or_when_told_so(monkeypatch):
    assert load_conf(monkeypatch, REDIS_URL="", GUNICORN_WORKERS="1")["workers"] == 1
    assert load_conf(monkeypatch, REDIS_URL="", RATELIMIT_STORAGE_URI="redis://10.0.0.5:6379/1",
                     GUNICORN_WORKERS="3")["workers"] == 3
    assert load_conf(monkeypatch, REDIS_URL="", ALLOW_IN_MEMORY_LIMITS="1", GUNICORN_WORKERS="3")["workers"] == 3


def test_limit_storage_in_the_instance_config_counts(tmp_path):
    from gandeng.deployment import per_worker_limits_problem

    assert per_worker_limits_problem(4, environ={}, instance_dir=str(tmp_path)) is not None
    (tmp_path / "config.py").write_text('RATELIMIT_STORAGE_URI = "redis://10.0.0.5:6379/1"\n')
    assert per_worker_limits_problem(4, environ={}, instance_dir=str(tmp_path)) is None


def test_real_gunicorn_exits_before_starting_workers_with_the_reason(tmp_path):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in GUNICORN_ENV + ("DATABASE_URL",)}
    env.update(GUNICORN_WORKERS="2", PORT="1", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite'}")
    result = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "--config", str(GUNICORN_CONF), "app:app"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "in-memory rate limits" in result.stderr


# --- workers forked from a loaded app (issue 15: the cached pages' tail latency) ------------------

def test_gunicorn_preloads_the_app_and_hooks_each_fork(monkeypatch):
    conf = load_conf(monkeypatch)
    assert conf["preload_app"] is True
    assert all(callable(conf[hook]) for hook in ("pre_fork", "post_fork", "post_worker_init"))
    assert load_conf(monkeypatch, GUNICORN_PRELOAD="0")["preload_app"] is False


def test_the_loaded_heap_is_frozen_out_of_the_collectors_walks():
    import gc

    from gandeng.deployment import freeze_loaded_heap

    try:
        freeze_loaded_heap()
        assert gc.get_freeze_count() > 10_000  # the modules and the app's objects
        kept = len(gc.get_objects())
        assert kept < gc.get_freeze_count()  # what a full collection still walks
    finally:
        gc.unfreeze()


def test_a_forked_worker_drops_the_connections_it_inherited(app, session):
    from gandeng.db import db
    from gandeng.deployment import forget_inherited_connections

    session.execute(db.select(1))
    session.commit()
    session.close()
    pool = db.engine.pool
    assert pool.checkedin() == 1
    forget_inherited_connections(app)
    assert db.engine.pool is not pool  # a fresh pool: the next request opens its own connection
    assert db.engine.pool.checkedin() == 0
    pool.dispose()  # the "master's" connection, closed by its owner
