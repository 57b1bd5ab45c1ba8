"""Configuration: defaults here, then `instance/config.py`, then environment variables."""
import os
import secrets
from pathlib import Path

DEFAULTS = {
    "ORDER_ACCEPT_MINUTES": 120,  # Nglarisi (issue 18): how long a group has to accept an order
    "ORDER_ANSWER_HOURS": "06:00-21:00",  # ... counted in these waking hours (WIB) only
    "SQLALCHEMY_ENGINE_OPTIONS": {},  # pooled connections checked without a round trip: db.install_connection_checks
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,  # a form may carry several whole phone photos (no JS)
    "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,    # one photo as a phone shoots it; stored ≤ 2 MB (gandeng.images)
    "MAX_DOCUMENT_BYTES": 5 * 1024 * 1024,   # a PDF cannot be made smaller, so it is kept as sent
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
    # Failures per account and client (browser or address), and the longer ceiling per account that a
    # browser which signed in to the account before is exempt from (gandeng/accounts/login_limits.py).
    "LOGIN_LIMIT_PER_ACCOUNT_CLIENT": "5 per minute;20 per hour",
    "LOGIN_LIMIT_PER_ACCOUNT": "30 per hour;100 per day",
    # Redis down or hung: count in this process's memory meanwhile (logged once), never fail a request.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
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
    # WhatsApp Business Cloud API (issue 14): without WHATSAPP_API_URL the channel is off.
    "WHATSAPP_API_URL": "",  # e.g. https://graph.facebook.com/v21.0
    "WHATSAPP_TOKEN": "",
    "WHATSAPP_PHONE_NUMBER_ID": "",
    "WHATSAPP_APP_SECRET": "",  # checks X-Hub-Signature-256 of /webhooks/whatsapp
    "WHATSAPP_VERIFY_TOKEN": "",  # the webhook's subscription handshake (hub.verify_token)
    "WHATSAPP_TEMPLATE_LANGUAGE": "id",
    "WHATSAPP_TIMEOUT_SECONDS": 15,
    # Account recovery: /password/forgot
    "PASSWORD_RESET_LIMIT_PER_IP": "10 per hour",
    "PASSWORD_RESET_LIMIT_PER_ACCOUNT": "3 per hour",
    # None = follow PUBLIC_BASE_URL: an https address makes cookies Secure and sends HSTS (one year).
    "SESSION_COOKIE_SECURE": None,
    "HSTS_MAX_AGE": None,
    # Public figures (reports.public_cache): a cached copy lives at most this long even if no write
    # bumps the version, and anonymous public pages re-read the version at most this often.
    "PUBLIC_CACHE_SECONDS": 120,
    "PUBLIC_VERSION_CHECK_SECONDS": 1.0,
    # Open data (issue 19): the producer and the contact point named in the catalogue (gandeng.opendata).
    "OPEN_DATA_PUBLISHER": "Pemerintah Kota Yogyakarta",
    "OPEN_DATA_PUBLISHER_URL": "https://jogjakota.go.id",
    "OPEN_DATA_CONTACT_NAME": "Sekretariat Program Gandeng Gendong",
    "OPEN_DATA_CONTACT_EMAIL": "",
    # Issue 19 (UU PDP): months after a need is closed before its names, phones and files are anonymised;
    # how the data protection officer is reached (shown at /privasi); anonymous requests per address.
    "PRIVACY_RETENTION_MONTHS": 24,
    "PRIVACY_DPO_CONTACT": "",
    "PRIVACY_REQUEST_LIMIT": "10 per hour",
}
HSTS_DEFAULT_SECONDS = 365 * 24 * 3600

# Environment variables read as settings (name -> how to read it).
ENV_SETTINGS = {
    "ORDER_ACCEPT_MINUTES": int,
    "ORDER_ANSWER_HOURS": str,
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
    "WHATSAPP_API_URL": str,
    "WHATSAPP_TOKEN": str,
    "WHATSAPP_PHONE_NUMBER_ID": str,
    "WHATSAPP_APP_SECRET": str,
    "WHATSAPP_VERIFY_TOKEN": str,
    "WHATSAPP_TEMPLATE_LANGUAGE": str,
    "PASSWORD_RESET_LIMIT_PER_IP": str,
    "PASSWORD_RESET_LIMIT_PER_ACCOUNT": str,
    # Behind a reverse proxy: how many proxies' X-Forwarded-For / -Proto / -Host to trust (0: none).
    "PROXY_FIX_X_FOR": int,
    "PROXY_FIX_X_PROTO": int,
    "PROXY_FIX_X_HOST": int,
    "UPLOAD_DIR": str,  # attachments and photos; default instance/uploads
    "LOGIN_LIMIT_PER_IP": str,  # e.g. "1000 per minute" for a load test from one address
    "LOGIN_LIMIT_PER_ACCOUNT": str,
    "LOGIN_LIMIT_PER_ACCOUNT_CLIENT": str,
    "HSTS_MAX_AGE": int,  # seconds; 0 switches HSTS off
    "PUBLIC_CACHE_SECONDS": int,
    "PUBLIC_VERSION_CHECK_SECONDS": float,
    "OPEN_DATA_PUBLISHER": str,
    "OPEN_DATA_PUBLISHER_URL": str,
    "OPEN_DATA_CONTACT_NAME": str,
    "OPEN_DATA_CONTACT_EMAIL": str,
    "PRIVACY_RETENTION_MONTHS": int,
    "PRIVACY_DPO_CONTACT": str,
    "PRIVACY_REQUEST_LIMIT": str,
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
    _transport_security(app.config)
    app.config["RATELIMIT_STORAGE_URI"] = limiter_storage(app.config)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):  # redis-py loads only when used
        from gandeng.fast_redis import fast_redis_options

        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", fast_redis_options())
    instance = Path(app.instance_path)
    app.config.setdefault("UPLOAD_DIR", str(instance / "uploads"))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get("DATABASE_URL") or (
            f"sqlite:///{instance / 'gandeng.sqlite'}"
        )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)


def limiter_storage(config) -> str:
    """Where the rate limits count: RATELIMIT_STORAGE_URI, else REDIS_URL, else this process's memory."""
    uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if config.get("REDIS_URL") and uri == "memory://":
        uri = config["REDIS_URL"]
    return uri


def _transport_security(config) -> None:
    """Served over https (PUBLIC_BASE_URL): the session cookie only travels encrypted and browsers
    are told to use https for a year, unless a setting says otherwise."""
    https = str(config.get("PUBLIC_BASE_URL") or "").lower().startswith("https://")
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = https
    if config.get("HSTS_MAX_AGE") is None:
        config["HSTS_MAX_AGE"] = HSTS_DEFAULT_SECONDS if https else 0


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
