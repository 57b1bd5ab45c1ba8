"""Web pages for offers (being built)."""
from flask import Blueprint

bp = Blueprint("offers", __name__, url_prefix="/offers")


@bp.get("/")
def index():
    return "offers"
