"""Configuration: defaults here, then `instance/config.py`, then environment variables."""
import os
import secrets
from pathlib import Path

DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 26 * 1024 * 1024,  # a form may carry several 5 MB files
    "MAX_UPLOAD_BYTES": 5 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ("id", "en"),
    "WTF_CSRF_TIME_LIMIT": None,  # a coordinator may take long to fill a need on a phone
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Explicit, because Flask-Limiter keeps the previous app's value when the key is missing.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_LIMIT_PER_IP": "30 per minute;200 per hour",
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute;20 per hour",
    "PASSWORD_HASH_COST": "normal",
    "PER_PAGE": 20,
    # E-mail (the outbox): without MAIL_SERVER nothing is sent and the e-mails wait in the outbox.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_FROM": "Gandeng Gendong <noreply@localhost>",
    "PUBLIC_BASE_URL": "",  # e.g. https://gandeng.jogjakota.go.id: makes e-mailed links absolute
    # Public figures (reports.public_cache): a cached copy lives at most this long even if no write
    # bumps the version, and anonymous public pages re-read the version at most this often.
    "PUBLIC_CACHE_SECONDS": 120,
    "PUBLIC_VERSION_CHECK_SECONDS": 1.0,
}

# Environment variables read as settings (name -> how to read it).
ENV_SETTINGS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "RATELIMIT_STORAGE_URI": str,
    "SESSION_COOKIE_SECURE": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_USE_TLS": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_FROM": str,
    "PUBLIC_BASE_URL": str,
    # Behind a reverse proxy: how many proxies' X-Forwarded-For / -Proto / -Host to trust (0: none).
    "PROXY_FIX_X_FOR": int,
    "PROXY_FIX_X_PROTO": int,
    "PROXY_FIX_X_HOST": int,
    "UPLOAD_DIR": str,  # attachments and photos; default instance/uploads
    "LOGIN_LIMIT_PER_IP": str,  # e.g. "1000 per minute" for a load test from one address
    "LOGIN_LIMIT_PER_ACCOUNT": str,
    "PUBLIC_CACHE_SECONDS": int,
    "PUBLIC_VERSION_CHECK_SECONDS": float,
}


def load(app, test_config=None):
    """Fill `app.config` from defaults, the instance file, the environment and `test_config`."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for name, read in ENV_SETTINGS.items():
        if os.environ.get(name):
            app.config[name] = read(os.environ[name])
    if test_config:
        app.config.update(test_config)
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    instance = Path(app.instance_path)
    app.config.setdefault("UPLOAD_DIR", str(instance / "uploads"))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get("DATABASE_URL") or (
            f"sqlite:///{instance / 'gandeng.sqlite'}"
        )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)


def _instance_secret(instance: Path) -> str:
    """A random key kept in instance/ so sessions survive restarts and no secret lives in git."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        # Several gunicorn workers may start at once: the key is written aside and linked into place,
        # so exactly one key wins and no worker reads a half-written file.
        draft = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
