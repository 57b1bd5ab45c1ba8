"""PDFs of a published sister year (issue 17, point 5): one per campus or company for its annual report
(like the partner statement) and a city-wide one for the Forum TSLP and the campus forum. Figures only:
kampung names and places, partners, counts and Rupiah; no names of people, no household or KMS counts.
Imports fpdf (through gandeng.reports.pdf): import this module inside the view that needs it."""
from datetime import datetime

from flask_babel import gettext as _

from gandeng import labels
from gandeng.formatting import long_datetime
from gandeng.reports.documents import number, slug
from gandeng.reports.pdf import ReportPDF, money, percent
from gandeng.sister.figures import PairFigures, Tally, YearFigures


def _km(value, locale) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return (text.replace(".", ",") if locale == "id" else text) + " km"


def _summary(pdf: ReportPDF, tally: Tally, locale: str, capacity: int | None = None) -> None:
    if capacity is not None:
        facts = [(_("Kampung didampingi"), number(tally.kampung, locale))]
        facts.append((_("Beban terhadap kapasitas"), f"{number(tally.kampung, locale)} / {number(capacity, locale)}"))
    else:
        facts = [(_("Kampung dalam pemasangan"), number(tally.kampung, locale)),
                 (_("Kampung dengan kampus dan perusahaan"), number(tally.complete, locale))]
    facts += [
        (_("Jarak rata-rata / terjauh"), f"{_km(tally.mean_km, locale)} / {_km(tally.worst_km, locale)}"),
        (_("Kecocokan tema"), percent(tally.theme_fit_percent, locale)),
        (_("Laporan triwulan tepat waktu"), f"{number(tally.reports_on_time, locale)} / "
                                             f"{number(tally.reports_due, locale)} "
                                             f"({percent(tally.on_time_percent, locale)})"),
        (_("KK dijangkau (menurut laporan)"), number(tally.households_reached, locale)),
        (_("Mahasiswa / karyawan terlibat"), f"{number(tally.students, locale)} / {number(tally.employees, locale)}"),
        (_("Kerja sama: dana / natura"), f"{money(tally.money_rp)} / {money(tally.in_kind_rp)}"),
    ]
    pdf.facts(facts, label_width=70)


def _pair_rows(pairs: list[PairFigures], locale: str) -> list[list[str]]:
    rows = []
    for p in sorted(pairs, key=lambda p: (p.pair.kampung.kelurahan.kemantren.name, p.pair.kampung.name)):
        pair = p.pair
        rows.append([pair.kampung.name, pair.kampung.kelurahan.name,
                     pair.campus.name if pair.campus else "–", pair.company.name if pair.company else "–",
                     f"{number(p.reports_on_time, locale)}/{number(p.reports_due, locale)}",
                     number(p.households_reached, locale), money(p.money_rp), money(p.in_kind_rp)])
    return rows



def _pair_header() -> list[str]:
    return [_("Kampung"), _("Kelurahan"), _("Kampus"), _("Perusahaan"), _("Laporan tepat waktu"),
            _("KK dijangkau"), _("Dana"), _("Natura")]


def _closing(pdf: ReportPDF, generated_at: datetime, locale: str) -> None:
    pdf.paragraph(_("Laporan triwulan jatuh tempo tanggal 15 bulan sesudah triwulan berakhir; yang dikirim sesudahnya "
                    "terhitung terlambat. Dana dan natura: kerja sama tahun itu antara kebutuhan kampung dan "
                    "penawaran mitra sister-nya, masing-masing dihitung sekali. Angka dari platform Gandeng Gendong "
                    "per %(date)s.", date=long_datetime(generated_at, locale)), size=7.5)


def partner_filename(organisation, year: int) -> str:
    return f"kampung-sister-{slug(organisation.name)}-{year}.pdf"


def partner_pdf(figures: YearFigures, organisation, tally, pairs: list[PairFigures], generated_at: datetime,
                locale: str = "id") -> ReportPDF:
    """A campus's or company's year as a sister partner."""
    title = _("Kampung Sister %(year)d", year=figures.year)
    pdf = ReportPDF(f"{title} · {organisation.name}", generated_at, locale=locale)
    pdf.heading(title)
    pdf.facts([(_("Organisasi"), organisation.name),
               (_("Jenis organisasi"), str(labels.ORG_TYPE.get(organisation.type, organisation.type)))],
              label_width=45)
    pdf.subheading(_("Ringkasan"))
    _summary(pdf, tally or Tally(), locale, capacity=tally.capacity if tally else 0)
    pdf.subheading(_("Kampung yang didampingi"))
    pdf.table_of(_pair_header(), _pair_rows(pairs, locale), widths=(25, 22, 28, 28, 18, 15, 22, 22),
                 numeric=(4, 5, 6, 7), size=7, empty=_("Tidak ada kampung pada tahun ini."))
    _closing(pdf, generated_at, locale)
    return pdf


def city_filename(year: int) -> str:
    return f"kampung-sister-kota-yogyakarta-{year}.pdf"


def city_pdf(figures: YearFigures, generated_at: datetime, locale: str = "id") -> ReportPDF:
    """The city's sister year for the Forum TSLP and the campus forum: totals, kemantren, partners."""
    title = _("Kampung Sister %(year)d: Kota Yogyakarta", year=figures.year)
    pdf = ReportPDF(title, generated_at, locale=locale)
    pdf.heading(title)
    pdf.subheading(_("Ringkasan"))
    _summary(pdf, figures.city, locale)
    pdf.subheading(_("Per kemantren"))
    rows = [[name, number(t.kampung, locale), number(t.complete, locale), _km(t.mean_km, locale),
             _km(t.worst_km, locale), f"{number(t.reports_on_time, locale)}/{number(t.reports_due, locale)}",
             number(t.households_reached, locale)] for _code, name, t in figures.by_kemantren]
    pdf.table_of([_("Kemantren"), _("Kampung"), _("Lengkap"), _("Jarak rata-rata"), _("Terjauh"),
                  _("Laporan tepat waktu"), _("KK dijangkau")], rows, widths=(32, 18, 18, 25, 22, 30, 25),
                 numeric=(1, 2, 3, 4, 5, 6), size=7.5)
    pdf.subheading(_("Per mitra"))
    rows = [[t.name, str(labels.ORG_TYPE.get(t.kind, t.kind)), f"{number(t.kampung, locale)}/{number(t.capacity, locale)}",
             percent(t.theme_fit_percent, locale), f"{number(t.reports_on_time, locale)}/{number(t.reports_due, locale)}",
             number(t.students, locale), number(t.employees, locale), money(t.money_rp + t.in_kind_rp)]
            for t in figures.by_partner]
    pdf.table_of([_("Mitra"), _("Jenis"), _("Beban/kapasitas"), _("Tema cocok"), _("Laporan tepat waktu"),
                  _("Mahasiswa"), _("Karyawan"), _("Dana dan natura")], rows, widths=(40, 17, 20, 17, 22, 18, 18, 28),
                 numeric=(2, 3, 4, 5, 6, 7), size=7, empty=_("Belum ada mitra."))
    pdf.subheading(_("Per pasangan"))
    pdf.table_of(_pair_header(), _pair_rows(figures.pairs, locale), widths=(25, 22, 28, 28, 18, 15, 22, 22),
                 numeric=(4, 5, 6, 7), size=7)
    _closing(pdf, generated_at, locale)
    return pdf
