"""JSON errors of the API: {"error": {"code", "message", "fields"?}} for every 4xx.

Messages are Indonesian (translated with the interface language): a service's DomainError keeps
its own message; marshmallow/webargs validation messages are translated here."""
import re

from flask import jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from gandeng.errors import Conflict, DomainError, NotAllowed, NotFound

# Service field names that the API calls differently.
FIELD_ALIASES = {"category_code": "category"}


class ApiError(Exception):
    """An API refusal with its HTTP status and machine-readable code."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, str(message), fields


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


def unauthorized(message=None) -> ApiError:
    return ApiError(401, "unauthorized", message or _("Perlu masuk: kirim token API yang sah."))


def forbidden(message=None) -> ApiError:
    return ApiError(403, "forbidden", message or _("Anda tidak berhak melakukan ini."))


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Data tidak ditemukan."))


# marshmallow's and webargs' English messages -> Indonesian.
def _patterns():
    return [
        (r"Missing data for required field\.", lambda m: _("Wajib diisi.")),
        (r"Unknown field\.", lambda m: _("Kolom tidak dikenal.")),
        (r"Not a valid integer\.", lambda m: _("Harus berupa bilangan bulat.")),
        (r"Not a valid number\.", lambda m: _("Harus berupa angka.")),
        (r"Not a valid string\.", lambda m: _("Harus berupa teks.")),
        (r"Not a valid boolean\.", lambda m: _("Harus true atau false.")),
        (r"Not a valid date\.", lambda m: _("Tanggal tidak sah (YYYY-MM-DD).")),
        (r"Not a valid list\.", lambda m: _("Harus berupa daftar.")),
        (r"Not a valid mapping type\.", lambda m: _("Harus berupa objek JSON.")),
        (r"Invalid input type\.", lambda m: _("Jenis data tidak sah.")),
        (r"Field may not be null\.", lambda m: _("Tidak boleh kosong (null).")),
        (r"Special numeric values \(nan or infinity\) are not permitted\.", lambda m: _("Angka tidak sah.")),
        (r"Invalid JSON body\.", lambda m: _("Isi permintaan bukan JSON yang sah.")),
        (r"Longer than maximum length (\d+)\.", lambda m: _("Maksimal %(max)s karakter.", max=m.group(1))),
        (r"Shorter than minimum length (\d+)\.", lambda m: _("Minimal %(min)s karakter.", min=m.group(1))),
        (r"Length must be between (\d+) and (\d+)\.",
         lambda m: _("Panjang harus antara %(min)s dan %(max)s.", min=m.group(1), max=m.group(2))),
        (r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
         lambda m: _("Angka harus antara %(min)s dan %(max)s.", min=m.group(1), max=m.group(2))),
        (r"Must be greater than or equal to (\S+)\.", lambda m: _("Minimal %(min)s.", min=m.group(1))),
        (r"Must be less than or equal to (\S+)\.", lambda m: _("Maksimal %(max)s.", max=m.group(1))),
        (r"Must be one of: (.*)\.", lambda m: _("Pilih salah satu: %(choices)s.", choices=m.group(1))),
        (r"Longer than maximum length.*|Must be one of.*", lambda m: _("Nilai tidak sah.")),
    ]


def translate(message) -> str:
    text = str(message)
    for pattern, make in _patterns():
        match = re.fullmatch(pattern, text)
        if match:
            return str(make(match))
    return text


def flatten(messages, prefix="") -> dict[str, list[str]]:
    """webargs' nested messages ({"json": {"title": [...]}}) as {"title": [...]}."""
    if isinstance(messages, (list, tuple)):
        if all(isinstance(m, (str, bytes)) or not isinstance(m, (dict, list)) for m in messages):
            return {prefix or "_schema": [translate(m) for m in messages]}
        found = {}
        for item in messages:
            found.update(flatten(item, prefix))
        return found
    if isinstance(messages, dict):
        found = {}
        for key, value in messages.items():
            key = str(key)
            if not prefix and key in ("json", "query", "headers", "form", "files", "path", "view_args"):
                name = ""
            elif key == "_schema":
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else FIELD_ALIASES.get(key, key)
            for field, texts in flatten(value, name).items():
                found.setdefault(field, []).extend(texts)
        return found
    return {prefix or "_schema": [translate(messages)]}


def _domain_code(error: DomainError) -> tuple[int, str]:
    from gandeng.collaborations.services import ProposalBusy, StaleProposal

    if isinstance(error, StaleProposal):
        return 409, "stale_proposal"
    if isinstance(error, ProposalBusy):
        return 409, "proposal_busy"
    if isinstance(error, NotAllowed):
        return 403, "forbidden"
    if isinstance(error, NotFound):
        return 404, "not_found"
    if isinstance(error, Conflict) and error.field == "idempotency_key":  # spent on another proposal
        return 409, "idempotency_key_reused"
    if isinstance(error, Conflict):
        return 409, "conflict"
    return 422, "invalid"


def domain_error_response(error: DomainError):
    status, code = _domain_code(error)
    fields = None
    if error.field and status == 422:
        fields = {FIELD_ALIASES.get(error.field, error.field): [error.message]}
    return error_response(status, code, error.message, fields)


HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid", 429: "rate_limited",
}


def _http_message(status: int) -> str:
    return {
        400: _("Permintaan tidak dapat diproses."),
        401: _("Perlu masuk: kirim token API yang sah."),
        403: _("Anda tidak berhak melakukan ini."),
        404: _("Data tidak ditemukan."),
        405: _("Cara permintaan ini tidak diizinkan."),
        409: _("Permintaan bertabrakan dengan keadaan data sekarang."),
        413: _("Isi permintaan terlalu besar."),
        415: _("Kirim isi permintaan sebagai application/json."),
        422: _("Data tidak sah. Periksa kolom yang disebut."),
        429: _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."),
    }.get(status, _("Permintaan tidak dapat diproses."))


def http_error_response(error: HTTPException):
    status = error.code or 400
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if messages:
        fields = flatten(messages)
        if status == 400 and set(fields) == {"_schema"}:  # invalid JSON
            return error_response(400, "bad_request", fields["_schema"][0])
        return error_response(422, "invalid", _http_message(422), fields)
    return error_response(status, HTTP_CODES.get(status, "error"), _http_message(status))


def _rolled_back(handler):
    """Nothing half-done survives a refusal (what must survive, e.g. a stale mark, was committed)."""
    def respond(error):
        from gandeng.db import db

        db.session.rollback()
        return handler(error)
    return respond


def api_error_response(error: ApiError):
    return error_response(error.status, error.code, error.message, error.fields)


def register(blueprint) -> None:
    """The API's error handlers on one blueprint (they win over the app's HTML pages)."""
    blueprint.register_error_handler(ApiError, _rolled_back(api_error_response))
    blueprint.register_error_handler(DomainError, _rolled_back(domain_error_response))
    for status in HTTP_CODES:
        blueprint.register_error_handler(status, _rolled_back(http_error_response))
