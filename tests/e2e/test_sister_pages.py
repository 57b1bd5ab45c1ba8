"""The sister pairing pages in a real browser on a 360-px phone: staff see the draft, publish it, the
visitor sees the published pairs; the profile form. No serious or critical axe-core violation, no
sideways scrolling, tap targets big enough (tests/e2e/browser.py's checks)."""
import json
import time
from pathlib import Path

import pytest

from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import DEMO_GROUP, copy_demo_data, run_commands, serve

pytestmark = [pytest.mark.slow, DEMO_GROUP]  # demo_data: tests/e2e/conftest.py

STAFF = ("petugas@demo.gandeng.id", "demo-petugas-123")
COORDINATOR = ("koordinator.terban@demo.gandeng.id", "demo-koordinator-123")  # Terban Taman's
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def sister_server(demo_data, tmp_path_factory):
    """Its own gunicorn (the test publishes and approves) on a copy of the demo data with the example
    kampung and sister partners imported and 2027's pairs drafted."""
    folder = tmp_path_factory.mktemp("sister-pages")
    copy_demo_data(demo_data, folder)
    run_commands(folder, (["import", "kampung", str(EXAMPLES / "kampung.csv")],
                          ["import", "sister-partners", str(EXAMPLES / "sister-partners.csv")],
                          ["sister", "pair", "--year", "2027"]))
    yield from serve(f"sqlite:///{folder / 'demo.sqlite'}", folder)


def _sign_in(page, email, password):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def test_sister_pages_on_a_phone(sister_server, chromium):
    """Draft, publish, public list; then the year's work: the coordinator writes and submits the plan,
    staff approve it and open the figures."""
    journey = Journey(chromium, sister_server, "phone", artefacts_dir("sister-phone"))
    started = time.monotonic()
    staff = journey.person("staff")
    _sign_in(staff, *STAFF)
    assert staff.goto("/sister?year=2027").status == 200
    assert staff.get_by_text("Kricak Kidul").count() >= 1
    journey.check(staff, "sister-draft")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Terbitkan").click()
    assert staff.get_by_text("Pemasangan 2027 diterbitkan").count() == 1
    journey.check(staff, "sister-published")
    staff.get_by_role("link", name="Universitas Contoh Yogyakarta").first.click()
    staff.wait_for_load_state("load")
    assert "/sister/profile/organisation/" in staff.url
    journey.check(staff, "sister-partner-profile")
    visitor = journey.person("visitor")
    assert visitor.goto("/public/sister").status == 200
    assert visitor.get_by_text("Kricak Kidul").count() == 1
    journey.check(visitor, "sister-public")
    coordinator = journey.person("coordinator")
    _sign_in(coordinator, *COORDINATOR)
    coordinator.goto("/sister/mine")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="2027 · Terban Taman").click()
    pair_url = coordinator.url
    journey.check(coordinator, "sister-pair-plan")
    coordinator.get_by_label("Kegiatan triwulan 1 (Januari–Maret)").fill("Pelatihan bank sampah tiap RW")
    coordinator.get_by_label("Target KK yang dijangkau").fill("120")
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Simpan dan ajukan").click()
    assert coordinator.get_by_text("Rencana diajukan ke petugas kota.").count() == 1
    journey.check(coordinator, "sister-pair-submitted")
    staff.goto(pair_url)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Setujui rencana").click()
    assert staff.get_by_text("Rencana disetujui.").count() == 1
    assert staff.goto("/sister/figures?year=2027").status == 200
    journey.check(staff, "sister-figures")
    summary = journey.summary(time.monotonic() - started)
    (journey.artefacts / "axe-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.foreign_requests(), f"requests left the server: {journey.foreign_requests()}"
    assert not journey.errors, "\n".join(journey.errors)
