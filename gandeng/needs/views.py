"""Web pages for needs (being built)."""
from flask import Blueprint

bp = Blueprint("needs", __name__, url_prefix="/needs")


@bp.get("/")
def index():
    return "needs"
