"""Domain errors with user-facing messages, and the app's error pages."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


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

    @app.errorhandler(500)
    def server_error(error):
        return _respond(500, "server_error", _("Terjadi kesalahan di server. Petugas sudah dapat melihatnya."))
