"""A day on a cheap phone (360×740, touch) for each role (issue 12): the coordinator, the partner and
staff log in and land on their own work; the key items sit within the first screen (bounding boxes);
the partner reads what they agree to (photos, households, reasons without KMS, kampung, next steps)
and gets the coordinator's WhatsApp once agreed; staff approve Rp120.000.000 through a confirm step
that names the amount and the parties, without the page jumping; wide tables stack into cards.

Every page visited goes through tests/e2e/browser.py's checks (axe-core, no sideways scrolling, tap
targets, a table per chart); screenshots in $E2E_ARTIFACTS/phone-day (default
test-artifacts/e2e/phone-day/)."""
import re
import time

import pytest

from gandeng.collaborations import services
from gandeng.db import db
from gandeng.factory import create_app
from gandeng.needs.models import NeedStatus
from tests import factories as f
from tests.conftest import BASE_CONFIG
from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import Server

pytestmark = pytest.mark.slow

SCREEN = 740  # px: the first screen of the phone
QUEUE_OTHERS = 5  # other proposals on /review: three ranked before the Rp120.000.000 one, two after


def wait_until(page, expression: str, seconds: float = 10.0) -> None:
    """Poll `expression` until it is true. (Playwright's wait_for_function polls with eval() inside
    the page once the first check fails, which the page's Content-Security-Policy refuses.)"""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(50)


@pytest.fixture
def day(tmp_path):
    """gunicorn on a fresh database holding one kampung's day: a returned need, a need with a
    Rp120.000.000 proposal, a collaboration awaiting the partner (its need with a photo)."""
    url = f"sqlite:///{tmp_path / 'day.sqlite'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp_path / "uploads")})
    done = app.test_cli_runner().invoke(args=["init-db"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        s = db.session
        kampung = f.make_kampung(s, "Kampung Jetisharjo", "34.71.05.1002")
        org = f.make_organisation(s, "PT Sinar Gendong Sejahtera", verified=True)
        people = {
            "coordinator": f.make_coordinator(s, kampung=kampung, email="siti@jetisharjo.or.id",
                                              name="Bu Siti", phone="0812 2700 1234"),
            "partner": f.make_partner(s, organisation=org, email="csr@sinargendong.co.id", name="Budi Mitra"),
            "staff": f.make_staff(s, email="petugas@jogjakota.go.id", name="Sri Petugas"),
        }
        offer = f.make_offer(s, organisation=org, capacity_rp=500_000_000, title="Dana CSR infrastruktur kampung")
        returned = f.make_need(s, kampung=kampung, status=NeedStatus.RETURNED, title="Sumur bor RT 02")
        returned.status_reason = "Lampirkan foto lokasi sumur."
        big = f.make_need(s, kampung=kampung, title="Talut sungai Code RT 07", cost_rp=120_000_000,
                          category_code="infrastructure")
        f.proposal_for(s, big, offer, 120_000_000, score=0.5,
                       reasons=["kategori sama: Infrastruktur", "urgensi tinggi, 60% KK pemegang KMS"])
        # A queue of several screens with the big one in its middle: approving must not jump.
        elsewhere = f.make_kampung(s, "Kampung Cokrokusuman", "34.71.06.1001")
        for n in range(QUEUE_OTHERS):
            other = f.make_need(s, kampung=elsewhere, title=f"Jamban keluarga RT {n + 1:02d}", cost_rp=4_000_000)
            f.proposal_for(s, other, offer, score=0.9 if n < 3 else 0.3)
        awaiting = f.make_need(s, kampung=kampung, title="Jamban sehat komunal RT 05", households=7,
                               kms_households=5, cost_rp=15_000_000)
        f.make_attachment(s, awaiting, data=f.jpeg_bytes((320, 240)), filename="lokasi.jpg")
        proposal = f.proposal_for(s, awaiting, offer, reasons=["kategori sama: Sanitasi",
                                                               "urgensi tinggi, 71% KK pemegang KMS"])
        services.approve_proposal(s, people["staff"], proposal)
        s.commit()
        emails = {role: user.email for role, user in people.items()}
        s.remove()
        db.engine.dispose()
    server = Server(url, tmp_path, workers=1)
    server.start()
    try:
        yield server, emails
    finally:
        server.kill()


def log_in(journey, who, email):
    page = journey.person(who)
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(f.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    assert page.url == journey.base_url + "/", page.url
    return page


def in_first_screen(page, locator, what):
    """The element is drawn within the first screen (no scrolling needed)."""
    box = locator.bounding_box()
    assert box is not None, f"{what} is not drawn"
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN, f"{what} at y={box['y']:.0f}+{box['height']:.0f}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, f"{what} wider than the phone"


def scroll_y(page) -> float:
    return page.evaluate("window.scrollY")


def coordinator_day(journey, email):
    siti = log_in(journey, "coordinator", email)
    journey.check(siti, "coordinator-home")
    in_first_screen(siti, siti.get_by_role("link", name="Tulis kebutuhan"), "Tulis kebutuhan")
    fix = siti.locator(".home-item").filter(has_text="Sumur bor RT 02")
    in_first_screen(siti, fix, "the returned need")
    assert "Lampirkan foto lokasi sumur." in fix.inner_text()
    in_first_screen(siti, fix.get_by_role("link", name=re.compile("^Perbaiki")), "Perbaiki")
    waiting = siti.locator(".home-item").filter(has_text="Jamban sehat komunal RT 05")
    in_first_screen(siti, waiting, "the need waiting for the partner")
    assert "menunggu mitra menyanggupi" in waiting.inner_text()
    # "Semua N kebutuhan kampung" has the colour of any link of the page, not a pale grey.
    colours = siti.evaluate("""() => {
      const probe = document.createElement('a'); probe.href = '/'; probe.textContent = 'x';
      document.querySelector('main').appendChild(probe);
      const plain = getComputedStyle(probe).color; probe.remove();
      return [getComputedStyle(document.querySelector('.home-all')).color, plain]; }""")
    assert colours[0] == colours[1], colours


def partner_day(journey, email):
    budi = log_in(journey, "partner", email)
    journey.check(budi, "partner-home")
    in_first_screen(budi, budi.get_by_role("link", name="Tawarkan bantuan"), "Tawarkan bantuan")
    count = budi.get_by_role("link", name=re.compile("^Kerja sama untuk disanggupi"))
    in_first_screen(budi, count, "the count of collaborations to agree to")
    assert count.locator(".home-count").inner_text().strip() == "1"
    for name in ("Laporan kemajuan yang ditunggu", "Kebutuhan yang cocok dengan penawaran aktif Anda"):
        in_first_screen(budi, budi.get_by_role("link", name=re.compile("^" + name)), name)
    with budi.expect_navigation():
        count.click()  # one collaboration: the count opens it
    budi.get_by_role("img", name="Foto kebutuhan 1").wait_for()
    journey.check(budi, "partner-collaboration-to-agree")
    brief = budi.locator(".collab-brief")
    text = brief.inner_text()
    assert "7 KK" in text and "Kampung Jetisharjo" in text and "kategori sama: Sanitasi" in text
    assert "Apa yang terjadi selanjutnya" in text
    assert "KMS" not in budi.locator("main").inner_text() and "71%" not in text
    assert budi.locator("a[href^='https://wa.me/']").count() == 0  # not before agreeing
    agree = budi.get_by_role("button", name="Sanggupi kerja sama ini")
    in_first_screen(budi, agree, "Sanggupi kerja sama ini")  # the action comes before the reports
    with budi.expect_navigation():
        agree.click()
    whatsapp = budi.get_by_role("link", name=re.compile("WhatsApp koordinator kampung"))
    whatsapp.wait_for()
    assert whatsapp.get_attribute("href") == "https://wa.me/6281227001234"
    journey.check(budi, "partner-collaboration-agreed")
    # The partner's report: its collaboration table stacks into cards, the Status always visible.
    budi.goto("/partner")
    journey.check(budi, "partner-report")
    status = budi.locator("table.partner-collaborations td[data-label='Status']").first
    in_first_screen_width(status, "the Status of a collaboration")


def in_first_screen_width(locator, what):
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, f"{what}: {box}"


TEXT_BOX = """el => { const r = document.createRange(); r.selectNodeContents(el);
  const t = r.getBoundingClientRect(); return {x: t.left, width: t.width}; }"""


def inside(locator, container, what):
    """The element's text is drawn within its container (nothing runs past the border)."""
    box, outer = locator.evaluate(TEXT_BOX), container.bounding_box()
    assert outer and box["x"] >= outer["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"], (
        f"{what} runs out of its box: {box} in {outer}")


LABEL_GAPS = """el => { const r = document.createRange(); r.selectNodeContents(el);
  const text = r.getBoundingClientRect(), box = el.getBoundingClientRect();
  return [text.top - box.top, box.bottom - text.bottom]; }"""

SELECTED_TEXT_FITS = """sel => { const el = document.querySelector(sel), st = getComputedStyle(el);
  const ctx = document.createElement('canvas').getContext('2d'); ctx.font = st.font;
  const room = el.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
  return ctx.measureText(el.options[el.selectedIndex].text).width <= room; }"""


def label_in_the_middle(locator, what):
    """A button's label is vertically centred in its (tall, tappable) box."""
    top, bottom = locator.evaluate(LABEL_GAPS)
    assert abs(top - bottom) <= 2, f"{what}: {top:.1f} px above the label, {bottom:.1f} px below"


def staff_day(journey, email):
    sri = log_in(journey, "staff", email)
    journey.check(sri, "staff-home")
    queues = sri.locator(".home-counts a")
    assert queues.count() == 6
    for i in range(queues.count()):
        in_first_screen(sri, queues.nth(i), queues.nth(i).inner_text())
    decide = sri.locator("[data-queue=proposals]")
    assert decide.locator(".home-count").inner_text().strip() == str(QUEUE_OTHERS + 1)
    with sri.expect_navigation():
        decide.click()
    journey.check(sri, "review")
    card = sri.locator("article").filter(has=sri.get_by_role("heading", name="Talut sungai Code RT 07"))
    approve = card.get_by_role("link", name="Setujui Rp120.000.000")
    approve.scroll_into_view_if_needed()
    before = scroll_y(sri)
    approve.click()
    confirm = card.locator(".approve-confirm")
    confirm.wait_for()
    text = confirm.inner_text()
    assert "Rp120.000.000" in text and "PT Sinar Gendong Sejahtera" in text
    assert "Talut sungai Code RT 07" in text and "Kampung Jetisharjo" in text
    assert sri.url.endswith("/review"), "the confirm step opens in place"
    # htmx moves the focus after its settle delay: wait for it rather than race it. Focus may scroll
    # the page down to show the step; it never jumps back up (to the top of a long queue).
    wait_until(sri, "document.activeElement && document.activeElement.classList.contains('approve-confirm')")
    assert scroll_y(sri) >= before - 2, f"the page moved up from {before} to {scroll_y(sri)}"
    top = confirm.bounding_box()
    assert top is not None and 0 <= top["y"] < SCREEN, "the confirm step is in view"
    yes = confirm.get_by_role("button", name="Ya, setujui Rp120.000.000")
    yes.scroll_into_view_if_needed()
    journey.check(sri, "review-confirm")
    # Review walk: "Rp120.000.000" ran past the confirm card's border.
    inside(confirm.locator(".approve-amount"), confirm, "the amount in the confirm step")
    before = scroll_y(sri)
    yes.click()
    decided = card.locator(".proposal-decided")
    decided.wait_for()
    wait_until(sri, "document.activeElement && document.activeElement.classList.contains('proposal-decided')")
    assert "Disetujui:" in decided.inner_text() and "Rp120.000.000" in decided.inner_text()
    assert card.locator("dd[id^=sisa-]").inner_text().strip() == "Rp0", "the need's Sisa follows"
    after = scroll_y(sri)
    # The card shrinks in place: the page stays where it was (never back to the top of the queue);
    # it moves less than a screen, as far as bringing the result (focused) into view needs.
    assert before > 3 * SCREEN and abs(after - before) < SCREEN, f"the page jumped from {before} to {after}"
    box = decided.bounding_box()
    assert box is not None and -2 <= box["y"] < SCREEN, f"the decided card stays in view: {box}"
    journey.check(sri, "review-decided")
    sri.goto("/dashboard")
    journey.check(sri, "dashboard")
    # Review walk: labels of small buttons sat at the top edge; the quarter box read "Setahun penu…".
    sri.goto("/audit")
    for name in ("Unduh CSV", "Kotak keluar email"):
        label_in_the_middle(sri.get_by_role("link", name=name), name)
    sri.goto("/dashboard/equity")
    for select in ("#equity-year", "#equity-quarter"):
        assert sri.evaluate(SELECTED_TEXT_FITS, select), f"{select}: the chosen option is cut off"


def visitor_day(journey):
    """A visitor keeps the public brochure; the transparency page's figures and charts fit the phone."""
    visitor = journey.person("visitor")
    visitor.goto("/")
    journey.check(visitor, "visitor-home")
    in_first_screen(visitor, visitor.get_by_role("link", name="Daftar sebagai koordinator atau mitra"), "Daftar")
    helped = visitor.locator(".home-reached-kampung")
    assert helped.inner_text().strip() == "1"  # the collaboration the partner agreed to today
    visitor.goto("/public")
    journey.check(visitor, "public")
    figures = visitor.locator(".public-figure")
    for i in range(figures.count()):
        in_first_screen_width(figures.nth(i), f"figure {i + 1} of /public")


def test_each_role_spends_a_day_on_a_phone(day, chromium):
    server, emails = day
    journey = Journey(chromium, f"http://127.0.0.1:{server.port}", "phone", artefacts_dir("phone-day"))
    journey.viewport = "phone-day"  # its own key in the combined axe-summary.json (the phone options stay)
    started = time.monotonic()
    try:
        coordinator_day(journey, emails["coordinator"])
        partner_day(journey, emails["partner"])
        staff_day(journey, emails["staff"])
        visitor_day(journey)
    finally:
        journey.write_summary(time.monotonic() - started)
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.foreign_requests(), f"requests left the server: {journey.foreign_requests()}"
    assert not journey.errors, "\n".join(journey.errors)
    assert all(sum(row["violations"].values()) == 0 for row in journey.pages), [
        (row["path"], row["rules"]) for row in journey.pages if row["rules"]]
