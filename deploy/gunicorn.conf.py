"""gunicorn settings, all from the environment: `gunicorn -c deploy/gunicorn.conf.py app:app` (`make serve`).

PORT                   port on 127.0.0.1 (default 8000); a reverse proxy (nginx, Caddy) faces the internet
GUNICORN_BIND          full bind address instead, e.g. 0.0.0.0:8000 or unix:/run/gandeng/web.sock
GUNICORN_WORKERS       worker processes (default 2 × CPU cores + 1, at most 9)
GUNICORN_THREADS       threads per worker (default 1: the sync worker; more than 1 uses the gthread worker,
                       whose kept-alive connections stay with one busy worker while others idle: under 50
                       connections its p99 was 1.5-2.5 x the sync worker's, see docs/performance.md)
GUNICORN_TIMEOUT       seconds before a silent worker is killed and replaced (default 60)
GUNICORN_MAX_REQUESTS  requests after which a worker is replaced, with jitter (default 20000; 0 = never)
GUNICORN_PRELOAD       1 (default) = the master loads the app once and forks the workers from it; 0 = each
                       worker imports the app itself (2 s of CPU at every start and every replacement)
GUNICORN_ACCESS_LOG    where the access log goes: "-" = standard output (default), a file, or "off"
GUNICORN_LOG_LEVEL     error log level (default info)
GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket for `gunicornc`; unset = none (the default
                       path in $HOME would be shared by every instance of the same user)
ALLOW_IN_MEMORY_LIMITS 1 = start several workers even without Redis for the rate limits (each worker
                       then counts failed log-ins on its own); otherwise gunicorn refuses and says why

The access log holds no personal data: method, path without the query string (searches may hold
names), status, size and duration — no client address, referrer, user agent or query string. Paths
carry only numeric ids.
"""
import os
import sys
from pathlib import Path

MAX_DEFAULT_WORKERS = 9
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # gandeng.deployment below, whatever directory gunicorn started in


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
workers = max(1, _int("GUNICORN_WORKERS", min(2 * _cores() + 1, MAX_DEFAULT_WORKERS)))
threads = max(1, _int("GUNICORN_THREADS", 1))

from gandeng.deployment import per_worker_limits_problem  # noqa: E402

_problem = per_worker_limits_problem(workers, instance_dir=str(ROOT / "instance"))
if _problem:
    raise SystemExit(_problem)  # gunicorn exits with this line on stderr, before any worker starts
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# 20000, not 1000: a worker serves a cached /public in ~2 ms, so at a crowd's 500 requests/s 1000 would
# replace each worker every few seconds (a restart costs a second of imports and cold caches).
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10
# Preloaded: the app is imported once, in the master, and every worker is a fork of it. A worker
# replaced after max_requests then starts in milliseconds instead of importing the app for ~2 s of
# CPU on a 2-core machine while a crowd waits (at 2,000 requests/s each of 4 workers passes 20,000
# within a minute: the issue-15 benchmark's second and third runs showed it in their p99), and the
# workers share the app's memory pages. The hooks below give each worker its own database
# connections and keep the loaded app out of the garbage collector's walks.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in ("0", "false", "no", "off")


def pre_fork(server, worker):
    """In the master, before each fork: the loaded app frozen out of the collector (see
    gandeng.deployment.freeze_loaded_heap), so the children share its pages."""
    app = getattr(server.app, "callable", None) if server.cfg.preload_app else None
    if app is not None:
        from gandeng.deployment import freeze_loaded_heap, load_pages

        load_pages(app)  # app.py puts the pages off until needed: registered once, here
        freeze_loaded_heap()


def post_fork(server, worker):
    """In the new worker: connections the master may have opened are not this process's."""
    app = getattr(worker.app, "callable", None)
    if app is not None:
        from gandeng.deployment import forget_inherited_connections

        forget_inherited_connections(app)


def post_worker_init(worker):
    """The worker has its app (loaded here without preload): froze it out of the collector's walks,
    which otherwise cost a 100–300 ms pause every few thousand requests (the cached pages' p99)."""
    from gandeng.deployment import freeze_loaded_heap, load_pages

    load_pages(worker.wsgi)
    freeze_loaded_heap()


proc_name = "gandeng-web"
if os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip():
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"].strip()
else:
    control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # worker heartbeats never wait on a slow disk

_access = os.environ.get("GUNICORN_ACCESS_LOG", "-").strip()
accesslog = None if _access.lower() in ("", "off", "none") else _access
access_log_format = '%(t)s %(p)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
