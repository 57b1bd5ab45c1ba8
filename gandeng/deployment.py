"""Running behind a reverse proxy (nginx, Caddy): trust its X-Forwarded-* headers only when told to."""
from werkzeug.middleware.proxy_fix import ProxyFix


def apply_proxy_fix(app) -> None:
    """With PROXY_FIX_X_FOR=1 (one proxy in front), request.remote_addr is the client's address from
    X-Forwarded-For, so the per-address log-in limits count each client; PROXY_FIX_X_PROTO=1 and
    PROXY_FIX_X_HOST=1 likewise take the scheme and host. Unset (0): the headers are ignored, as they
    must be when clients reach the app directly and could forge them."""
    hops = {name: int(app.config.get(f"PROXY_FIX_X_{name.upper()}") or 0) for name in ("for", "proto", "host")}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops["for"], x_proto=hops["proto"], x_host=hops["host"])


def per_worker_limits_problem(workers: int, environ=None, instance_dir: str = "instance") -> str | None:
    """Why `workers` gunicorn workers must not start, or None: with in-memory rate limits each worker
    counts log-in failures on its own, so N workers allow N times the configured guesses.
    ALLOW_IN_MEMORY_LIMITS=1 accepts that knowingly (e.g. a test server)."""
    import os

    from flask import Config

    from gandeng import settings

    environ = os.environ if environ is None else environ
    if workers <= 1 or environ.get("ALLOW_IN_MEMORY_LIMITS", "").strip().lower() in ("1", "true", "yes"):
        return None
    config = Config(os.path.abspath(instance_dir))
    config.from_mapping(settings.DEFAULTS)
    config.from_pyfile("config.py", silent=True)
    for name in ("RATELIMIT_STORAGE_URI", "REDIS_URL"):
        if environ.get(name):
            config[name] = environ[name]
    if not settings.limiter_storage(config).startswith("memory://"):
        return None
    return (f"Refusing to start {workers} gunicorn workers with in-memory rate limits: each worker would "
            f"count failed log-ins on its own ({workers} times the configured limit). Set REDIS_URL (or "
            "RATELIMIT_STORAGE_URI=redis://…), or GUNICORN_WORKERS=1, or ALLOW_IN_MEMORY_LIMITS=1 to accept it.")


def load_pages(app) -> None:
    """The app's pages registered now if app.py put them off (gandeng.factory.GandengFlask):
    before forking the workers or serving the first request, not during it."""
    loader = getattr(app, "load_pages", None)
    if loader is not None:
        loader()


def freeze_loaded_heap() -> None:
    """Take what is alive now (the loaded app: ~220,000 objects of modules, SQLAlchemy mappers,
    Babel catalogues, templates) out of the garbage collector's sight for good (`gc.freeze`).
    Those objects live as long as the process; without this each full collection walks them all,
    a 100–300 ms pause of the worker (every request it holds waits: the p99 of a cached page),
    and forked workers copy the master's memory pages by touching the objects' GC headers. Later
    full collections walk only what requests left behind. Called by deploy/gunicorn.conf.py once
    the app is loaded (in the master before each fork with preload_app, in the worker otherwise)."""
    import gc

    gc.collect()
    gc.freeze()


def forget_inherited_connections(app) -> None:
    """In a worker forked from a master that loaded the app (preload_app): any database connection
    in the pools belongs to the master. Drop them from this process's pools without closing them
    (closing would end the master's session on the server), so the worker opens its own."""
    from gandeng.db import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
