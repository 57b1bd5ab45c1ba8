"""The partner page, the PDF statement and the monthly report through HTTP: who may open what,
what the PDFs say (their text read back from the content streams), text outside Latin-1, and no
personal data in the statement."""
import re
import zlib
from datetime import datetime

import pytest

from gandeng.collaborations import services
from tests import factories as f
from tests.conftest import login

ODD_TITLE = "Rp 1.000 – “tes” 😀 ꦗꦮ"


def pdf_text(data: bytes) -> str:
    """The text shown by a PDF from fpdf2's built-in fonts: every (string) Tj of every content
    stream, unescaped and decoded as Windows-1252, one per line."""
    shown = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream.group(1))
        except zlib.error:
            content = stream.group(1)
        for literal in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            raw = re.sub(rb"\\([()\\])", rb"\1", literal.group(1))
            shown.append(raw.decode("cp1252", errors="replace"))
    return "\n".join(shown)


@pytest.fixture
def setting(session):
    """PT Bank Jogja: one 10 jt collaboration with Kampung Anggrek approved 10 Mar 2025 (02.00 UTC),
    2,5 jt realised; its need carries personal data. Universitas Contoh: nothing."""
    kampung = f.make_kampung(session, "Kampung Anggrek", "34.71.01.1001")
    org = f.make_organisation(session, "PT Bank Jogja")
    other = f.make_organisation(session, "Universitas Contoh", "kampus")
    s = {
        "org": org, "other": other,
        "staff": f.make_staff(session), "admin": f.make_admin(session),
        "partner": f.make_partner(session, organisation=org),
        "other_partner": f.make_partner(session, organisation=other),
        "coordinator": f.make_coordinator(session, kampung=kampung, name="Ibu Wartini Sulastri",
                                          phone="089911112222", email="wartini@contoh.id"),
    }
    need = f.make_need(session, kampung=kampung, cost_rp=10_000_000, title=ODD_TITLE, kms_households=4,
                       households=7, beneficiaries="Bu Sarinah (RT 03), Pak Wagiman (RT 03)",
                       contact_phone="081234567890")
    offer = f.make_offer(session, organisation=org, capacity_rp=30_000_000, title="CSR sanitasi")
    commitment = services.approve_proposal(session, s["staff"], f.proposal_for(session, need, offer, 10_000_000))
    services.confirm_collaboration(session, s["partner"], commitment)
    services.report_progress(session, s["partner"], commitment, 25, "Galian selesai.", 2_500_000)
    commitment.created_at = datetime(2025, 3, 10, 2, 0)
    session.commit()
    s["commitment"] = commitment
    return s


# --- who may open what ------------------------------------------------------------------------

def test_partner_sees_their_own_organisation_with_its_totals(client, setting):
    login(client, setting["partner"])
    page = client.get("/partner")

    assert page.status_code == 200
    assert "PT Bank Jogja" in page.text and "Rp10.000.000" in page.text and "Rp2.500.000" in page.text
    assert "25,0%" in page.text  # realisation
    assert "Rp20.000.000" in page.text  # what is left of the offer
    assert "Universitas Contoh" not in page.text


def test_year_filter_leaves_out_collaborations_approved_in_another_year(client, setting):
    login(client, setting["partner"])

    def committed(page):
        return re.search(r"Rupiah disanggupi</p>\s*<p[^>]*>([^<]+)</p>", page.text).group(1)

    assert committed(client.get("/partner?year=2025")) == "Rp10.000.000"
    other_year = client.get("/partner?year=2024")
    assert committed(other_year) == "Rp0" and "Belum ada kerja sama pada periode ini." in other_year.text


def test_partner_asking_for_another_organisation_gets_404(client, setting):
    login(client, setting["partner"])

    assert client.get(f"/organisations/{setting['other'].id}/report").status_code == 404
    assert client.get(f"/organisations/{setting['other'].id}/statement.pdf").status_code == 404
    assert client.get(f"/organisations/{setting['org'].id}/report").status_code == 200
    assert client.get("/organisations/999999/report").status_code == 404


def test_coordinator_is_refused_every_partner_and_monthly_page(client, setting):
    login(client, setting["coordinator"])
    org_id = setting["org"].id

    for path in ("/partner", "/partner/statement.pdf", f"/organisations/{org_id}/report",
                 f"/organisations/{org_id}/statement.pdf", "/reports/monthly", "/reports/monthly.pdf"):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitor_is_sent_to_log_in(client, setting):
    for path in ("/partner", "/partner/statement.pdf", "/reports/monthly", "/reports/monthly.pdf?month=2025-03"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_partner_may_not_open_the_monthly_report(client, setting):
    login(client, setting["partner"])

    assert client.get("/reports/monthly").status_code == 403
    assert client.get("/reports/monthly.pdf?month=2025-03").status_code == 403


def test_staff_choose_an_organisation_and_open_its_page(client, setting):
    login(client, setting["staff"])
    listing = client.get("/partner")
    org_id = setting["org"].id

    assert listing.status_code == 200
    assert f'href="/organisations/{org_id}/report"' in listing.text
    assert "Universitas Contoh" in listing.text
    page = client.get(f"/organisations/{org_id}/report")
    assert page.status_code == 200 and f"/organisations/{org_id}/statement.pdf" in page.text
    assert client.get("/partner/statement.pdf").status_code == 302  # staff have no organisation of their own


# --- the statement ----------------------------------------------------------------------------

def test_statement_is_a_pdf_attachment_with_the_organisation_and_its_rupiah(client, setting):
    login(client, setting["partner"])
    response = client.get("/partner/statement.pdf?year=2025")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="pernyataan-kontribusi-pt-bank-jogja-2025.pdf"')
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    assert "Pernyataan Kontribusi" in text and "PT Bank Jogja" in text and "Tahun 2025" in text
    assert "Rp10.000.000" in text and "Rp2.500.000" in text and "25,0%" in text
    assert "Kricak" in text and "Tegalrejo" in text
    assert re.search(r"Halaman 1 dari\s*1$", text)  # the page count is printed apart
    assert re.search(r"berasal dari platform Gandeng Gendong.*per\s+\d{1,2}\s+\w+\s+\d{4}\s+\d\d\.\d\d\s+WIB", text, re.S)


def test_statement_of_another_year_has_no_collaborations(client, setting):
    login(client, setting["partner"])
    text = pdf_text(client.get("/partner/statement.pdf?year=2024").data)

    assert "Rp10.000.000" not in text and "Belum ada kerja sama pada periode ini." in text


def test_text_outside_latin1_is_printed_with_look_alikes_and_question_marks(client, setting):
    login(client, setting["staff"])
    response = client.get(f"/organisations/{setting['org'].id}/statement.pdf")

    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Rp 1.000 – “tes”" in text  # Windows-1252 has the dash and the quotes
    assert "😀" not in text and "?" in text


def test_statement_carries_no_personal_data(client, setting):
    login(client, setting["partner"])
    text = pdf_text(client.get("/partner/statement.pdf").data)

    for secret in ("Sarinah", "Wagiman", "081234567890", "Wartini", "089911112222", "wartini@contoh.id",
                   "KMS", "Kampung Anggrek"):
        assert secret not in text, secret


def test_pdf_metadata_names_the_platform(client, setting):
    login(client, setting["partner"])
    data = client.get("/partner/statement.pdf").data

    assert b"/Title" in data and b"/Author" in data


# --- the monthly report -----------------------------------------------------------------------

def test_monthly_page_shows_the_month_and_links_the_pdf(client, setting):
    login(client, setting["staff"])
    page = client.get("/reports/monthly?month=2025-03")

    assert page.status_code == 200
    assert "Maret 2025" in page.text and "Rp10.000.000" in page.text
    assert "/reports/monthly.pdf?month=2025-03" in page.text
    assert 'type="month"' in page.text and '<label class="form-label" for="month">' in page.text


def test_monthly_page_defaults_to_a_month(client, setting):
    login(client, setting["admin"])
    page = client.get("/reports/monthly")

    assert page.status_code == 200 and "/reports/monthly.pdf?month=" in page.text


@pytest.mark.parametrize("month", ["2025-13", "maret", "2099-01", "2017-12"])
def test_invalid_month_shows_an_indonesian_message(client, setting, month):
    login(client, setting["staff"])

    for path in (f"/reports/monthly?month={month}", f"/reports/monthly.pdf?month={month}"):
        page = client.get(path)
        assert page.status_code == 400, path
        assert page.mimetype == "text/html"
        assert any(message in page.text for message in (
            "Bulan tidak dikenali", "Bulan itu belum berjalan", "Laporan bulanan tersedia mulai"))


def test_monthly_pdf_holds_the_months_figures(client, setting, session):
    setting["org"].name = "PT Bank Jogja “Sejahtera” 😀"
    session.commit()
    login(client, setting["staff"])
    response = client.get("/reports/monthly.pdf?month=2025-03")

    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="laporan-bulanan-gandeng-gendong-2025-03.pdf"')
    text = pdf_text(response.data)
    assert "Laporan Bulanan Gandeng Gendong: Maret 2025" in text
    assert "Rp10.000.000" in text and "PT Bank Jogja “Sejahtera” ?" in text
    assert "Tegalrejo" in text and "Kota Yogyakarta" in text
    assert "Sarinah" not in text and "081234567890" not in text
