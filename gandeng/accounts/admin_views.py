"""Staff pages that manage users, organisations and kampung (being built)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
def users():
    return "users"


@bp.get("/organisations")
def organisations():
    return "organisations"


@bp.get("/kampung")
def kampung_list():
    return "kampung"
