"""The public transparency page (/public) and open data, without any personal data.

The figures are cached until a write changes them (reports.public_cache); what is the same for
every visitor (the page for anonymous visitors, the map JSON, the CSVs) is served with an ETag and
`Cache-Control: public, max-age=60`. A signed-in user's page differs (their name, a logout form
with a CSRF token): it is built from the cached figures and never marked public."""
import json

from flask import Blueprint, abort, current_app, render_template, request, session
from flask_login import current_user

from gandeng.collaborations.lifecycle import PHOTO_FOLDER
from gandeng.db import db
from gandeng.reports import public
from gandeng.reports.public_cache import cached_value, public_response
from gandeng.reports.tabular import csv_body, json_records
from gandeng.uploads import stored_file_response, stored_path
from gandeng.web import page_number

bp = Blueprint("public", __name__)

LATEST = 6  # completed collaborations on /public; the rest on /public/collaborations
PARTNERS = 20  # partners listed on /public; all of them in partners.csv


def _index_figures(session) -> dict:
    return {
        "figures": public.city_figures(session),
        "kelurahan": public.kelurahan_figures(session),
        "latest": public.completed_page(session, 1, LATEST),
        "partners": public.partner_ranking(session, PARTNERS),
    }


def _render_index() -> str:
    figures = cached_value("public-page-figures", lambda: _index_figures(db.session), db.session)
    return render_template("reports/public.html", **figures)


def _same_for_every_visitor() -> bool:
    """Anonymous, no message waiting to be shown, no query string (it would show in the page)."""
    return not current_user.is_authenticated and "_flashes" not in session and not request.query_string


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "id")


@bp.get("/public")
def index():
    if _same_for_every_visitor():
        return public_response(f"page:/public:{_locale()}", _render_index, "text/html", db.session)
    return _render_index()


@bp.get("/public/collaborations")
def collaborations():
    page = public.completed_page(db.session, page_number(), current_app.config["PER_PAGE"])
    return render_template("reports/public_collaborations.html", page=page)


@bp.get("/public/map.json")
def map_json():
    def body() -> str:
        return current_app.json.dumps(public.map_data(db.session)) + "\n"

    return public_response(f"map.json:{_locale()}", body, "application/json", db.session)


@bp.get("/public/photos/<int:photo_id>")
def photo(photo_id):
    """A progress photo of a completed collaboration; 404 for any other (or a missing file)."""
    item = public.public_photo(db.session, photo_id)
    if item is None:
        abort(404)
    return stored_file_response(stored_path(PHOTO_FOLDER, item.stored_name), item.content_type,
                                "public, max-age=3600")


@bp.get("/public/data")
def open_data():
    return render_template("reports/public_data.html", datasets=public.OPEN_DATA,
                           publisher=current_app.config["OPEN_DATA_PUBLISHER"])


@bp.get("/public/data/<name>.csv")
def dataset(name):
    found = public.DATASETS.get(name)
    if found is None:
        abort(404)

    def body() -> str:
        return csv_body(found.header, public.dataset_rows(db.session, name))

    return public_response(f"data:{name}.csv", body, "text/csv", db.session, headers={
        "Content-Disposition": f'attachment; filename="gandeng-gendong-{name}.csv"'})


@bp.get("/public/data/<name>.json")
def dataset_json(name):
    """The same rows as /public/data/<name>.csv, as a JSON array of objects, cached the same way."""
    found = public.DATASETS.get(name)
    if found is None:
        abort(404)

    def body() -> str:
        records = json_records(found.header, public.dataset_rows(db.session, name))
        return json.dumps(records, ensure_ascii=False) + "\n"

    return public_response(f"data:{name}.json", body, "application/json", db.session,
                           headers={"Access-Control-Allow-Origin": "*"})
