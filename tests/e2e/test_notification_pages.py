"""The pages of issue 14 in a real browser, on a phone and a desktop: the forgotten-password page, the
profile with its notification choices, the staff's outbox, a need page with its delivery status. No serious
or critical axe-core violation, no sideways scrolling, tap targets (tests/e2e/browser.py's checks)."""
import json
import time

import pytest

from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import DEMO_GROUP

pytestmark = [pytest.mark.slow, DEMO_GROUP]  # demo_server: tests/e2e/conftest.py

STAFF = ("petugas@demo.gandeng.id", "demo-petugas-123")
# Issue 19 rides along (no extra server): the privacy notice, the request form, the incident page.
VISITOR_PAGES = ["/password/forgot", "/privasi", "/privasi/permintaan"]
STAFF_PAGES = ["/profile", "/outbox", "/outbox?state=queued&channel=email", "/needs/1", "/privasi/insiden"]


def _log_in(page, email, password):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_notification_pages_are_accessible_and_fit_the_screen(viewport, demo_server, chromium):
    journey = Journey(chromium, demo_server, viewport, artefacts_dir(f"notifications-{viewport}"))
    started = time.monotonic()
    visitor = journey.person("visitor")
    for path in VISITOR_PAGES:
        assert visitor.goto(path).status == 200
        journey.check(visitor, path.strip("/").replace("/", "-"))
    staff = journey.person("staff")
    _log_in(staff, *STAFF)
    for path in STAFF_PAGES:
        assert staff.goto(path).status == 200, path
        journey.check(staff, path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-").replace("=", ""))
    summary = journey.summary(time.monotonic() - started)
    (journey.artefacts / "axe-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    assert len(summary["pages"]) == len(VISITOR_PAGES) + len(STAFF_PAGES)
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.foreign_requests(), f"requests left the server: {journey.foreign_requests()}"
    assert not journey.errors, "\n".join(journey.errors)
