"""Home page (the public brochure for visitors, each role's own work once signed in), language
switch and health check (with a deep check of the committed totals for staff)."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from gandeng import worklist
from gandeng.accounts.models import Role
from gandeng.accounts.policies import is_staff
from gandeng.db import db
from gandeng.urls import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Signed in: the role's own work (no extra redirect on a slow line); otherwise the brochure."""
    user = current_user
    if user.is_authenticated and user.is_active:
        if user.role == Role.COORDINATOR:
            return render_template("main/home_coordinator.html",
                                   home=worklist.coordinator_home(db.session, user))
        if user.role == Role.PARTNER:
            return render_template("main/home_partner.html", home=worklist.partner_home(db.session, user))
        if user.role in (Role.STAFF, Role.ADMIN):
            return render_template("main/home_staff.html", queues=worklist.staff_queues(db.session))
        if user.role in (Role.OFFICE, Role.GROUP):  # Nglarisi (issue 18): their orders are their work
            from gandeng.nglarisi.views import order_list

            return order_list()
    return public_home()


def public_home():
    """The brochure: city figures anyone may see, "reached" as every page counts it."""
    from gandeng.needs.queries import public_totals
    from gandeng.reports.reach import reach

    return render_template("main/home.html", totals=public_totals(db.session), reached=reach(db.session))


@bp.get("/bahasa/<lang>")
def set_language(lang):
    """Switch the interface language; only a local page may be the way back."""
    if lang in ("id", "en"):
        session["lang"] = lang
        if current_user.is_authenticated and getattr(current_user, "locale", lang) != lang:
            # Notifications and e-mails are written in the user's saved language: keep it in step.
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


DEEP_ROWS_SHOWN = 100  # disagreeing needs and offers listed per kind by the deep check


@bp.get("/healthz")
def healthz():
    """{"database": "ok"|"error", "redis": "ok"|"error"|"not configured"}: 200 when every configured
    service answers, 503 otherwise (for a load balancer or a monitor; no details of failures).
    `?deep=1` (staff only, 403 for others) also sums every need's and offer's commitments and
    compares them with the running totals the pages read: "committed_totals": "ok" or "disagree",
    and `disagreeing` lists the rows that differ (503 then)."""
    deep = request.args.get("deep") == "1"
    if deep and not is_staff(current_user):
        return jsonify({"error": "forbidden"}), 403
    status = {"database": "ok", "redis": "not configured"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the point of a health check is to report any failure
        db.session.rollback()
        status["database"] = "error"
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        status["redis"] = "ok" if redis_answers(redis_url) else "error"
    body = dict(status)
    if deep and status["database"] == "ok":
        status["committed_totals"] = body["committed_totals"] = committed_totals_check(body)
    healthy = all(value in ("ok", "not configured") for value in status.values())
    return jsonify(body), 200 if healthy else 503


def committed_totals_check(body: dict) -> str:
    """Says "ok" when every running committed total equals the sum of its commitments, else "disagree"
    with the rows that differ put in `body["disagreeing"]` (ids and Rupiah only: no personal data)."""
    from gandeng.collaborations.queries import running_totals_disagreements

    disagreeing = running_totals_disagreements(db.session, limit=DEEP_ROWS_SHOWN)
    if disagreeing:
        body["disagreeing"] = disagreeing
    return "disagree" if disagreeing else "ok"


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


# --- filters for numbers on narrow screens ----------------------------------------------------

def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "id")


@bp.app_template_filter("rupiah_short")
def rupiah_short_filter(amount):
    """Rp799,2 jt in an element that never breaks, the exact amount in its title."""
    from markupsafe import Markup, escape

    from gandeng.formatting import rupiah, rupiah_short

    return Markup('<span class="amount" title="{}">{}</span>').format(escape(rupiah(amount)),
                                                                       escape(rupiah_short(amount, _locale())))


@bp.app_template_filter("decimal")
def decimal_filter(value, digits: int = 2):
    """0,36 in Indonesian, 0.36 in English (scores, shares)."""
    from gandeng.formatting import decimal

    return decimal(value, _locale(), digits)
