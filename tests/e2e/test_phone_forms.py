"""Forms on a cheap phone (issue 12), in Chromium at 360 × 740 with touch: a coordinator posts a need
with a photo in at most six taps after logging in (typing is not a tap; choosing a file is one); an
8 MB, 48-MP photo is shrunk in the browser and stored at most 2 MB; a bad submit opens with the
error summary focused and on screen, and the accepted photo is kept; what was typed survives a
reload ("Pulihkan isian"); the sticky buttons never cover a field; axe finds nothing on any page.
Screenshots: test-artifacts/e2e/phone-forms/ (or $E2E_ARTIFACTS/phone-forms)."""
import io
import re
import time
from pathlib import Path

import pytest
from PIL import Image

from gandeng.db import db
from gandeng.factory import create_app
from gandeng.images import MAX_SIDE, MAX_STORED_BYTES
from gandeng.needs.models import Need
from tests import factories as f
from tests.conftest import BASE_CONFIG
from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import Server

pytestmark = pytest.mark.slow

MAX_TAPS = 6
EMAIL = "sumi@kricak.or.id"


@pytest.fixture
def live(tmp_path):
    """gunicorn on a fresh `flask init-db` database with one verified coordinator; yields (server, url, uploads)."""
    url = f"sqlite:///{tmp_path / 'forms.sqlite'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    done = app.test_cli_runner().invoke(args=["init-db"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        f.make_coordinator(db.session, email=EMAIL, name="Bu Sumi",
                           kampung=f.make_kampung(db.session, "Kampung Kricak Kidul"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    server = Server(url, tmp_path, workers=1)
    server.start()
    try:
        yield server, app, tmp_path / "uploads"
    finally:
        server.kill()


class Taps:
    """Counts the taps a person makes (a click, choosing an option, choosing a file)."""

    def __init__(self):
        self.count = 0
        self.log: list[str] = []

    def tap(self, what: str, times: int = 1) -> None:
        self.count += times
        self.log.append(f"{what} ×{times}" if times > 1 else what)


def log_in(page):
    page.goto("/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(f.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def open_need_form(page, taps: Taps) -> None:
    """From the page after log-in to the need form the way a coordinator would: the start page's
    "Tulis kebutuhan" when it offers one, else through the list of the kampung's needs."""
    direct = page.get_by_role("link", name=re.compile(r"^Tulis kebutuhan"))
    if direct.count() and direct.first.is_visible():
        taps.tap("Tulis kebutuhan")
        with page.expect_navigation():
            direct.first.click()
        return
    taps.tap("Lihat kebutuhan kampung")
    with page.expect_navigation():
        page.get_by_role("link", name="Lihat kebutuhan kampung").first.click()
    taps.tap("Tulis kebutuhan baru")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Tulis kebutuhan")).first.click()


def choose_photo(page, taps: Taps, name: str, data: bytes) -> None:
    taps.tap(f"pilih foto {name}")
    page.locator("#files").set_input_files(files=[{"name": name, "mimeType": "image/jpeg", "buffer": data}])
    page.locator("#files[data-shrunk]").wait_for(state="attached", timeout=30_000)


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] < height and box["y"] + min(box["height"], 120) <= height


def small_photo() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((320, 240)).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def stored_attachments(app, uploads: Path, title: str) -> list[tuple[int, tuple[int, int]]]:
    """(bytes on disk, pixel size) of each attachment of the need called `title`."""
    with app.app_context():
        need = db.session.scalars(db.select(Need).where(Need.title == title)).one()
        found = []
        for attachment in need.attachments:
            path = uploads / "needs" / attachment.stored_name
            with Image.open(path) as image:
                found.append((path.stat().st_size, image.size))
        status = need.status
        db.session.remove()
        db.engine.dispose()
    return found, status


def test_a_coordinator_on_a_phone_posts_a_need_with_a_phone_photo_in_six_taps(live, chromium):
    server, app, uploads = live
    journey = Journey(chromium, f"http://127.0.0.1:{server.port}", "phone", artefacts_dir("phone-forms"))
    started = time.monotonic()
    try:
        page = journey.person("coordinator")
        log_in(page)
        journey.check(page, "landing-after-login")

        # 1. Posting a need with an 8 MB phone photo, counting taps.
        taps = Taps()
        open_need_form(page, taps)
        journey.check(page, "need-form")
        taps.tap("kategori: buka pilihan, pilih Sanitasi", 2)
        page.locator("#category").select_option("sanitation")
        title = "Jamban sehat untuk lima KK"
        page.locator("#title").fill(title)
        page.locator("#description").fill("Lima keluarga di RT 03 belum punya jamban sehat di bantaran sungai.")
        # Text that arrives without a key press (a paste, voice typing: Playwright's fill is one) still
        # asks for matching offers (phone walk: the box kept its "Isi kategori dan uraian" hint).
        page.locator(".need-suggestions").get_by_text("Isi kategori dan uraian").wait_for(state="detached",
                                                                                          timeout=5000)
        page.locator("#households").fill("5")
        page.locator("#cost_rp").fill("15 juta")
        assert page.locator("#cost_rp-understood").inner_text() == "Terbaca: Rp15.000.000"
        page.locator("#deadline").fill("2027-11-28")  # the picker's value (a future date); it may show mm/dd/yyyy
        assert page.locator("#deadline-understood").inner_text() == "Terbaca: 28 November 2027"
        photo = f.phone_photo_bytes()
        assert len(photo) > 8_000_000
        choose_photo(page, taps, "IMG_20261206_48MP.jpg", photo)
        assert "diperkecil" in page.locator("#files-shrink").inner_text()
        journey.check(page, "need-form-filled")
        taps.tap("Simpan & ajukan")
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan & ajukan").click()
        assert re.search(r"/needs/\d+$", page.url), page.url
        page.get_by_role("status").filter(has_text="diajukan").first.wait_for()
        journey.check(page, "need-submitted")
        print(f"coordinator posts a need with a photo in {taps.count} taps after log-in: {taps.log}")
        assert taps.count <= MAX_TAPS, f"{taps.count} taps: {taps.log}"
        files, status = stored_attachments(app, uploads, title)
        assert status == "submitted"
        assert len(files) == 1
        size, pixels = files[0]
        assert size <= MAX_STORED_BYTES and max(pixels) <= MAX_SIDE, (size, pixels)

        # 2. A bad submit: the summary is focused and on screen, values and the chosen photo are kept.
        page.goto("/needs/new")
        page.locator("#category").select_option("sanitation")
        page.locator("#title").fill("Perbaikan atap balai RW")
        page.locator("#description").fill("Atap balai RW 07 bocor di tiga tempat.")
        page.locator("#households").fill("0")
        page.locator("#cost_rp").fill("tiga juta")
        choose_photo(page, Taps(), "atap.jpg", small_photo())
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan & ajukan").click()
        summary = "[data-error-summary]"
        page.locator(summary).wait_for()
        assert page.evaluate("document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
        assert in_viewport(page, summary), page.locator(summary).bounding_box()
        assert page.locator(summary).get_by_role("link").count() == 2  # households and cost, at once
        assert page.locator("#title").input_value() == "Perbaikan atap balai RW"
        assert page.locator("input[name=pending]:checked").count() == 1
        journey.check(page, "need-form-errors")
        page.locator(summary).get_by_role("link", name=re.compile("Perkiraan biaya")).click()
        assert page.evaluate("document.activeElement.id") == "cost_rp"
        # The sticky buttons never cover the field being filled.
        bar = page.locator(".form-actions-sticky")
        assert bar.bounding_box()["height"] <= 64, bar.bounding_box()  # one row of buttons
        for field in ("#title", "#cost_rp", "#beneficiaries", "#files"):
            page.locator(field).scroll_into_view_if_needed()
            box, bar_box = page.locator(field).bounding_box(), bar.bounding_box()
            assert box["y"] + box["height"] <= bar_box["y"] + 1, (field, box, bar_box)
        page.locator("#households").fill("4")
        page.locator("#cost_rp").fill("3 juta")
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan draf").click()
        assert re.search(r"/needs/\d+$", page.url), page.url
        files, status = stored_attachments(app, uploads, "Perbaikan atap balai RW")
        assert status == "draft" and len(files) == 1

        # 2b. A button pressed while the photo is still being made smaller stays focusable and
        # enabled; the press is held and sent, as the button pressed, once the photo is ready.
        page.goto("/needs/new")
        page.locator("#category").select_option("sanitation")
        page.locator("#title").fill("Talang air mushola RW 02")
        page.locator("#description").fill("Talang air mushola RW 02 lepas saat hujan deras.")
        page.locator("#households").fill("3")
        page.locator("#cost_rp").fill("2 juta")
        page.locator("#files").set_input_files(files=[{"name": "talang.jpg", "mimeType": "image/jpeg", "buffer": photo}])
        assert page.evaluate("!!document.querySelector('#files[data-shrinking]')")
        draft_button = page.get_by_role("button", name="Simpan draf")
        assert draft_button.is_enabled()
        with page.expect_navigation(timeout=30_000):
            draft_button.click()
        assert re.search(r"/needs/\d+$", page.url), page.url
        files, status = stored_attachments(app, uploads, "Talang air mushola RW 02")
        assert status == "draft" and len(files) == 1

        # 3. Autosave: what was typed survives a reload, and is gone once the form was sent.
        page.goto("/needs/new")
        page.locator("#title").fill("Sumur bor untuk RT 04")
        page.locator("#description").fill("Air sumur warga keruh saat kemarau.")
        page.locator("#cost_rp").fill("8.500.000")
        page.wait_for_timeout(700)
        page.reload()
        restore = page.get_by_role("button", name="Pulihkan isian")
        restore.wait_for()
        journey.check(page, "need-form-restore-offer")
        restore.click()
        assert page.locator("#title").input_value() == "Sumur bor untuk RT 04"
        assert page.locator("#cost_rp").input_value() == "8.500.000"
        page.locator("#category").select_option("sanitation")
        page.locator("#households").fill("6")
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan draf").click()
        page.goto("/needs/new")
        page.wait_for_timeout(300)
        assert page.get_by_role("button", name="Pulihkan isian").count() == 0

        # 4. The service worker keeps static files only: never a page (they hold personal data).
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.goto("/needs")
        cached = page.evaluate("""async () => {
          const out = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) out.push(new URL(request.url).pathname);
          }
          return out; }""")
        assert "/static/css/app.css" in cached, cached
        assert all(path.startswith("/static/") for path in cached), cached
    finally:
        summary = journey.write_summary(time.monotonic() - started)
    violations = [(row["step"], row["rules"]) for row in journey.pages if row["rules"]]
    assert not violations, violations
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.foreign_requests(), journey.foreign_requests()
    assert not journey.errors, "\n".join(journey.errors)
    assert summary
