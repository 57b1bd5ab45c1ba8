"""Browser helpers for the journey tests: Debian's Chromium driven by Playwright (no downloaded
browser), one browser context per person, and a check of every page the journey visits — axe-core,
no sideways scrolling, tap targets, a table for every chart — with a screenshot of each step and
a record of every request (none may leave the server)."""
import fcntl
import json
import os
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = "Chromium not found at /usr/bin/chromium: apt-get install chromium (CI installs it)"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORTS = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}
CONTEXT_OPTIONS = {"locale": "id-ID", "timezone_id": "Asia/Jakarta"}
BLOCKING_IMPACTS = ("serious", "critical")
IMPACTS = ("minor", "moderate", "serious", "critical")
MIN_TARGET_PX = 24  # WCAG 2.2, 2.5.8 Target Size (Minimum)
TIMEOUT_MS = 20_000  # any single wait; the journey as a whole takes well under a minute


def chromium_path() -> str:
    """/usr/bin/chromium, or skip (fail under CI=true, where .ci/run installs it)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(MISSING_CHROMIUM)
    pytest.skip(MISSING_CHROMIUM)


def artefacts_dir(viewport: str) -> Path:
    """$E2E_ARTIFACTS/<viewport> or test-artifacts/e2e/<viewport>, emptied for this run."""
    base = Path(os.environ.get("E2E_ARTIFACTS") or ROOT / "test-artifacts" / "e2e")
    folder = base / viewport
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# Buttons and links inside <main> with their size in CSS px. Exempt, as WCAG 2.5.8 allows:
# "inline" links — inside a paragraph, or an inline link sharing its line box with other text of
# its parent (a title followed by "· organisation") — and the shapes of a Leaflet map, whose every
# figure is also in the table on the same page ("equivalent"). A link wrapping an image measures
# as the image (the box of the element and everything inside it).
TAP_TARGETS_JS = """
() => {
  const main = document.querySelector('main');
  if (!main) return [];
  const selector = 'a[href], button, input[type=submit], input[type=button], input[type=reset], summary, [role=button]';
  const words = (node) => (node.textContent || '').replace(/\\s+/g, ' ').trim();
  const inline = (el) => {
    if (el.tagName !== 'A') return false;
    if (el.closest('p')) return true;
    return getComputedStyle(el).display === 'inline' && words(el).length > 0
      && words(el.parentElement).length > words(el).length;
  };
  const out = [];
  for (const el of main.querySelectorAll(selector)) {
    if (el.closest('.leaflet-container') || inline(el)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let [left, top, right, bottom] = [box.left, box.top, box.right, box.bottom];
    for (const inner of el.querySelectorAll('*')) {
      const b = inner.getBoundingClientRect();
      if (b.width === 0 || b.height === 0) continue;
      left = Math.min(left, b.left); top = Math.min(top, b.top);
      right = Math.max(right, b.right); bottom = Math.max(bottom, b.bottom);
    }
    const name = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
    out.push({tag: el.tagName.toLowerCase(), name: name.slice(0, 50),
              width: Math.round((right - left) * 10) / 10, height: Math.round((bottom - top) * 10) / 10});
  }
  return out;
}
"""


class Journey:
    """One run of the journey at one viewport: the people's browser contexts, the checks of every
    page visited, the requests made, and the figures for axe-summary.json."""

    def __init__(self, browser, base_url: str, viewport: str, artefacts: Path):
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.viewport = viewport
        self.options = {**VIEWPORTS[viewport], **CONTEXT_OPTIONS}
        self.width = self.options["viewport"]["width"]
        self.artefacts = artefacts
        self.step = 0
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.errors: list[str] = []
        self.pages: list[dict] = []
        self.smallest_target: dict | None = None
        self.first_load: dict | None = None
        self.started = time.monotonic()

    @property
    def is_phone(self) -> bool:
        return self.viewport == "phone"

    def person(self, who: str):
        """A fresh browser context (its own cookies and an empty cache) and page for one person."""
        context = self.browser.new_context(base_url=self.base_url, **self.options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", lambda request: self.requests.append(request.url))
        page = context.new_page()
        # A listener from the start keeps Playwright intercepting file choosers: one added only
        # when a chooser is expected may come after the key press that opens it.
        page.on("filechooser", lambda chooser: None)
        page.on("pageerror", lambda error: self.errors.append(f"{who}: {error}"))
        page.on("console", lambda message: message.type == "error"
                and self.errors.append(f"{who} console on {page.url}: {message.text}"))
        return page

    # --- the checks of each page ------------------------------------------------------------------

    def check(self, page, step: str) -> dict:
        """Screenshot, axe, sideways scrolling, tap targets and chart tables of the page as it is."""
        from axe_playwright_python.sync_playwright import Axe

        page.wait_for_load_state("load")
        lazy = page.locator("figure[data-chart], [data-map-data]")
        if lazy.count():
            # Charts and the map load when they come near the screen (static/js/lazy.js), then draw
            # from fetched data: bring each near once so the screenshot shows them drawn.
            for i in range(lazy.count()):
                lazy.nth(i).scroll_into_view_if_needed()
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_load_state("networkidle")
        began = time.monotonic()
        self.step += 1
        name = f"{self.step:02d}-{step}"
        page.screenshot(path=str(self.artefacts / f"{name}.png"), full_page=True)
        path = page.url.removeprefix(self.base_url)

        violations = Axe().run(page).response["violations"]
        rules = Counter(v["impact"] or "unknown" for v in violations)
        nodes = Counter()
        for v in violations:
            nodes[v["impact"] or "unknown"] += len(v["nodes"])
        for v in violations:
            if v["impact"] in BLOCKING_IMPACTS:
                targets = "; ".join(", ".join(map(str, n["target"])) + " → " + n["html"][:160] for n in v["nodes"])
                self.problems.append(f"[{name} {path}] axe {v['impact']} {v['id']}: {v['help']} — {targets}")

        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > min(widths[1], self.width):
            self.problems.append(f"[{name} {path}] scrolls sideways: scrollWidth {widths[0]} > {self.width} px")

        targets = page.evaluate(TAP_TARGETS_JS)
        small = [t for t in targets if min(t["width"], t["height"]) < MIN_TARGET_PX]
        for t in small:
            self.problems.append(f"[{name} {path}] tap target {t['width']}×{t['height']} px < {MIN_TARGET_PX}: "
                                 f"<{t['tag']}> {t['name']!r}")
        page_smallest = min(targets, key=lambda t: min(t["width"], t["height"]), default=None)
        if page_smallest and (self.smallest_target is None
                              or min(page_smallest["width"], page_smallest["height"])
                              < min(self.smallest_target["width"], self.smallest_target["height"])):
            self.smallest_target = {**page_smallest, "page": path, "step": name}

        charts = page.locator("figure[data-chart]")
        for i in range(charts.count()):
            if charts.nth(i).locator("table").count() == 0:
                chart_id = charts.nth(i).get_attribute("id") or i
                self.problems.append(f"[{name} {path}] chart {chart_id} has no table")

        row = {
            "step": name, "path": path, "at_s": round(time.monotonic() - self.started, 1),
            "violations": {impact: rules.get(impact, 0) for impact in IMPACTS},
            "nodes": {impact: nodes.get(impact, 0) for impact in IMPACTS},
            "rules": sorted(f"{v['id']} ({v['impact']})" for v in violations),
            "scroll_width": widths[0], "charts": charts.count(),
            "smallest_target_px": (round(min(page_smallest["width"], page_smallest["height"]), 1)
                                   if page_smallest else None),
        }
        row["check_s"] = round(time.monotonic() - began, 2)
        self.pages.append(row)
        return row

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the server (data: and blob: URLs stay in the browser)."""
        return [url for url in self.requests
                if not (url.startswith(self.base_url + "/") or url == self.base_url
                        or url.startswith("data:") or url.startswith("blob:"))]

    # --- the first load of a page with an empty cache -----------------------------------------------

    def first_load_of(self, page, path: str) -> dict:
        """Load `path` in a context that has fetched nothing yet; bytes over the wire (CDP
        encodedDataLength: headers and bodies as sent) and decoded body bytes, per response."""
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        wire: dict[str, int] = {}
        urls: dict[str, str] = {}
        bodies: dict[str, int] = {}
        cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], e["encodedDataLength"]))

        def keep_body(response):
            try:
                bodies[response.url] = len(response.body())
            except Exception:  # a response without a body (redirect) counts 0
                bodies[response.url] = 0

        page.on("response", keep_body)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", keep_body)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.detach()
        per_url = {urls.get(rid, rid).removeprefix(self.base_url): size for rid, size in wire.items()}
        self.first_load = {
            "path": path,
            "transferred_bytes": sum(wire.values()),
            "decoded_body_bytes": sum(bodies.values()),
            "responses": per_url,
        }
        return self.first_load

    # --- the summary ------------------------------------------------------------------------------

    def summary(self, seconds: float) -> dict:
        totals = Counter()
        for row in self.pages:
            totals.update(row["violations"])
        return {
            "viewport": self.viewport,
            "axe_core": "4.12.1",
            "seconds": round(seconds, 1),
            "pages_checked": len(self.pages),
            "violations_by_impact": {impact: totals.get(impact, 0) for impact in IMPACTS},
            "first_load": self.first_load,
            "smallest_tap_target": self.smallest_target,
            "requests": len(self.requests),
            "pages": self.pages,
        }

    def write_summary(self, seconds: float) -> dict:
        """<artefacts>/<viewport>/axe-summary.json, the same under its viewport's key in
        <artefacts>/axe-summary.json (the two journeys may run in two xdist workers: a lock), and
        the figures printed."""
        summary = {**self.summary(seconds), "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        (self.artefacts / "axe-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
        combined = self.artefacts.parent / "axe-summary.json"
        with open(self.artefacts.parent / ".axe-summary.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                every = json.loads(combined.read_text()) if combined.is_file() else {}
            except ValueError:
                every = {}
            every[self.viewport] = summary
            draft = combined.with_suffix(".json.tmp")
            draft.write_text(json.dumps(every, indent=2, ensure_ascii=False))
            os.replace(draft, combined)
        print(format_summary(summary))
        return summary


def format_summary(summary: dict) -> str:
    """The figures as lines for the test output."""
    lines = [f"== journey {summary['viewport']}: {summary['pages_checked']} pages in {summary['seconds']} s; "
             f"axe violations by impact {summary['violations_by_impact']}"]
    for row in summary["pages"]:
        counts = " ".join(f"{k}={v}" for k, v in row["violations"].items() if v) or "none"
        lines.append(f"  {row['step']:<34} {row['path']:<28} axe: {counts}"
                     f"{' ' + ', '.join(row['rules']) if row['rules'] else ''}"
                     f"; smallest target {row['smallest_target_px']} px")
    load = summary["first_load"]
    if load:
        lines.append(f"  first load of {load['path']}: {load['transferred_bytes']} bytes transferred, "
                     f"{load['decoded_body_bytes']} bytes decoded")
    target = summary["smallest_tap_target"]
    if target:
        lines.append(f"  smallest tap target: {target['width']}×{target['height']} px <{target['tag']}> "
                     f"{target['name']!r} on {target['page']}")
    return "\n".join(lines)


# --- moving around like a person ------------------------------------------------------------------

def go_by_menu(journey: Journey, page, name) -> None:
    """Follow a link of the top navigation; on the phone, open the collapsed menu first."""
    nav = page.get_by_role("navigation").first
    toggle = nav.get_by_role("button", name="Menu")
    if journey.is_phone:
        assert toggle.is_visible(), "the phone shows the menu button"
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        page.locator("#menu.show").wait_for()
    pattern = name if isinstance(name, re.Pattern) else re.compile(rf"^{re.escape(name)}")
    link = nav.get_by_role("link", name=pattern)
    if link.count() == 0:
        # Inside a closed menu of the bar (Laporan, Administrasi): open that menu first, as a person would.
        holder = nav.locator("li.dropdown").filter(has=page.locator("a.dropdown-item", has_text=pattern))
        holder.locator("a.dropdown-toggle").first.click()
        link.first.wait_for(state="visible")
    with page.expect_navigation():
        link.first.click()


def focused(page) -> str:
    """The focused element as id, or tag and text."""
    return page.evaluate("""() => { const el = document.activeElement;
      if (!el || el === document.body) return 'body';
      if (el.id) return '#' + el.id;
      return el.tagName.toLowerCase() + ':' + (el.innerText || el.value || '').trim().slice(0, 40); }""")


def tab_to(page, target: str, most: int = 40) -> list[str]:
    """Press Tab until `target` ('#id' or 'tag:text') has focus; returns the focus path."""
    path = [focused(page)]
    for _ in range(most):
        page.keyboard.press("Tab")
        path.append(focused(page))
        if path[-1] == target:
            return path
    raise AssertionError(f"Tab never reached {target}: {' → '.join(path)}")


def tab_once(page, expected: str) -> None:
    """One Tab moves the focus to `expected`."""
    before = focused(page)
    page.keyboard.press("Tab")
    now = focused(page)
    assert now == expected, f"Tab from {before} went to {now}, expected {expected}"
