"""The monthly Nglarisi report as a PDF (staff): the month's orders per office and per group, the year to
the month's end against the 60 % target, the Gini of the month across verified groups, idle groups."""
from datetime import date, datetime

from gandeng.nglarisi import stats


def month_range(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    return start, date(year + (month == 12), month % 12 + 1, 1)


def monthly_pdf(session, year: int, month: int, generated_at: datetime, locale: str = "id"):
    """The report (a ReportPDF: call `.response(filename)`); fpdf loads here, not at app start."""
    from flask_babel import gettext as _

    from gandeng.formatting import decimal
    from gandeng.reports.pdf import ReportPDF, money, percent

    start, end = month_range(year, month)
    month_figures = stats.year_stats(session, year, end, start=start, end=end)
    to_date = stats.year_stats(session, year, end, end=end)
    pdf = ReportPDF(_("Nglarisi: laporan bulanan %(month)s", month=start.strftime("%m/%Y")), generated_at,
                    locale=locale)
    pdf.heading(_("Nglarisi: pesanan makanan kantor kepada kelompok, %(month)s", month=start.strftime("%m/%Y")))
    pdf.facts([
        (_("Nilai pesanan bulan ini"), money(month_figures.total_rp)),
        (_("Sejak awal tahun"), money(to_date.total_rp)),
        (_("Anggaran makan-minum kantor setahun"), money(to_date.budget_rp)),
        (_("Bagian lewat platform (target 60%)"), percent(to_date.city_share * 100 if to_date.city_share is not None
                                                           else None, locale)),
        (_("Indeks Gini bulan ini (kelompok terverifikasi)"),
         decimal(month_figures.gini, locale, 3)),
    ])
    year_share = {o["id"]: o["share"] for o in to_date.offices}
    pdf.subheading(_("Per kantor"))
    pdf.table_of([_("Kantor"), _("Pesanan"), _("Nilai bulan ini"), _("Bagian anggaran sejak awal tahun")],
                 [[o["name"], o["orders"], money(o["value_rp"]),
                   percent(year_share[o["id"]] * 100 if year_share.get(o["id"]) is not None else None, locale)]
                  for o in month_figures.offices], widths=(70, 25, 40, 45), numeric=(1, 2, 3))
    pdf.subheading(_("Per kelompok"))
    pdf.table_of([_("Kelompok"), _("Kelurahan"), _("Pesanan"), _("Nilai bulan ini")],
                 [[g["name"], g["kelurahan"], g["orders"], money(g["value_rp"])] for g in month_figures.groups],
                 widths=(70, 45, 25, 40), numeric=(2, 3))
    pdf.paragraph(_("Kelompok tanpa pesanan 60 hari terakhir: %(names)s",
                    names=", ".join(to_date.idle_groups) or "–"))
    return pdf
