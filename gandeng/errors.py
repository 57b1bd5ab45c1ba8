"""Domain errors with user-facing messages, and the app's error pages."""
import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database is away (a restart, a fail-over, the network).
RETRY_AFTER_S = 15


class DomainError(Exception):
    """A rule refused the action; `message` is shown to the user as it is."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(status: int, code: str, message: str):
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    return render_template("errors/error.html", status=status, message=message), status


def database_unavailable(error: BaseException | None) -> bool:
    """True for a failure to reach the database (refused, dropped, terminated, pool exhausted), as
    opposed to a bug: the request may succeed if tried again shortly."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


def _forget_session() -> None:
    """Drop the request's database session; with the database away even that may fail."""
    from gandeng.db import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 — nothing more to undo on a dead connection
        pass


def plain_page(message: str, retry_after: int | None = None, refresh: bool = False) -> str:
    """errors/unavailable.html drawn without the context processors: Flask-Login's loads the
    signed-in user from the database for every render_template."""
    from flask import current_app

    template = current_app.jinja_env.get_template("errors/unavailable.html")
    return template.render(message=message, retry_after=retry_after, refresh=refresh)


def unavailable_response(error: BaseException):
    """503 with Retry-After: JSON for the API, else a page rendered without the database (no
    signed-in user is loaded: its template does not extend base.html). Logged without the SQL or
    its parameters (they may carry personal data)."""
    _forget_session()
    cause = getattr(error, "orig", None) or error
    detail = (str(cause).strip().splitlines() or [""])[0][:200]
    log.warning("database unavailable: %s: %s (%s %s)", type(cause).__name__, detail, request.method, request.path)
    message = _("Basis data sedang tidak dapat dihubungi. Coba lagi sebentar lagi.")
    if _wants_json():
        response = jsonify({"error": {"code": "unavailable", "message": message}})
    else:
        response = make_response(plain_page(message, RETRY_AFTER_S, refresh=request.method == "GET"))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def register_error_handlers(app):
    """Friendly Indonesian pages (or JSON under /api/) for the usual HTTP errors."""

    @app.errorhandler(400)
    def bad_request(error):
        return _respond(400, "bad_request", _("Permintaan tidak dapat diproses."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _respond(
            400, "csrf", _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.")
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _respond(403, "forbidden", _("Anda tidak berhak membuka halaman ini."))

    @app.errorhandler(404)
    def not_found(error):
        return _respond(404, "not_found", _("Halaman tidak ditemukan."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _respond(405, "method_not_allowed", _("Cara permintaan ini tidak diizinkan."))

    @app.errorhandler(413)
    def too_large(error):
        return _respond(413, "too_large", _("Kiriman terlalu besar. Kirim foto satu per satu (paling besar "
                                            "20 MB per foto, 5 MB per PDF) lalu coba lagi."))

    @app.errorhandler(429)
    def too_many(error):
        return _respond(
            429, "rate_limited", _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.")
        )

    @app.errorhandler(DomainError)
    def domain_error(error):
        return _respond(error.status, type(error).__name__.lower(), error.message)

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    @app.errorhandler(sa_exc.TimeoutError)
    def database_away(error):
        return unavailable_response(error)

    @app.errorhandler(500)
    def server_error(error):
        # An error raised while another error page was drawn (its base.html loads the signed-in
        # user) arrives here wrapped: the database being away is still a 503.
        original = getattr(error, "original_exception", None)
        if database_unavailable(original):
            return unavailable_response(original)
        message = _("Terjadi kesalahan di server. Petugas sudah dapat melihatnya.")
        try:
            return _respond(500, "server_error", message)
        except Exception:  # noqa: BLE001 — the page itself failed: the plain one needs nothing
            log.exception("the error page failed")
            return plain_page(message), 500
