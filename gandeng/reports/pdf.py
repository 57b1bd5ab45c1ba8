"""PDF helpers shared by the partner statement and the monthly report (fpdf2, built-in fonts).

Built-in PDF fonts know one byte per character (Windows-1252, the Latin-1 letters plus – “ ” € …):
every text goes through `pdf_safe`, so a title with an emoji or Javanese script prints with "?"
in its place instead of crashing the download."""
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timezone

from flask import Response
from flask_babel import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos

from gandeng.formatting import long_date, long_datetime, rupiah

ENCODING = "cp1252"
ORIGIN = "Gandeng Gendong · Kota Yogyakarta"
# Look-alikes for characters Windows-1252 lacks, tried before giving up with "?".
_LOOKALIKE = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "—", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\u2032": "'", "\u2033": '"', "\u2022": "•",
})
GREEN = (31, 95, 70)
LIGHT = (241, 248, 244)


def pdf_safe(text) -> str:
    """`text` as Windows-1252 can print it: control characters dropped, composed forms used,
    look-alikes for a few punctuation marks, "?" for anything else (emoji, other scripts)."""
    text = unicodedata.normalize("NFC", "" if text is None else str(text)).translate(_LOOKALIKE)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text.encode(ENCODING, errors="replace").decode(ENCODING)


class ReportPDF(FPDF):
    """An A4 report: the platform's name and the report's title on every page, "Halaman i dari N"
    and the time it was made (WIB) at the foot, metadata title and author."""

    def __init__(self, title: str, generated_at: datetime, orientation: str = "P", locale: str = "id"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.report_title = title
        self.generated_at = generated_at
        self.locale = locale
        self.set_title(pdf_safe(title))
        self.set_author(ORIGIN)
        self.set_creator(ORIGIN)
        self.set_subject(pdf_safe(title))
        self.set_lang("id-ID" if locale == "id" else "en")
        self.set_creation_date(generated_at.replace(tzinfo=timezone.utc))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages("{nb}")
        self.add_page()

    def normalize_text(self, text: str) -> str:  # every text printed passes here
        return super().normalize_text(pdf_safe(text))

    def header(self):
        self.set_font("Helvetica", "B", 9)
        self.set_text_color(*GREEN)
        self.cell(0, 5, ORIGIN, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self._fitted(self.report_title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*GREEN)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.set_text_color(0, 0, 0)
        self.ln(5)

    def footer(self):
        self.set_y(-13)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(self.epw / 2, 5, _("Dibuat %(at)s", at=long_datetime(self.generated_at, self.locale)))
        self.cell(self.epw / 2, 5, _("Halaman %(page)s dari %(pages)s", page=self.page_no(), pages="{nb}"),
                  align="R")
        self.set_text_color(0, 0, 0)

    def _fitted(self, text: str) -> str:
        """`text` cut with "..." so that it fits on one line (a long organisation name in the header)."""
        text = pdf_safe(text)
        if self.get_string_width(text) <= self.epw:
            return text
        while text and self.get_string_width(text + "...") > self.epw:
            text = text[:-1]
        return text.rstrip() + "..."

    # --- building blocks --------------------------------------------------------------------

    def heading(self, text: str, size: int = 16):
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def subheading(self, text: str):
        if self.will_page_break(20):
            self.add_page()
        self.ln(2)
        self.set_font("Helvetica", "B", 11)
        self.set_text_color(*GREEN)
        self.multi_cell(0, 6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def paragraph(self, text: str, size: int = 9, style: str = ""):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def facts(self, pairs: Sequence[tuple[str, str]], label_width: float = 70):
        """Label–value lines (a definition list)."""
        self.set_font("Helvetica", "", 9)
        for label, value in pairs:
            self.set_font("Helvetica", "", 9)
            self.cell(label_width, 5.5, label)
            self.set_font("Helvetica", "B", 9)
            self.multi_cell(0, 5.5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def table_of(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
                 numeric: Sequence[int] = (), size: float = 8, empty: str = "–", bold_last: bool = False):
        """A table that wraps long text inside its cells and repeats its header on each new page;
        columns in `numeric` are aligned right; `bold_last` sets a totals row in bold."""
        self.set_font("Helvetica", "", size)
        aligns = ["RIGHT" if i in numeric else "LEFT" for i in range(len(header))]
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=GREEN)
        with self.table(col_widths=tuple(widths), text_align=tuple(aligns), headings_style=heading,
                        line_height=size * 0.5, padding=1, cell_fill_color=LIGHT,
                        cell_fill_mode=TableCellFillMode.ROWS, width=self.epw) as table:
            table.row(list(header))
            if not rows:
                table.row().cell(empty, colspan=len(header), align="LEFT")
            for index, row in enumerate(rows):
                style = FontFace(emphasis="BOLD") if bold_last and index == len(rows) - 1 else None
                table.row([str(value) for value in row], style=style)
        self.ln(3)

    def response(self, filename: str) -> Response:
        return Response(bytes(self.output()), mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        })


def money(amount) -> str:
    return rupiah(amount)


def day(value, locale: str = "id") -> str:
    return long_date(value, locale)


def percent(value, locale: str = "id") -> str:
    """12,5% (one decimal, Indonesian comma), – when there is nothing to divide by."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return (text.replace(".", ",") if locale == "id" else text) + "%"
