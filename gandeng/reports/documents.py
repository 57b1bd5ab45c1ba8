"""The two PDF documents: an organisation's statement of contribution (for its annual CSR report)
and the city's monthly report. Built from the query results only; no personal data goes in."""
import re
import unicodedata
from datetime import datetime

from flask_babel import gettext as _

from gandeng import labels
from gandeng.formatting import long_datetime
from gandeng.reports.monthly import MonthlyReport
from gandeng.reports.partner import PartnerReport
from gandeng.reports.pdf import ReportPDF, day, money, percent


def number(value, locale: str = "id") -> str:
    text = f"{int(value or 0):,}"
    return text.replace(",", ".") if locale == "id" else text


def slug(text: str) -> str:
    """An ASCII file-name part: 'PT Bank Jogja, Tbk.' -> 'pt-bank-jogja-tbk'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "organisasi"


def period_label(report: PartnerReport) -> str:
    return _("Tahun %(year)d", year=report.period.year) if report.period.year else _("Seluruh periode")


def statement_filename(report: PartnerReport) -> str:
    year = report.period.year or "semua"
    return f"pernyataan-kontribusi-{slug(report.organisation.name)}-{year}.pdf"


def statement_pdf(report: PartnerReport, generated_at: datetime, locale: str = "id") -> ReportPDF:
    """"Pernyataan Kontribusi": the organisation, its totals and its collaborations that count money,
    by kelurahan and category, without beneficiaries' or coordinators' names, phones or KMS."""
    org, totals = report.organisation, report.totals
    title = _("Pernyataan Kontribusi")
    pdf = ReportPDF(f"{title} · {org.name} · {period_label(report)}", generated_at, locale=locale)
    pdf.heading(title)
    pdf.facts([
        (_("Organisasi"), org.name),
        (_("Jenis organisasi"), str(labels.ORG_TYPE.get(org.type, org.type))),
        (_("Periode"), period_label(report) + (" " + _("(kerja sama yang disetujui pada tahun itu)")
                                               if report.period.year else "")),
    ], label_width=45)
    pdf.subheading(_("Ringkasan"))
    by_status = ", ".join(f"{label}: {number(totals.by_status[status], locale)}"
                          for status, label in labels.COLLABORATION_STATUS.items() if totals.by_status.get(status))
    pdf.facts([
        (_("Rupiah disanggupi"), money(totals.committed_rp)),
        (_("Rupiah terealisasi"), money(totals.realised_rp)),
        (_("Persentase realisasi"), percent(totals.realisation_percent, locale)),
        (_("Jumlah kerja sama"), number(totals.collaborations, locale) + (f" ({by_status})" if by_status else "")),
        (_("Kampung sudah dibantu"), number(totals.kampung_reached, locale)),
        (_("Kelurahan sudah dibantu"), number(totals.kelurahan_reached, locale)),
        (_("Penerima manfaat yang sudah dibantu"), number(totals.beneficiaries_reached, locale)),
    ], label_width=60)
    pdf.paragraph(_("Angka-angka dalam pernyataan ini berasal dari platform Gandeng Gendong Kota Yogyakarta "
                    "per %(date)s.", date=long_datetime(generated_at, locale)), size=9, style="I")
    pdf.subheading(_("Kerja sama"))
    rows = [
        [c.kelurahan, c.kemantren, c.category(locale), c.need_title, money(c.counted_rp), money(c.realised_rp),
         str(labels.COLLABORATION_STATUS.get(c.status, c.status)), day(c.completed_at, locale)]
        for c in report.collaborations if c.counted_rp > 0
    ]
    pdf.table_of(
        [_("Kelurahan"), _("Kemantren"), _("Kategori"), _("Kebutuhan"), _("Disanggupi"), _("Terealisasi"),
         _("Status"), _("Tanggal selesai")],
        rows, widths=(19, 19, 22, 40, 22, 22, 17, 19), numeric=(4, 5), size=7,
        empty=_("Belum ada kerja sama pada periode ini."))
    pdf.paragraph(_("Komitmen: jumlah yang disetujui untuk kerja sama yang menunggu konfirmasi, berjalan atau "
                    "selesai; untuk kerja sama yang dibatalkan, jumlah yang sudah terealisasi. Kerja sama yang "
                    "ditolak mitra tidak dihitung. Penerima manfaat: jumlah yang dilaporkan pada kerja sama yang "
                    "selesai."), size=7.5)
    return pdf


def monthly_filename(report: MonthlyReport) -> str:
    return f"laporan-bulanan-gandeng-gendong-{report.month.arg}.pdf"


def monthly_pdf(report: MonthlyReport, generated_at: datetime, locale: str = "id") -> ReportPDF:
    """The month in figures: the city's totals, a table by kemantren, the top partners, the rules."""
    month_label = report.month.label(locale)
    title = _("Laporan Bulanan Gandeng Gendong")
    pdf = ReportPDF(f"{title} · {month_label}", generated_at, orientation="L", locale=locale)
    pdf.heading(f"{title}: {month_label}")
    city = report.city
    pdf.subheading(_("Ringkasan kota"))
    pdf.facts([
        (_("Kebutuhan diajukan"), f"{number(city.needs_submitted, locale)} ({money(city.needs_submitted_rp)})"),
        (_("Kebutuhan diverifikasi"), f"{number(city.needs_verified, locale)} ({money(city.needs_verified_rp)})"),
        (_("Kerja sama disetujui"), f"{number(city.approved, locale)} ({money(city.approved_rp)})"),
        (_("Kerja sama selesai"), f"{number(city.completed, locale)} ({money(city.completed_rp)})"),
        (_("Rupiah terealisasi dalam bulan ini"), money(city.realised_rp)),
        (_("Kebutuhan masih menunggu mitra"), f"{number(city.waiting, locale)} ({money(city.waiting_rp)})"),
    ], label_width=75)
    pdf.subheading(_("Menurut kemantren"))
    pdf.table_of(_kemantren_header(), [_kemantren_cells(row.name, row.figures, locale) for row in report.by_kemantren]
                 + [_kemantren_cells(_("Kota Yogyakarta"), city, locale)],
                 widths=(35, 20, 20, 30, 20, 30, 20, 32, 22, 38), numeric=range(1, 10), size=7.5, bold_last=True)
    pdf.subheading(_("Mitra dengan kontribusi terbesar bulan ini"))
    pdf.table_of(
        [_("No."), _("Organisasi"), _("Jenis"), _("Kerja sama disetujui"), _("Rp disetujui"),
         _("Rp terealisasi bulan ini")],
        [[str(i), p.name, str(labels.ORG_TYPE.get(p.type, p.type)), number(p.approved, locale),
          money(p.approved_rp), money(p.realised_rp)] for i, p in enumerate(report.top_partners, 1)],
        widths=(12, 95, 35, 35, 45, 45), numeric=(0, 3, 4, 5), size=8,
        empty=_("Tidak ada kerja sama baru atau realisasi bulan ini."))
    pdf.subheading(_("Cara menghitung"))
    for rule in monthly_rules():
        pdf.paragraph("- " + rule, size=7.5)
    pdf.paragraph(_("Angka-angka dalam laporan ini berasal dari platform Gandeng Gendong Kota Yogyakarta "
                    "per %(date)s.", date=long_datetime(generated_at, locale)), size=9, style="I")
    return pdf


def monthly_rules() -> list[str]:
    """How each monthly figure is counted (shown on the page and in the PDF)."""
    return [
        _("Bulan dihitung dari pukul 00.00 WIB tanggal 1 sampai sebelum pukul 00.00 WIB tanggal 1 bulan berikutnya."),
        _("Kebutuhan diajukan dan diverifikasi: menurut waktu pengajuan terakhir dan waktu verifikasi; "
          "Rupiah adalah biaya kebutuhan."),
        _("Kerja sama disetujui: menurut tanggal persetujuan petugas, sebesar jumlah yang disetujui."),
        _("Kerja sama selesai: menurut tanggal koordinator mengonfirmasi selesai, sebesar jumlah yang disetujui."),
        _("Rupiah terealisasi dalam bulan ini: untuk setiap kerja sama, angka realisasi pada laporan kemajuan "
          "terakhir sebelum akhir bulan dikurangi angka pada laporan terakhir sebelum awal bulan, dijumlahkan."),
        _("Kebutuhan menunggu mitra: kebutuhan terverifikasi yang belum mendapat komitmen, keadaan saat laporan "
          "dibuat; Rupiah adalah biaya kebutuhan."),
    ]


def _kemantren_header() -> list[str]:
    return [_("Kemantren"), _("Diajukan"), _("Diverifikasi"), _("Rp diverifikasi"), _("Disetujui"),
            _("Rp disetujui"), _("Selesai"), _("Rp terealisasi"), _("Menunggu mitra"), _("Rp menunggu mitra")]


def _kemantren_cells(name, f, locale) -> list[str]:
    return [name, number(f.needs_submitted, locale), number(f.needs_verified, locale), money(f.needs_verified_rp),
            number(f.approved, locale), money(f.approved_rp), number(f.completed, locale), money(f.realised_rp),
            number(f.waiting, locale), money(f.waiting_rp)]
