"""The report pages in a real browser, on a phone and a desktop, with the demo data's figures: no
serious or critical axe-core violation, no sideways scrolling, tap targets, a table for every chart,
the map drawn (45 kelurahan) from this server only. Screenshots go to
$E2E_ARTIFACTS/reports-<viewport>/ (default test-artifacts/e2e/), the axe figures to its
axe-summary.json."""
import json
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import DEMO_GROUP

pytestmark = [pytest.mark.slow, DEMO_GROUP]  # demo_server: tests/e2e/conftest.py

STAFF = ("petugas@demo.gandeng.id", "demo-petugas-123")
PARTNER = ("mitra@demo.gandeng.id", "demo-mitra-123")
STAFF_PAGES = ["/dashboard", "/dashboard?year=2026&quarter=2", "/dashboard/equity", "/network", "/exports",
               "/reports/monthly", "/partner"]
PARTNER_PAGES = ["/partner"]
PUBLIC_PAGES = ["/public", "/public/collaborations", "/public/data"]
MAP_PAGES = {"/public", "/dashboard/equity"}


def _log_in(page, email, password):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def _visit(journey, page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    if path in MAP_PAGES:
        page.locator("[data-map-data]").first.scroll_into_view_if_needed()  # the map loads when near (lazy.js)
        expect(page.locator(".leaflet-interactive")).to_have_count(45)
        page.locator(".leaflet-interactive").nth(10).click()
        page.locator("[id$=-detail] table").first.wait_for()
    journey.check(page, path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-").replace("=", "") or "home")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_report_pages_are_accessible_and_fit_the_screen(viewport, demo_server, chromium):
    journey = Journey(chromium, demo_server, viewport, artefacts_dir(f"reports-{viewport}"))
    started = time.monotonic()
    visitor = journey.person("visitor")
    for path in PUBLIC_PAGES:
        _visit(journey, visitor, path)
    staff = journey.person("staff")
    _log_in(staff, *STAFF)
    for path in STAFF_PAGES:
        _visit(journey, staff, path)
    partner = journey.person("partner")
    _log_in(partner, *PARTNER)
    for path in PARTNER_PAGES:
        _visit(journey, partner, path)
    summary = journey.summary(time.monotonic() - started)
    (journey.artefacts / "axe-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print({row["path"]: row["violations"] for row in summary["pages"]})
    assert len(summary["pages"]) == len(PUBLIC_PAGES) + len(STAFF_PAGES) + len(PARTNER_PAGES)
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.foreign_requests(), f"requests left the server: {journey.foreign_requests()}"
    assert not journey.errors, "\n".join(journey.errors)


def test_the_public_page_loads_charts_and_map_only_when_the_reader_gets_near(demo_server, chromium):
    """Chart.js, Leaflet and the map's data are not fetched for a phone's first screen (Lighthouse
    performance); scrolling down draws them."""
    journey = Journey(chromium, demo_server, "phone", artefacts_dir("reports-lazy"))
    page = journey.person("visitor")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto("/public")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.Chart === 'undefined' && typeof window.L === 'undefined'")
    assert not [url for url in fetched if "chart.umd" in url or "leaflet" in url or "map.json" in url], fetched
    # The map's figure list says it is not loaded yet (phone walk: it was an empty drop-down).
    figure_select = page.locator("select[id$='-figure']").first
    assert figure_select.is_disabled() and figure_select.locator("option").count() == 1
    # Long tables are folded (a phone reads the chart); printing, even before any chart loaded, opens them.
    folded = page.locator("details[data-print-open]:not([open])")
    assert folded.count() >= 3
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert folded.count() == 0
    page.locator("figure[data-chart]").first.scroll_into_view_if_needed()
    for _ in range(100):  # (wait_for_function evaluates a string: the page's CSP forbids it)
        if page.evaluate("typeof window.Chart !== 'undefined'"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("typeof window.Chart !== 'undefined'")
    page.locator("[data-map-data]").first.scroll_into_view_if_needed()
    expect(page.locator(".leaflet-interactive")).to_have_count(45)
    assert figure_select.is_enabled() and figure_select.locator("option").count() > 1
    assert any("map.json" in url for url in fetched)
    assert not journey.errors, journey.errors
