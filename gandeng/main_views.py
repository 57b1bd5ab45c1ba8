"""Home page, language switch and health check."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy import text

from gandeng.db import db
from gandeng.urls import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    from gandeng.needs.queries import public_totals

    return render_template("main/home.html", totals=public_totals(db.session))


@bp.get("/bahasa/<lang>")
def set_language(lang):
    """Switch the interface language; only a local page may be the way back."""
    if lang in ("id", "en"):
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


@bp.get("/healthz")
def healthz():
    """{"database": "ok"|"error", "redis": "ok"|"error"|"not configured"}: 200 when every configured
    service answers, 503 otherwise (for a load balancer or a monitor; no details of failures)."""
    status = {"database": "ok", "redis": "not configured"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the point of a health check is to report any failure
        db.session.rollback()
        status["database"] = "error"
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        status["redis"] = "ok" if redis_answers(redis_url) else "error"
    healthy = all(value in ("ok", "not configured") for value in status.values())
    return jsonify(status), 200 if healthy else 503


def redis_answers(url: str, timeout: float = 1.0) -> bool:
    """True when the Redis at `url` answers PING within `timeout` seconds."""
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (RedisError, OSError):
        return False
    finally:
        client.close()
