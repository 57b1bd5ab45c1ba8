"""POST /api/v1/auth/token (log in, get a bearer token) and DELETE (revoke the token in use)."""
from flask import g, request
from flask_babel import gettext as _

from gandeng.accounts.login_limits import login_limits
from gandeng.accounts.services import authenticate
from gandeng.api.auth import issue_token, revoke_token, token_days
from gandeng.api.common import blueprint, documented
from gandeng.api.errors import ApiError, unauthorized
from gandeng.api.schemas import TokenRequestSchema, TokenSchema
from gandeng.api.serializers import utc
from gandeng.db import db
from gandeng.errors import DomainError

bp = blueprint("auth", "/auth", "Bearer tokens: log in with e-mail and password, revoke.")

def _email() -> str:
    body = request.get_json(silent=True)
    return body.get("email") if isinstance(body, dict) and isinstance(body.get("email"), str) else ""


# The same buckets as the web log-in form: failures through the API and through the form count together.
@bp.post("/token")
@login_limits(_email, failed=lambda response: response.status_code != 200)
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
