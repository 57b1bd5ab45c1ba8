"""Figures of a published sister year: the staff page /sister/figures (also summed up on the dashboard),
the open data /public/sister/data.csv (per kemantren, no personal data), and the PDFs: city-wide (staff)
and per campus or company (staff and that organisation's members). Routes live on the sister blueprint."""
from flask import abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from gandeng.accounts.models import Organisation
from gandeng.accounts.policies import is_staff
from gandeng.db import db, utcnow
from gandeng.formatting import today_wib
from gandeng.reports.tabular import csv_response
from gandeng.sister import figures as sister_figures
from gandeng.sister.services import can_edit_partner_profile, published_years
from gandeng.sister.views import bp
from gandeng.web import load_or_404, require


def _locale() -> str:
    return "en" if str(get_locale() or "id").startswith("en") else "id"


def _published_year() -> int | None:
    """The year asked for when it is published, else the latest published year (None when none is)."""
    years = published_years(db.session)
    raw = request.args.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


def _figures_or_404():
    """The figures of the published year asked for (404 for a year not published), or of the latest."""
    raw = request.args.get("year", "")
    year = _published_year()
    if raw and str(year) != raw.strip():
        abort(404)
    found = sister_figures.year_figures(db.session, year, today_wib()) if year else None
    if found is None:
        abort(404)
    return found


@bp.app_template_global("sister_dashboard_figures")
def dashboard_figures():
    """The latest published year's city figures for the staff dashboard (None when nothing is published)."""
    year = sister_figures.latest_published_year(db.session)
    return sister_figures.year_figures(db.session, year, today_wib()) if year else None


@bp.get("/sister/figures")
@login_required
def figures_page():
    require(is_staff(current_user))
    year = _published_year()
    found = sister_figures.year_figures(db.session, year, today_wib()) if year else None
    return render_template("sister/figures.html", figures=found, years=published_years(db.session))


@bp.get("/sister/figures/city.pdf")
@login_required
def city_pdf():
    from gandeng.sister import documents  # lazy: fpdf

    require(is_staff(current_user))
    found = _figures_or_404()
    return documents.city_pdf(found, utcnow(), _locale()).response(documents.city_filename(found.year))


@bp.get("/sister/figures/organisation/<int:organisation_id>.pdf")
@login_required
def partner_pdf(organisation_id):
    from gandeng.sister import documents  # lazy: fpdf

    organisation = load_or_404(Organisation, organisation_id)
    require(can_edit_partner_profile(current_user, organisation))
    found = _figures_or_404()
    tally, pairs = sister_figures.partner_figures(found, organisation)
    if tally is None:
        abort(404)
    pdf = documents.partner_pdf(found, organisation, tally, pairs, utcnow(), _locale())
    return pdf.response(documents.partner_filename(organisation, found.year))


@bp.get("/public/sister/data.csv")
def open_data():
    """One row per kemantren of a published year: pairs, distances, theme fit, reports on time, households
    reached, students and employees involved, Rupiah and in-kind; nothing personal."""
    found = _figures_or_404()
    return csv_response(f"kampung-sister-{found.year}.csv", sister_figures.OPEN_DATA_HEADER,
                        sister_figures.open_data_rows(found))
