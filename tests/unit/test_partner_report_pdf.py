"""The shared PDF helpers: any user text prints (no crash), long words wrap, the page count shows."""
from datetime import datetime

from gandeng.reports.pdf import ReportPDF, pdf_safe


def test_text_outside_windows_1252_becomes_question_marks_and_look_alikes():
    assert pdf_safe("Rp 1.000 – “tes” 😀") == "Rp 1.000 – “tes” ?"
    assert pdf_safe("ꦗꦮ\u2011a\u00a0b\x07c") == "??-a bc"  # Javanese script, non-breaking hyphen/space, BEL
    assert pdf_safe("Cafe\u0301") == "Café"  # composed
    assert pdf_safe(None) == ""


def test_any_text_in_any_block_builds_a_pdf(app):
    with app.test_request_context():
        pdf = ReportPDF("Judul 😀 " + "sangat panjang " * 40, datetime(2026, 11, 28, 3, 0))
        pdf.heading("Kop “surat” ✓")
        pdf.facts([("Nama ⚑", "PT 🙂 Maju")])
        pdf.paragraph("\u202eteks terbalik\u202c dan 𝔘𝔫𝔦𝔠𝔬𝔡𝔢")
        pdf.table_of(["A", "B"], [["x" * 400, "Rp1"], ["🙂" * 50, "–"]], widths=(150, 30), numeric=(1,),
                     bold_last=True)
        data = bytes(pdf.output())

    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
