"""The collaboration network (/network): which organisations work in which kampung."""
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from gandeng.accounts.policies import is_staff
from gandeng.db import db
from gandeng.formatting import today_wib
from gandeng.reports import network
from gandeng.reports.periods import Period, period_from_args, year_choices
from gandeng.reports.tabular import csv_response
from gandeng.web import require

bp = Blueprint("network", __name__)


def _period() -> Period:
    """?year= only: the network of one year's approvals (a bad year means all time)."""
    return Period(period_from_args(request.args).year)


@bp.get("/network")
@login_required
def index():
    require(is_staff(current_user))
    period = _period()
    return render_template("reports/network.html", report=network.network_report(db.session, period),
                           period=period, years=year_choices())


@bp.get("/network/edges.csv")
@login_required
def edges_csv():
    require(is_staff(current_user))
    period = _period()
    edges = network.links(network.build_graph(db.session, period))
    name = "-".join(["gandeng-network-edges", *([str(period.year)] if period.year else []), today_wib().isoformat()])
    return csv_response(name + ".csv", network.EDGE_HEADER, [link.row() for link in edges])
