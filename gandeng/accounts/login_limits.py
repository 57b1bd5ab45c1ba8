"""Limits on log-in attempts (web form and API token), shared by both, that slow a guesser without
locking the account's owner out.

Three counters, all in the limiter's storage (Redis when configured):
- per address (LOGIN_LIMIT_PER_IP): every attempt from one address, whatever the account;
- per account and client (LOGIN_LIMIT_PER_ACCOUNT_CLIENT): failures for one account from one client,
  the client being this browser when it carries a known-device cookie, else its address;
- per account (LOGIN_LIMIT_PER_ACCOUNT): a longer ceiling of failures for the account from anywhere,
  which a browser that has signed in to that account before does not count against nor stop at.

So an attacker who knows an e-mail can use up the ceiling, but the owner's usual browser still signs
in; the known-device cookie is signed (SECRET_KEY), names no account (only a keyed hash of it) and
travels only to /login.
"""
import hashlib
import hmac
import secrets

from flask import current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer

from gandeng.accounts.services import normalise_email
from gandeng.extensions import limiter

SCOPE = "accounts.login"  # one set of buckets for the form and the API
DEVICE_COOKIE = "gg_device"
DEVICE_DAYS = 180
DEVICE_ACCOUNTS = 8  # accounts remembered per browser (a shared office computer)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _account_tag(email: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, normalise_email(email).encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:24]


def _device() -> dict:
    """The known-device cookie's content ({"d": device id, "a": account tags}), {} if absent or forged."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer().loads(raw, max_age=DEVICE_DAYS * 24 * 3600)
    except BadSignature:
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("a"), list) else {}


def is_known_device(email: str) -> bool:
    """This browser signed in to the account of `email` before."""
    return bool(email) and _account_tag(email) in _device().get("a", [])


def remember_device(response, email: str):
    """Mark this browser as one that signed in to `email`'s account (after a successful log-in)."""
    device = _device()
    tag = _account_tag(email)
    accounts = [tag] + [t for t in device.get("a", []) if t != tag][: DEVICE_ACCOUNTS - 1]
    value = _serializer().dumps({"d": device.get("d") or secrets.token_urlsafe(12), "a": accounts})
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 24 * 3600, path="/login",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), httponly=True,
                        samesite="Lax")
    return response


def login_limits(email_of, failed):
    """Decorator for a log-in endpoint: the three limits above; `email_of()` reads the e-mail of this
    request, `failed(response)` says whether the attempt failed (only failures count per account)."""

    def account() -> str:
        return "login-account:" + normalise_email(email_of())[:254]

    def account_and_client() -> str:
        email = email_of()
        device = _device().get("d") if is_known_device(email) else None
        client = f"device:{device}" if device else f"ip:{get_remote_address()}"
        return f"{account()}:{client}"

    def known_device() -> bool:
        return is_known_device(email_of())

    def decorate(view):
        for limit, key_func, options in (
            ("LOGIN_LIMIT_PER_IP", get_remote_address, {}),
            ("LOGIN_LIMIT_PER_ACCOUNT_CLIENT", account_and_client, {"deduct_when": failed}),
            ("LOGIN_LIMIT_PER_ACCOUNT", account, {"deduct_when": failed, "exempt_when": known_device}),
        ):
            view = limiter.shared_limit(lambda name=limit: current_app.config[name], scope=SCOPE,
                                        key_func=key_func, methods=["POST"], **options)(view)
        return view

    return decorate
