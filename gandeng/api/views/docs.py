"""GET /api/v1/docs: Swagger UI over /api/v1/openapi.json, from vendored files (no CDN)."""
from flask import Blueprint, render_template

SWAGGER_UI_VERSION = "5.35.0"

bp = Blueprint("api_docs_page", __name__)


@bp.get("/api/v1/docs")
def docs():
    return render_template("api/docs.html", swagger_ui=f"vendor/swagger-ui-{SWAGGER_UI_VERSION}")
