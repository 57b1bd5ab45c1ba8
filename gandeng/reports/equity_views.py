"""The equity view and the staff map (/dashboard/equity): Rp committed per KMS household by kelurahan."""
from flask import Blueprint, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from gandeng.accounts.policies import is_staff
from gandeng.db import db
from gandeng.reports import equity
from gandeng.reports.periods import period_from_args, year_choices
from gandeng.reports.tabular import csv_response
from gandeng.web import require

bp = Blueprint("equity", __name__)

FIGURE_LABELS = {
    "per_kms_rp": _l("Rp per KK KMS"),
    "committed_rp": _l("Rp disanggupi"),
    "realised_rp": _l("Rp terealisasi"),
    "needed_rp": _l("Rp dibutuhkan"),
    "needs": _l("Kebutuhan"),
    "collaborations": _l("Kerja sama"),
    "kms_households": _l("KK KMS"),
    "coverage_percent": _l("Cakupan (%)"),
}
STATUS_CSV = {equity.LEFT_BEHIND: "tertinggal", equity.NO_DATA: "tanpa_data", equity.OK: ""}


@bp.before_request
@login_required
def staff_only():
    """KMS households per kelurahan are for city staff (and admins) only."""
    require(is_staff(current_user))


def quarter_label(period) -> str:
    return _("TW%(quarter)d %(year)d", quarter=period.quarter, year=period.year)


def gini_index(value: float | None) -> float | None:
    """The coefficient 0..1 as the Gini index 0..100 with one decimal (as the chart table shows it)."""
    return None if value is None else round(100 * value, 1)


@bp.get("/dashboard/equity")
def index():
    period = period_from_args(request.args)
    report = equity.kelurahan_equity(db.session, period)
    series = equity.gini_by_quarter(db.session)
    return render_template(
        "reports/equity.html", report=report, period=period, years=year_choices(),
        figures=[(key, FIGURE_LABELS[key], kind) for key, kind in equity.FIGURE_KINDS],
        gini_rows=[[quarter_label(p.period), gini_index(p.gini)] for p in series],
    )


@bp.get("/dashboard/map.json")
def map_data():
    """The map's figures per kelurahan (templates/reports/_map.html), for the same period as the page."""
    report = equity.kelurahan_equity(db.session, period_from_args(request.args))
    return jsonify({
        "figures": [{"key": key, "label": str(FIGURE_LABELS[key]), "kind": kind} for key, kind in equity.FIGURE_KINDS],
        "kelurahan": {row.code: {"name": row.name, "kemantren": row.kemantren, "values": row.values()}
                      for row in report.rows},
    })


EQUITY_CSV_HEADER = ["kode_kelurahan", "kelurahan", "kemantren", "rp_per_kk_kms", "rp_komitmen", "rp_terealisasi",
                     "rp_dibutuhkan", "kebutuhan", "kerja_sama", "kk_kms", "cakupan_persen", "status"]


def equity_csv_rows(report) -> list[list]:
    return [[row.code, row.name, row.kemantren, *row.values().values(), STATUS_CSV[row.status]]
            for row in report.rows]


@bp.get("/dashboard/equity.csv")
def equity_csv():
    period = period_from_args(request.args)
    report = equity.kelurahan_equity(db.session, period)
    suffix = "-".join(str(v) for v in period.args().values())
    return csv_response(f"pemerataan-kelurahan{'-' + suffix if suffix else ''}.csv",
                        EQUITY_CSV_HEADER, equity_csv_rows(report))


@bp.get("/dashboard/equity/gini.csv")
def gini_csv():
    rows = [[quarter_label(p.period), gini_index(p.gini)] for p in equity.gini_by_quarter(db.session)]
    return csv_response("gini-per-triwulan.csv", ["triwulan", "indeks_gini"], rows)
