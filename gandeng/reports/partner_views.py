"""The partner page (/partner) and the PDF statement of an organisation's contribution; the monthly PDF report."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from gandeng.accounts.models import Organisation, Role
from gandeng.accounts.policies import is_staff
from gandeng.db import db, utcnow
from gandeng.formatting import today_wib
from gandeng.reports.monthly import MonthError, default_month, monthly_report, parse_month
from gandeng.reports.partner import organisation_summaries, partner_report
from gandeng.reports.periods import Period, period_from_args, year_choices
from gandeng.web import require

bp = Blueprint("partner_report", __name__)


# --- who may see what ---------------------------------------------------------------------------

def can_see_partner_reports(user) -> bool:
    """Partners (their own organisation) and staff (every organisation); not coordinators."""
    return is_staff(user) or bool(user.is_authenticated and user.is_active and user.role == Role.PARTNER)


def can_see_organisation_report(user, organisation: Organisation) -> bool:
    """Staff any organisation; a partner only their own (another's is 404: they may not even know it)."""
    return is_staff(user) or (can_see_partner_reports(user) and user.organisation_id == organisation.id)


# --- helpers ------------------------------------------------------------------------------------

def _locale() -> str:
    return str(get_locale() or "id")


def _year() -> Period:
    """The year chosen in the filter (statements are annual: a quarter in the address is ignored)."""
    return Period(period_from_args(request.args).year)


def _organisation(org_id: int) -> Organisation:
    require(can_see_partner_reports(current_user))
    organisation = db.session.get(Organisation, org_id)
    if organisation is None or not can_see_organisation_report(current_user, organisation):
        abort(404)
    return organisation


def _own_organisation() -> Organisation:
    require(can_see_partner_reports(current_user) and not is_staff(current_user))
    if current_user.organisation is None:
        abort(404)
    return current_user.organisation


def _page(organisation: Organisation):
    period = _year()
    report = partner_report(db.session, organisation, period)
    statement_args = {"year": period.year} if period.year else {}
    if current_user.organisation_id == organisation.id and not is_staff(current_user):
        statement_url = url_for("partner_report.own_statement", **statement_args)
    else:
        statement_url = url_for("partner_report.organisation_statement", org_id=organisation.id, **statement_args)
    return render_template("reports/partner.html", report=report, period=period, years=year_choices(),
                           statement_url=statement_url, staff_view=is_staff(current_user))


def _statement(organisation: Organisation):
    from gandeng.reports import documents  # lazy: fpdf (and numpy under it) only for PDFs

    report = partner_report(db.session, organisation, _year())
    pdf = documents.statement_pdf(report, utcnow(), _locale())
    return pdf.response(documents.statement_filename(report))


# --- partner page and statement -----------------------------------------------------------------

@bp.get("/partner")
@login_required
def index():
    """A partner's own organisation; for staff, the list of organisations to choose from."""
    if is_staff(current_user):
        period = _year()
        return render_template("reports/partner_list.html", organisations=organisation_summaries(db.session, period),
                               period=period, years=year_choices())
    return _page(_own_organisation())


@bp.get("/organisations/<int:org_id>/report")
@login_required
def organisation(org_id: int):
    return _page(_organisation(org_id))


@bp.get("/partner/statement.pdf")
@login_required
def own_statement():
    """The signed-in partner's statement; staff have no organisation of their own: off to the list."""
    if is_staff(current_user):
        return redirect(url_for("partner_report.index"))
    return _statement(_own_organisation())


@bp.get("/organisations/<int:org_id>/statement.pdf")
@login_required
def organisation_statement(org_id: int):
    return _statement(_organisation(org_id))


# --- the monthly report -------------------------------------------------------------------------

def _month_or_error():
    raw = request.args.get("month")
    today = today_wib()
    if raw is None or raw.strip() == "":
        return default_month(today), None
    try:
        return parse_month(raw, today), None
    except MonthError as error:
        return None, str(error)


def _monthly_page(month, error, raw=""):
    from gandeng.reports import documents  # lazy: fpdf (and numpy under it) only for PDFs

    report = monthly_report(db.session, month) if month else None
    body = render_template("reports/monthly.html", report=report, month=month, error=error, raw_month=raw,
                           latest=today_wib().strftime("%Y-%m"), rules=documents.monthly_rules())
    return body, 400 if error else 200


@bp.get("/reports/monthly")
@login_required
def monthly():
    """The month picker, the month's figures and the link to the PDF (staff only)."""
    require(is_staff(current_user))
    month, error = _month_or_error()
    return _monthly_page(month, error, request.args.get("month", ""))


@bp.get("/reports/monthly.pdf")
@login_required
def monthly_pdf():
    require(is_staff(current_user))
    month, error = _month_or_error()
    if error:
        return _monthly_page(None, error, request.args.get("month", ""))
    from gandeng.reports import documents  # lazy: fpdf (and numpy under it) only for PDFs

    report = monthly_report(db.session, month)
    return documents.monthly_pdf(report, utcnow(), _locale()).response(documents.monthly_filename(report))
