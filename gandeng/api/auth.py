"""Who calls the API: a bearer token (stored hashed, revocable, expiring) or the web session cookie.

- `Authorization: Bearer TOKEN`: the token's SHA-256 is looked up in api_tokens; a missing,
  revoked or expired token, or one of a user who is no longer active, is a 401.
- No Authorization header: the web session (Flask-Login cookie) counts, so the site's own pages
  may call the API; then POST/PATCH/DELETE must carry the `X-CSRFToken` header (the same token as
  the forms), otherwise 400. A request without either is anonymous.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select, update

from gandeng.api.errors import ApiError, unauthorized
from gandeng.api.models import ApiToken
from gandeng.audit.services import record
from gandeng.db import db, utcnow

TOKEN_BYTES = 32
LAST_USED_EVERY = timedelta(minutes=5)  # how often last_used_at is written (not on every request)
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
OPEN_WRITES = ("api_auth.create_token",)  # the only write an anonymous caller may make


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(session, user, days: int, name: str = "") -> tuple[str, ApiToken]:
    """A new token for `user` valid `days` days: (the plain token, shown once; its row)."""
    plain = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    token = ApiToken(user_id=user.id, token_hash=hash_token(plain), name=(name or "")[:80],
                     created_at=now, expires_at=now + timedelta(days=days))
    session.add(token)
    session.flush()
    record(session, user, "api_token.create", token, after={"name": token.name,
                                                            "expires_at": token.expires_at.isoformat()})
    return plain, token


def revoke_token(session, actor, token: ApiToken) -> None:
    """The token stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        record(session, actor, "api_token.revoke", token, after={"name": token.name})


def revoke_all_tokens(session, user, actor=None) -> int:
    """Every unrevoked token of `user` stops working at once (password reset, suspension, role change);
    returns how many were revoked."""
    now = utcnow()
    revoked = session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session="fetch")
    ).rowcount
    session.flush()
    if revoked:
        record(session, actor, "api_token.revoke_all", user, after={"revoked": revoked})
    return revoked


def valid_token(session, plain: str) -> ApiToken | None:
    """The token row for `plain` if it is neither revoked nor expired and its user is active."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    if token.user is None or not token.user.is_active:
        return None
    return token


def bearer() -> str | None:
    """The bearer token of this request, None without an Authorization header; 401 if malformed."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > 200:
        raise unauthorized(_("Header Authorization harus berbentuk: Bearer TOKEN."))
    return value


def authenticate_request() -> None:
    """Sets g.api_user (a User or None) and g.api_token for an /api/v1 request; 401 for a bad token;
    400 for a cookie-authenticated write without a valid X-CSRFToken header."""
    g.api_user, g.api_token = None, None
    plain = bearer()
    if plain is not None:
        token = valid_token(db.session, plain)
        if token is None:
            db.session.rollback()
            raise unauthorized(_("Token tidak sah, sudah dicabut atau sudah kedaluwarsa."))
        g.api_user, g.api_token = token.user, token
        if token.last_used_at is None or utcnow() - token.last_used_at > LAST_USED_EVERY:
            token.last_used_at = utcnow()
            db.session.commit()
        return
    if current_user.is_authenticated:
        g.api_user = current_user._get_current_object()
        if request.method in UNSAFE_METHODS:
            _check_csrf_header()
    elif request.method in UNSAFE_METHODS and request.endpoint not in OPEN_WRITES:
        raise unauthorized()  # before the body is even validated


def _check_csrf_header() -> None:
    from flask_wtf.csrf import validate_csrf
    from wtforms.validators import ValidationError

    try:
        validate_csrf(request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token"))
    except ValidationError:
        raise ApiError(400, "csrf", _("Permintaan dengan sesi peramban harus membawa header X-CSRFToken "
                                      "yang sah (atau gunakan token API).")) from None


def actor():
    """The user the request acts for (None when anonymous)."""
    return getattr(g, "api_user", None)


def require_login():
    """The acting user, or 401."""
    user = actor()
    if user is None:
        raise unauthorized()
    return user


def rate_limit_key() -> str:
    """Rate limits count per token (its hash), else per signed-in session user, else per address."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return "api-token:" + hash_token(value.strip())
    user_id = session.get("_user_id")  # the cookie's user; checked later by authenticate_request
    if user_id:
        return f"api-user:{user_id}"
    return "api-ip:" + (get_remote_address() or "")


def token_days() -> int:
    return int(current_app.config.get("API_TOKEN_DAYS", 30))
