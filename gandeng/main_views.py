"""Home page, language switch and health check."""
from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy import text

from gandeng.db import db

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
    target = request.args.get("next") or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("main.home")
    return redirect(target)


@bp.get("/healthz")
def healthz():
    """200 with {"database": "ok"} when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
        return jsonify({"database": "ok"})
    except Exception:  # the point of a health check is to report any failure
        db.session.rollback()
        return jsonify({"database": "error"}), 503
