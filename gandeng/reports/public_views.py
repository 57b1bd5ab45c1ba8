"""The public transparency page (/public) and open data, without any personal data."""
from flask import Blueprint, abort, current_app, jsonify, render_template

from gandeng.collaborations.lifecycle import PHOTO_FOLDER
from gandeng.db import db
from gandeng.reports import public
from gandeng.reports.tabular import csv_response
from gandeng.uploads import stored_file_response, stored_path
from gandeng.web import page_number

bp = Blueprint("public", __name__)

LATEST = 6  # completed collaborations on /public; the rest on /public/collaborations
PARTNERS = 20  # partners listed on /public; all of them in partners.csv


@bp.get("/public")
def index():
    return render_template(
        "reports/public.html",
        figures=public.city_figures(db.session),
        kelurahan=public.kelurahan_figures(db.session),
        latest=public.completed_page(db.session, 1, LATEST),
        partners=public.partner_ranking(db.session, PARTNERS),
    )


@bp.get("/public/collaborations")
def collaborations():
    page = public.completed_page(db.session, page_number(), current_app.config["PER_PAGE"])
    return render_template("reports/public_collaborations.html", page=page)


@bp.get("/public/map.json")
def map_json():
    return jsonify(public.map_data(db.session))


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
    return render_template("reports/public_data.html", datasets=public.OPEN_DATA)


@bp.get("/public/data/<name>.csv")
def dataset(name):
    found = public.DATASETS.get(name)
    if found is None:
        abort(404)
    return csv_response(f"gandeng-gendong-{name}.csv", found.header, public.dataset_rows(db.session, name))
