"""The staff dashboard (/dashboard): the city's figures by status, category, kemantren and kelurahan,
the quarterly trend, durations and the programme's figures; each table also as CSV."""
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from gandeng import labels
from gandeng.accounts.policies import is_staff
from gandeng.db import db
from gandeng.reports import dashboard
from gandeng.reports.periods import Period, period_from_args, year_choices
from gandeng.reports.tabular import csv_response
from gandeng.web import require

bp = Blueprint("dashboard", __name__)


@dataclass
class Table:
    """A table of the page: (label, kind) columns and rows of raw values, the first naming the row."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[list]
    row_kinds: list[str] | None = None  # a kind per row for a two-column table of mixed figures

    @property
    def header(self) -> list[str]:
        return [str(label) for label, _kind in self.columns]


@bp.before_request
@login_required
def staff_only():
    """The dashboard shows KMS-related and per-kampung figures: staff and admin only."""
    require(is_staff(current_user))


def _filters() -> tuple[Period, str | None, dict[str, str]]:
    """The period and kemantren of the query string; bad values are ignored (never an error)."""
    period = period_from_args(request.args)
    names = dashboard.kemantren_names(db.session)
    kemantren = request.args.get("kemantren", "").strip()
    return period, (kemantren if kemantren in names else None), names


def period_label(period: Period) -> str:
    if period.is_all:
        return _("Semua waktu")
    if period.quarter:
        return _("Triwulan %(q)d %(year)d", q=period.quarter, year=period.year)
    return str(period.year)


def _quarter_label(period: Period) -> str:
    return _("T%(q)d %(year)d", q=period.quarter, year=period.year)


def _money_columns(first: str) -> list[tuple[str, str]]:
    return [(first, "text"), (_("Kebutuhan"), "number"), (_("Rp dibutuhkan"), "rupiah"),
            (_("Rp disanggupi"), "rupiah"), (_("Rp terealisasi"), "rupiah"), (_("Cakupan"), "percent"),
            (_("Realisasi"), "percent")]


def _money_row(name, money: dashboard.Money, *extra) -> list:
    return [name, *extra, money.needs, money.needed_rp, money.committed_rp, money.realised_rp,
            money.coverage, money.realisation]


def _category_name(group: dashboard.Group, locale: str) -> str:
    return group.name_en if locale == "en" and group.name_en else group.name


def tables(figures: dashboard.DashboardFigures, locale: str = "id") -> dict[str, Table]:
    """Every table of the page, by the name its CSV download uses."""
    programme = figures.programme
    coverage = [(_("Cakupan"), "percent")]
    categories = [[_category_name(g, locale), g.money.coverage] for g in figures.by_category]
    kemantren = [[g.name, g.money.coverage] for g in figures.by_kemantren]
    kelurahan_columns = _money_columns(_("Kelurahan"))
    kelurahan_columns.insert(1, (_("Kemantren"), "text"))
    org_types = [(t, programme.by_org_type[t]) for t in ("korporat", "kampus", "komunitas")]
    return {
        "status": Table(_("Kebutuhan per status"),
                        [(_("Status"), "text"), (_("Kebutuhan"), "number"), (_("Rp dibutuhkan"), "rupiah")],
                        [[str(labels.NEED_STATUS.get(r.status, r.status)), r.needs, r.cost_rp]
                         for r in figures.by_status]),
        "category": Table(_("Per kategori"), _money_columns(_("Kategori")),
                          [_money_row(_category_name(g, locale), g.money) for g in figures.by_category]),
        "category-coverage": Table(_("Cakupan per kategori"), [(_("Kategori"), "text"), *coverage], categories),
        "kemantren": Table(_("Per kemantren"), _money_columns(_("Kemantren")),
                           [_money_row(g.name, g.money) for g in figures.by_kemantren]),
        "kemantren-coverage": Table(_("Cakupan per kemantren"), [(_("Kemantren"), "text"), *coverage], kemantren),
        "kelurahan": Table(_("Per kelurahan"), kelurahan_columns,
                           [_money_row(g.name, g.money, g.parent) for g in figures.by_kelurahan]),
        "trend": Table(_("Rp disanggupi dan terealisasi per triwulan"),
                       [(_("Triwulan"), "text"), (_("Rp disanggupi"), "rupiah"), (_("Rp terealisasi"), "rupiah")],
                       [[_quarter_label(p), m.committed_rp, m.realised_rp] for p, m in figures.trend]),
        "programme": Table(_("Angka program"), [(_("Angka"), "text"), (_("Nilai"), "number")], [
            [_("Kerja sama (disetujui dalam periode)"), programme.collaborations],
            [_("Partisipasi kampus (kerja sama)"), programme.campus_participations],
            [_("Kampus yang terlibat"), programme.campuses],
            [_("Kampung sudah dibantu"), programme.kampung_reached],
            [_("Kegiatan CSR (kerja sama korporat)"), programme.csr_activities],
            [_("Rp CSR (disanggupi korporat)"), programme.csr_rp],
            [_("Mitra aktif"), programme.active_partners],
            [_("Penerima manfaat yang sudah dibantu"), programme.beneficiaries],
        ], row_kinds=["number"] * 5 + ["rupiah", "number", "number"]),
        "partners": Table(_("Kerja sama per jenis mitra"),
                          [(_("Jenis mitra"), "text"), (_("Kerja sama"), "number"), (_("Organisasi"), "number"),
                           (_("Rp disanggupi"), "rupiah"), (_("Penerima manfaat"), "number")],
                          [[str(labels.ORG_TYPE[t]), row["collaborations"], row["organisations"],
                            row["committed_rp"], row["beneficiaries"]] for t, row in org_types]),
    }


def _args(period: Period, kemantren: str | None) -> dict:
    return {**period.args(), **({"kemantren": kemantren} if kemantren else {})}


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "id")


@bp.get("/dashboard")
def index():
    period, kemantren, names = _filters()
    figures = dashboard.figures(db.session, period, kemantren)
    args = _args(period, kemantren)
    equity = (url_for("equity.index", **period.args()) if "equity.index" in current_app.view_functions
              else "/dashboard/equity")
    return render_template(
        "reports/dashboard.html", figures=figures, tables=tables(figures, _locale()), args=args,
        period=period, period_label=period_label(period), kemantren=kemantren, kemantren_names=names,
        years=year_choices(), equity_url=equity,
    )


@bp.get("/dashboard/data/<table>.csv")
def data_csv(table):
    period, kemantren, _names = _filters()
    found = tables(dashboard.figures(db.session, period, kemantren), _locale()).get(table)
    if found is None:
        abort(404)
    suffix = "".join(f"-{value}" for value in _args(period, kemantren).values())
    return csv_response(f"dasbor-{table}{suffix}.csv", found.header,
                        [[str(row[0]), *row[1:]] for row in found.rows])
