"""Staff exports (/exports): needs, offers, collaborations as CSV and XLSX."""
from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select

from gandeng import labels
from gandeng.accounts.policies import is_staff
from gandeng.db import db
from gandeng.formatting import today_wib
from gandeng.reference.models import Kemantren
from gandeng.reports import exports
from gandeng.reports.periods import year_choices
from gandeng.reports.tabular import csv_response, xlsx_response
from gandeng.web import require

bp = Blueprint("exports", __name__)

STATUS_LABELS = {
    "needs": labels.NEED_STATUS,
    "offers": labels.OFFER_STATUS,
    "collaborations": labels.COLLABORATION_STATUS,
}


@bp.get("/exports")
@login_required
def index():
    require(is_staff(current_user))
    kemantren = db.session.execute(select(Kemantren.code, Kemantren.name).order_by(Kemantren.name)).all()
    return render_template(
        "reports/exports.html",
        datasets=exports.DATASETS,
        counts=exports.export_counts(db.session),
        headers=exports.HEADERS,
        status_labels=STATUS_LABELS,
        kemantren=kemantren,
        years=year_choices(),
    )


@bp.get("/exports/<dataset>.<fmt>")
@login_required
def download(dataset, fmt):
    require(is_staff(current_user))
    if dataset not in exports.DATASETS or fmt not in exports.FORMATS:
        abort(404)
    filters = exports.filters_from_args(db.session, dataset, request.args)
    rows = exports.rows_of(db.session, dataset, filters, english=str(get_locale() or "id") == "en")
    filename = exports.export_filename(dataset, filters, fmt, today_wib())
    header = exports.HEADERS[dataset]
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, dataset, header, rows)
