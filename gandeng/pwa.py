"""The app on a phone's home screen: the web app manifest and the service worker, served from the
site's root so the worker may serve the static files of every page (it never keeps pages)."""
from pathlib import Path

from flask import Blueprint, current_app, url_for
from flask_babel import gettext as _

bp = Blueprint("pwa", __name__)

WORKER = Path("js") / "sw.js"


@bp.get("/sw.js")
def service_worker():
    """static/js/sw.js at /sw.js (a worker controls only the pages under its own path)."""
    # Read whole (2 KB): no file handle outlives the request.
    body = (Path(current_app.static_folder) / WORKER).read_bytes()
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # a new worker reaches phones at their next visit
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Name, colours and local icons; opens on the user's own start page."""
    body = {
        "name": _("Gandeng Gendong Kota Yogyakarta"),
        "short_name": "Gandeng Gendong",
        "lang": "id",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f46",
        "icons": [
            {"src": url_for("static", filename="img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url_for("static", filename="img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": url_for("static", filename="img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = current_app.response_class(current_app.json.dumps(body), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
