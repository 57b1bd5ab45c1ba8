"""Nglarisi in a real browser on 360-px phones: an office orders, the group accepts through the one-tap
link of its notice (no log-in), the office confirms delivery and payment. No serious or critical axe-core
violation, no sideways scrolling, tap targets big enough (tests/e2e/browser.py's checks)."""
import json
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from gandeng.factory import create_app
from gandeng.formatting import long_date
from tests.conftest import BASE_CONFIG
from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import Server

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).parents[2] / "examples"
OFFICE = ("kantor@contoh.id", "Pesan-nasi-2026!")
STAFF = ("petugas@contoh.id", "Kurasi-kelompok-2026!")
# Every element of the page's tables and lists lies inside the 360-px screen (a table-responsive wrapper
# would hide a cut-off column from the document's scrollWidth).
OUTSIDE_JS = """() => Array.from(document.querySelectorAll('main table *, main ul *, main dl *'))
  .filter(e => { const r = e.getBoundingClientRect();
    return !e.closest('thead') && r.width > 0 && r.right > window.innerWidth + 1; })
  .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))"""


def _photo() -> bytes:
    """A phone-like photo (1200x900 JPEG with a few shapes): the browser shrinks nothing this small."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), (240, 200, 120))
    draw = ImageDraw.Draw(image)
    draw.rectangle((200, 300, 1000, 800), fill=(250, 250, 245))
    draw.ellipse((350, 380, 650, 680), fill=(190, 120, 40))
    draw.ellipse((680, 420, 920, 660), fill=(60, 140, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.fixture(scope="module")
def nglarisi_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nglarisi-pages")
    path = folder / "nglarisi.sqlite"
    url = f"sqlite:///{path}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(folder / "uploads")})
    runner = app.test_cli_runner()
    for command in (["init-db"], ["import", "groups", str(EXAMPLES / "groups.csv")],
                    ["create-user", "--email", OFFICE[0], "--name", "Bagian Umum Dinkes", "--role", "office",
                     "--password", OFFICE[1], "--office", "Dinas Kesehatan"],
                    ["create-user", "--email", "dapur@contoh.id", "--name", "Bu Sri", "--role", "group",
                     "--password", "Masak-enak-2026!", "--group", "Dapur Kricak Makmur"],
                    ["create-user", "--email", STAFF[0], "--name", "Petugas Nglarisi", "--role", "staff",
                     "--password", STAFF[1]]):
        done = runner.invoke(args=command)
        assert done.exit_code == 0, done.output
    server = Server(url, folder, workers=1)
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}", path
    finally:
        server.kill()


def test_office_orders_group_accepts_by_link_delivered_and_paid_on_phones(nglarisi_server, chromium):
    base_url, database = nglarisi_server
    journey = Journey(chromium, base_url, "phone", artefacts_dir("nglarisi-phone"))
    started = time.monotonic()
    office = journey.person("office")
    office.goto("/login")
    office.get_by_label("Email").fill(OFFICE[0])
    office.get_by_label("Kata sandi").fill(OFFICE[1])
    with office.expect_navigation():
        office.get_by_role("button", name="Masuk").click()
    assert office.goto("/nglarisi/orders/new").status == 200
    journey.check(office, "order-form")
    deliver_on = date.today() + timedelta(days=3)
    office.get_by_label("Tanggal antar").fill(deliver_on.isoformat())
    # The picker may show mm/dd/yyyy: the field says the date back in Indonesian words (static/js/forms.js).
    assert office.locator("#date-understood").inner_text() == f"Terbaca: {long_date(deliver_on)}"
    office.get_by_label("Jam antar (WIB)").fill("11:30")
    office.get_by_label("Kelurahan tempat antar").select_option(label="Kricak")
    office.get_by_label("Jumlah porsi").fill("40")
    office.get_by_label("Anggaran (Rp)").fill("1.500.000")
    with office.expect_navigation():
        office.get_by_role("button", name="Kirim pesanan").click()
    assert office.get_by_text("Menunggu jawaban kelompok").count() == 1
    assert office.get_by_text("Pesanan ditawarkan ke Dapur Kricak Makmur").count() == 1
    journey.check(office, "order-offered")
    # The answer-by time falls in the waking hours (06.00-21.00 WIB), whenever the journey runs.
    answer_by = office.locator("dt:has-text('Batas jawaban') + dd").inner_text()
    assert 6 <= int(answer_by.split()[-2].split(".")[0]) <= 21, answer_by

    with sqlite3.connect(database) as db:  # the link the group's WhatsApp/e-mail notice carries
        link = db.execute("SELECT link FROM notifications WHERE kind = 'nglarisi.order_new'").fetchone()[0]
    group = journey.person("group")
    assert group.goto(link).status == 200
    journey.check(group, "one-tap-link")
    with group.expect_navigation():
        group.get_by_role("button", name="Terima pesanan").click()
    assert group.get_by_text("Pesanan diterima").count() == 1
    assert group.get_by_role("button", name="Terima pesanan").count() == 0  # the link works once

    office.reload()
    assert office.get_by_text("Diterima kelompok").count() == 1
    office.get_by_label("Porsi yang diterima").fill("40")
    office.get_by_label("Mutu (1-5)").select_option("5")
    with office.expect_navigation():
        office.get_by_role("button", name="Sudah diantar").click()
    journey.check(office, "order-delivered")
    with office.expect_navigation():
        office.get_by_role("button", name="Sudah dibayar").click()
    assert office.get_by_text("Pembayaran dicatat.").count() == 1
    journey.check(office, "order-paid")

    # The group (its own account, on a phone) uploads a product photo; it shows on its public catalogue page.
    cook = journey.person("cook")
    cook.goto("/login")
    cook.get_by_label("Email").fill("dapur@contoh.id")
    cook.get_by_label("Kata sandi").fill("Masak-enak-2026!")
    with cook.expect_navigation():
        cook.get_by_role("button", name="Masuk").click()
    assert cook.goto("/nglarisi/my-group").status == 200
    cook.get_by_label("Jenis berkas").select_option("photo")
    cook.get_by_label("Foto ini menunjukkan menu").select_option(index=1)
    menu_name = cook.get_by_label("Foto ini menunjukkan menu").evaluate("s => s.options[s.selectedIndex].text")
    cook.get_by_label("Berkas (foto JPEG/PNG").set_input_files(
        files=[{"name": "nasi-kotak.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    with cook.expect_navigation():
        cook.get_by_role("button", name="Unggah").click()
    assert cook.get_by_text("Berkas diunggah.").count() == 1
    journey.check(cook, "group-photo-uploaded")
    public = journey.person("public")
    with sqlite3.connect(database) as db:
        group_id = db.execute("SELECT id FROM nglarisi_groups WHERE name = 'Dapur Kricak Makmur'").fetchone()[0]
    assert public.goto(f"/nglarisi/katalog/{group_id}").status == 200
    photo = public.get_by_role("img", name=menu_name)
    photo.scroll_into_view_if_needed()
    photo.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done))")
    assert photo.evaluate("img => img.naturalWidth") > 0 and photo.get_attribute("loading") == "lazy"
    assert photo.bounding_box()["width"] <= 360
    journey.check(public, "catalogue-with-photo")
    assert public.get_by_role("link", name="Masuk untuk memesan").count() == 1
    assert public.goto("/nglarisi/katalog").status == 200
    assert public.locator(".nglarisi-catalogue-item img").count() >= 1  # the photo as the group's thumbnail
    assert public.evaluate(OUTSIDE_JS) == []
    journey.check(public, "catalogue-list")

    # Staff on a phone: the group list and the figures fit 360 px; suspending asks first and wants a reason.
    staff = journey.person("staff")
    staff.goto("/login")
    staff.get_by_label("Email").fill(STAFF[0])
    staff.get_by_label("Kata sandi").fill(STAFF[1])
    with staff.expect_navigation():
        staff.get_by_role("button", name="Masuk").click()
    for path, step in (("/nglarisi/groups", "staff-groups"), ("/nglarisi/stats", "staff-stats")):
        assert staff.goto(path).status == 200
        assert staff.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert staff.evaluate(OUTSIDE_JS) == [], path
        journey.check(staff, step)
    assert staff.goto(f"/nglarisi/groups/{group_id}").status == 200
    with staff.expect_navigation():
        staff.get_by_role("link", name="Hentikan sementara").click()
    journey.check(staff, "suspend-confirm")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Ya, hentikan sementara").click()
    assert staff.get_by_text("Tuliskan alasan menghentikan sementara").count() == 1  # nothing changed yet
    refused = [e for e in journey.errors if "/status/suspended" in e and "422" in e]
    assert len(refused) == 1  # the browser logs the expected 422 of the refusal: not an error of the page
    journey.errors.remove(refused[0])
    staff.get_by_label("Alasan (wajib, dibaca kelompok)").fill("Nama kelompok dipakai restoran lain")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Ya, hentikan sementara").click()
    assert staff.get_by_text("Dapur Kricak Makmur sekarang: Dihentikan sementara.").count() == 1
    assert staff.get_by_text("Alasan: Nama kelompok dipakai restoran lain").count() == 1
    journey.check(staff, "group-suspended")
    summary = journey.summary(time.monotonic() - started)
    (journey.artefacts / "axe-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.foreign_requests(), f"requests left the server: {journey.foreign_requests()}"
    assert not journey.errors, "\n".join(journey.errors)
