"""The whole journey in a real browser, on a phone (360×740, touch) and on a desktop (1366×768):
a coordinator registers, staff verify the account, the coordinator writes a need with a photo (by
keyboard alone) and submits it, staff verify it, a partner posts and activates an offer, staff run
the matcher, read the reasons and approve, the partner confirms and reports progress and
completion, the coordinator confirms completion, and the public page credits the partner.

Every page visited is checked (tests/e2e/browser.py): no serious or critical axe-core violation,
no sideways scrolling, buttons and links at least 24×24 px, a table for every chart; a screenshot
per step and axe-summary.json go to $E2E_ARTIFACTS (default test-artifacts/e2e/<viewport>/).
The server is gunicorn in its own process on a fresh SQLite database made by `flask init-db`,
with the real settings (CSRF on, rate limits on); no request may leave it."""
import re
import time

import pytest
from playwright.sync_api import expect

from gandeng.db import db
from gandeng.factory import create_app
from tests import factories as f
from tests.conftest import BASE_CONFIG
from tests.e2e import browser
from tests.e2e.browser import Journey, artefacts_dir, go_by_menu, tab_once, tab_to
from tests.e2e.live_server import Server

pytestmark = pytest.mark.slow

PASSWORD = f.PASSWORD
FIRST_LOAD_BUDGET = 250 * 1024  # bytes over the wire for the home page with an empty cache


@pytest.fixture
def live(tmp_path):
    """gunicorn on a fresh database made by `flask init-db` (no demo data: the journey's own need
    and offer are the only ones the matcher sees) holding a staff member and a partner of a
    verified organisation, made before the browser starts; yields (server, people)."""
    url = f"sqlite:///{tmp_path / 'journey.sqlite'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    done = app.test_cli_runner().invoke(args=["init-db"])  # the operator's command, in this process
    assert done.exit_code == 0, done.output
    with app.app_context():
        staff = f.make_staff(db.session, email="petugas@jogjakota.go.id", name="Sri Petugas")
        organisation = f.make_organisation(db.session, name="PT Sinar Gendong Sejahtera", verified=True)
        partner = f.make_partner(db.session, email="csr@sinargendong.co.id", name="Budi Mitra",
                                 organisation=organisation)
        db.session.commit()
        people = {"staff": staff.email, "partner": partner.email, "organisation": organisation.name}
        db.session.remove()
        db.engine.dispose()
    server = Server(url, tmp_path, workers=1)  # one worker: the journey is one request at a time
    server.start()
    try:
        yield server, people
    finally:
        server.kill()  # the database is thrown away: no need to wait for a graceful stop


# --- steps ------------------------------------------------------------------------------------------

def flash(page, text):
    """The page shows the message of what was just done."""
    page.get_by_role("status").filter(has_text=text).first.wait_for()


def submit(page, button):
    """Click a button that posts a form and wait for the next page."""
    with page.expect_navigation():
        button.click()


def log_in_by_keyboard(journey, page, email):
    """The log-in form with the keyboard alone: Tab to the e-mail field, type, Tab, type, Enter."""
    page.goto("/login")
    journey.check(page, "login")
    path = tab_to(page, "#email")
    assert len(set(path)) > 2, f"Tab moved the focus through the page: {path}"
    page.keyboard.type(email)
    tab_once(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == journey.base_url + "/", page.url
    flash(page, "Selamat datang")


def log_in(journey, page, email):
    """Log in with the form, by tapping/clicking: from the menu's "Masuk" link."""
    page.goto("/")
    go_by_menu(journey, page, "Masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Masuk"))
    flash(page, "Selamat datang")


def open_notification(journey, page, text):
    """From the menu's notifications, open the one that says `text`."""
    go_by_menu(journey, page, "Notifikasi")
    journey.check(page, "notifications")
    item = page.get_by_role("listitem").filter(has_text=text).first
    submit(page, item.get_by_role("button", name="Buka"))


def run_journey(journey: Journey, people: dict, photo: bytes) -> dict:
    """The journey; returns facts for the assertions after it."""
    tag = journey.viewport
    title = f"Jamban sehat komunal RT 05 ({tag})"
    offer_title = f"Dana CSR sanitasi kampung ({tag})"
    coordinator = {"name": f"Siti Koordinator {tag.title()}", "email": f"siti.{tag}@kricak.or.id"}

    # The coordinator's first visit: the home page with an empty cache, then registration.
    siti = journey.person("coordinator")
    journey.first_load_of(siti, "/")
    journey.check(siti, "home")
    with siti.expect_navigation():
        siti.get_by_role("link", name="Daftar sebagai koordinator atau mitra").click()
    journey.check(siti, "register")
    siti.get_by_label("Koordinator kampung").check()
    # Only the chosen role's box stays (phone walk: "Untuk mitra" stayed under a coordinator's choice).
    expect(siti.get_by_label("Nama organisasi")).to_be_hidden()
    expect(siti.get_by_label("Nama kampung")).to_be_visible()
    siti.get_by_label("Nama lengkap").fill(coordinator["name"])
    siti.get_by_label("Email").fill(coordinator["email"])
    siti.get_by_label("Nomor HP/WhatsApp").fill("0812 2700 1234")
    siti.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    siti.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    siti.get_by_label("Kelurahan").select_option(label="Kricak")
    siti.get_by_label("Nama kampung").fill(f"Kampung Jalur {tag.title()}")
    siti.get_by_label("Saya sudah membaca dan menyetujui").check()  # issue 19: the privacy notice
    submit(siti, siti.get_by_role("button", name="Daftar"))
    siti.get_by_role("heading", name="Pendaftaran diterima").wait_for()
    journey.check(siti, "registered")

    # Staff log in (by keyboard) and verify the new account.
    sri = journey.person("staff")
    log_in_by_keyboard(journey, sri, people["staff"])
    journey.check(sri, "staff-home")
    go_by_menu(journey, sri, "Pengguna")
    journey.check(sri, "admin-users")
    with sri.expect_navigation():
        sri.get_by_role("link", name=re.compile(re.escape(coordinator["name"]))).click()
    journey.check(sri, "admin-user")
    submit(sri, sri.get_by_role("button", name="Verifikasi dan aktifkan akun"))
    flash(sri, "sudah aktif")

    # The coordinator logs in and writes the need, by keyboard alone, with a photo.
    log_in(journey, siti, coordinator["email"])
    go_by_menu(journey, siti, "Kebutuhan")
    journey.check(siti, "needs")
    with siti.expect_navigation():
        siti.get_by_role("link", name="Tulis kebutuhan baru").click()
    journey.check(siti, "need-form")
    write_need_by_keyboard(siti, title, photo)
    flash(siti, "Kebutuhan tersimpan sebagai draf")
    assert siti.get_by_role("img", name="foto-jamban.jpg").is_visible()
    journey.check(siti, "need-draft")
    submit(siti, siti.get_by_role("button", name="Ajukan ke petugas kota"))
    flash(siti, "Kebutuhan diajukan")
    journey.check(siti, "need-submitted")

    # Staff verify the need.
    go_by_menu(journey, sri, "Kebutuhan")
    journey.check(sri, "staff-needs")
    with sri.expect_navigation():
        sri.get_by_role("link", name=title).first.click()
    journey.check(sri, "staff-need")
    submit(sri, sri.get_by_role("button", name="Verifikasi", exact=True))
    flash(sri, "Kebutuhan terverifikasi")

    # The partner posts an offer and activates it.
    budi = journey.person("partner")
    log_in(journey, budi, people["partner"])
    go_by_menu(journey, budi, "Penawaran")
    journey.check(budi, "offers")
    with budi.expect_navigation():
        budi.get_by_role("link", name="Buat penawaran").click()
    journey.check(budi, "offer-form")
    budi.get_by_label("Bentuk bantuan").select_option(label="Dana")
    budi.get_by_label("Judul penawaran").fill(offer_title)
    budi.get_by_label("Uraian", exact=True).fill(
        "Dana CSR untuk jamban sehat dan septic tank komunal bagi keluarga di kampung Kota Yogyakarta.")
    budi.get_by_label("Nilai penawaran (Rp)").fill("20.000.000")
    budi.get_by_label("Sanitasi & air bersih").check()
    submit(budi, budi.get_by_role("button", name="Simpan sebagai draf"))
    flash(budi, "Penawaran disimpan sebagai draf")
    journey.check(budi, "offer-draft")
    submit(budi, budi.get_by_role("button", name="Aktifkan"))
    flash(budi, "Penawaran sudah aktif")
    journey.check(budi, "offer-active")

    # Staff run the matcher, read the reasons and approve.
    go_by_menu(journey, sri, "Usulan")
    journey.check(sri, "review-empty")
    with sri.expect_navigation():
        sri.get_by_role("link", name="Pencocokan", exact=True).click()
    journey.check(sri, "matching")
    submit(sri, sri.get_by_role("button", name="Jalankan pencocokan"))
    sri.get_by_role("link", name="Tinjau usulan").wait_for()  # in-process run: done at once
    journey.check(sri, "matching-run")
    with sri.expect_navigation():
        sri.get_by_role("link", name="Tinjau usulan").click()
    journey.check(sri, "review")
    card = sri.get_by_role("article").filter(has=sri.get_by_role("heading", name=title))
    proposal = card.locator(".proposal").filter(has_text=offer_title).first
    reasons = proposal.get_by_role("listitem").all_inner_texts()
    assert reasons, "the proposal says why it fits"
    # Approving asks first, in place (htmx): the amount and the parties, then "Ya, setujui".
    proposal.get_by_role("link", name=re.compile(r"^Setujui Rp")).click()
    confirm = proposal.locator(".approve-confirm")
    confirm.wait_for()
    assert "Rp5.000.000" in confirm.inner_text() and people["organisation"] in confirm.inner_text()
    confirm.get_by_role("button", name=re.compile(r"^Ya, setujui Rp")).click()
    card.locator(".proposal-decided").filter(has_text="Disetujui:").wait_for()
    journey.check(sri, "review-approved")

    # The partner confirms the collaboration, reports progress with a photo, then completion.
    open_notification(journey, budi, "menyetujui")
    journey.check(budi, "collaboration-awaiting")
    submit(budi, budi.get_by_role("button", name="Sanggupi kerja sama ini"))
    flash(budi, "Kerja sama dikonfirmasi")
    journey.check(budi, "collaboration-confirmed")
    budi.get_by_label("Kemajuan (%)").fill("60")
    budi.get_by_label("Apa yang sudah dikerjakan").fill("Galian septic tank selesai, pipa terpasang.")
    budi.get_by_label("Total dana terealisasi sampai sekarang (Rp)").fill("3.000.000")
    budi.get_by_label("Foto (JPEG atau PNG, maks. 5 MB per foto)").set_input_files(
        files=[{"name": "kemajuan.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    submit(budi, budi.get_by_role("button", name="Kirim laporan"))
    flash(budi, "Laporan kemajuan tersimpan")
    report = budi.locator("article").filter(has_text="Galian septic tank selesai")
    assert "Rp3.000.000" in report.inner_text()
    assert report.get_by_role("img", name="Foto 1").is_visible()
    journey.check(budi, "collaboration-progress")
    completion = budi.locator("details").filter(has=budi.locator("summary", has_text="Laporkan selesai"))
    completion.locator("summary").click()
    completion.get_by_label("Jumlah penerima manfaat yang sudah dibantu").fill("5")
    completion.get_by_label("Ringkasan hasil").fill("Jamban komunal untuk 5 KK selesai dan dipakai.")
    submit(budi, completion.get_by_role("button", name="Laporkan selesai"))
    flash(budi, "Penyelesaian dilaporkan")
    journey.check(budi, "collaboration-reported")

    # The coordinator confirms completion.
    open_notification(journey, siti, "melaporkan")
    journey.check(siti, "collaboration-to-confirm")
    submit(siti, siti.get_by_role("button", name="Konfirmasi selesai"))
    flash(siti, "Kerja sama selesai")
    journey.check(siti, "collaboration-completed")

    # Anyone: the public page credits the partner for the completed collaboration.
    visitor = journey.person("visitor")
    response = visitor.goto("/public")
    assert response is not None and response.status == 200, f"/public answered {response and response.status}"
    journey.check(visitor, "public")
    completed = completed_collaborations(visitor)
    text = completed.inner_text()
    assert people["organisation"] in text and title in text, text
    return {"title": title, "reasons": reasons}


def write_need_by_keyboard(page, title, photo):
    """The need form by keyboard alone: Tab from the top of the page, type, arrows, Space, Enter.
    The photo is chosen through the file chooser that Space opens on the file field."""
    path = tab_to(page, "#category")
    assert len(set(path)) > 2, f"Tab moved the focus through the page: {path}"
    page.keyboard.type("Sanitasi")  # type-ahead in the closed select
    assert page.locator("#category").input_value() == "sanitation"
    tab_once(page, "#title")
    page.keyboard.type(title)
    tab_once(page, "#description")
    page.keyboard.type("Lima keluarga di RT 05 belum punya jamban sehat; perlu septic tank komunal di bantaran sungai.")
    tab_to(page, "#rw", most=10)  # past the suggestions panel (links when offers fit)
    page.keyboard.type("05")
    tab_once(page, "#households")
    page.keyboard.type("5")
    tab_once(page, "#kms_households")
    page.keyboard.type("3")
    tab_once(page, "#cost_rp")
    page.keyboard.type("5.000.000")
    tab_to(page, "#urgency", most=5)  # the date field has a stop per part (day, month, year)
    page.keyboard.press("ArrowDown")
    assert page.locator("#urgency").input_value() == "tinggi"
    tab_once(page, "#partial_ok")
    page.keyboard.press("Space")
    assert page.locator("#partial_ok").is_checked()
    tab_once(page, "#beneficiaries")
    page.keyboard.type("Ibu Contoh Satu\nBapak Contoh Dua")
    tab_once(page, "#contact_phone")
    page.keyboard.type("081227001234")
    tab_once(page, "#beneficiaries_consent")  # issue 19: names written, so the households' consent
    page.keyboard.press("Space")
    tab_once(page, "#files")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files=[{"name": "foto-jamban.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    tab_once(page, "button:Simpan draf")  # Enter saves a draft; "Simpan & ajukan" is the next button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/needs/\d+$", page.url), page.url


def completed_collaborations(page):
    """The region of /public under the heading of completed collaborations."""
    region = page.get_by_role("region", name=re.compile(r"selesai", re.IGNORECASE)).first
    region.wait_for()
    return region


def photo_bytes() -> bytes:
    """A small real JPEG (320×240) with a gradient, like a phone photo scaled down."""
    import io

    from PIL import Image

    image = Image.linear_gradient("L").resize((320, 240)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_journey_from_registration_to_public_credit_is_accessible(viewport, live, chromium):
    server, people = live
    journey = Journey(chromium, f"http://127.0.0.1:{server.port}", viewport, artefacts_dir(viewport))
    started = time.monotonic()
    try:
        facts = run_journey(journey, people, photo_bytes())
    finally:
        summary = journey.write_summary(time.monotonic() - started)
    assert facts["reasons"]
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.foreign_requests(), f"requests left the server: {journey.foreign_requests()}"
    assert not journey.errors, "\n".join(journey.errors)
    load = summary["first_load"]
    assert load["transferred_bytes"] < FIRST_LOAD_BUDGET, (
        f"first load of / transferred {load['transferred_bytes']} bytes (budget {FIRST_LOAD_BUDGET}): "
        f"{load['responses']}")


def test_missing_chromium_skips_with_the_way_to_install_it_outside_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception,
                       match=r"Chromium not found at /usr/bin/chromium: apt-get install chromium"):
        browser.chromium_path()


def test_missing_chromium_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"Chromium not found at /usr/bin/chromium"):
        browser.chromium_path()
