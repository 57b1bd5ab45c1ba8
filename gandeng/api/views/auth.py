"""POST /api/v1/auth/token (log in, get a bearer token) and DELETE (revoke the token in use)."""
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from gandeng.accounts.services import authenticate, normalise_email
from gandeng.api.auth import issue_token, revoke_token, token_days
from gandeng.api.common import blueprint, documented
from gandeng.api.errors import ApiError, unauthorized
from gandeng.api.schemas import TokenRequestSchema, TokenSchema
from gandeng.api.serializers import utc
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.extensions import limiter

bp = blueprint("auth", "/auth", "Bearer tokens: log in with e-mail and password, revoke.")

# The same buckets as the web log-in form (scope "accounts.login", same keys): failures through
# the API and through the form count together, per address and per account.
LOGIN_SCOPE = "accounts.login"


def _account_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) and isinstance(body.get("email"), str) else ""
    return "login-account:" + normalise_email(email)[:254]


def _failed(response) -> bool:
    return response.status_code != 200


@bp.post("/token")
@limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], scope=LOGIN_SCOPE,
                      key_func=get_remote_address, methods=["POST"])
@limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], scope=LOGIN_SCOPE,
                      key_func=_account_key, methods=["POST"], deduct_when=_failed)
@bp.arguments(TokenRequestSchema)
@bp.response(200, TokenSchema)
@documented(bp, 400, 401, 422)
def create_token(data):
    """Log in: a bearer token valid API_TOKEN_DAYS days (default 30). The token is shown only here."""
    try:
        user = authenticate(db.session, data["email"], data["password"])
    except DomainError as error:
        db.session.rollback()
        raise ApiError(401, "invalid_credentials", error.message) from None
    plain, token = issue_token(db.session, user, token_days(), data.get("name", ""))
    db.session.commit()
    return {"token": plain, "expires_at": utc(token.expires_at)}


@bp.delete("/token")
@bp.response(204)
@documented(bp, 401)
def delete_token():
    """Revoke the token this request carries; it answers 401 from now on."""
    token = getattr(g, "api_token", None)
    if token is None:
        raise unauthorized(_("Kirim token yang ingin dicabut di header Authorization."))
    revoke_token(db.session, token.user, token)
    db.session.commit()
    return ""
