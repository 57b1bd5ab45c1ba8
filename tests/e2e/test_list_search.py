"""The lists' search box and folded filters in a real browser (issue 12, point 5): on a 360-px phone
the search box is on the first screen and the filters wait behind "Saring" (one tap opens them); on a
desktop they are open; a search narrows the list; axe finds nothing serious, nothing scrolls sideways.
Screenshots go to $E2E_ARTIFACTS/lists-<viewport>/."""
import pytest

from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import DEMO_GROUP

pytestmark = [pytest.mark.slow, DEMO_GROUP]  # demo_server: tests/e2e/conftest.py

STAFF = ("petugas@demo.gandeng.id", "demo-petugas-123")
LISTS = ["/needs", "/offers", "/review", "/collaborations"]
FOLDED = ["/needs", "/offers", "/review"]  # /collaborations has no filters to fold, only status tabs


def _log_in(page, email, password):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_search_box_first_filters_behind_saring_on_a_phone(viewport, demo_server, chromium):
    journey = Journey(chromium, demo_server, viewport, artefacts_dir(f"lists-{viewport}"))
    staff = journey.person("staff")
    _log_in(staff, *STAFF)
    for path in LISTS:
        staff.goto(path)
        box = staff.locator("input[name=q]").bounding_box()
        assert box and box["y"] + box["height"] <= 740, f"{path}: search box below the first screen: {box}"
        if path in FOLDED:
            details = staff.locator("details.list-filters")
            first_filter = details.locator("select").first
            if journey.is_phone:
                assert not details.evaluate("d => d.open") and not first_filter.is_visible(), path
                journey.check(staff, f"{path.strip('/')}-folded")
                details.locator("summary").click()
                assert first_filter.is_visible(), f"{path}: one tap on Saring shows the filters"
            else:
                assert details.evaluate("d => d.open") and first_filter.is_visible(), path
        journey.check(staff, path.strip("/"))

    staff.goto("/needs")
    title = staff.locator(".need-title, article h2 a, .card-title a").first.inner_text().strip()
    word = max(title.split(), key=len)
    staff.locator("input[name=q]").fill(word[1:-1])  # part of a word, as typed on a phone
    with staff.expect_navigation():
        staff.locator("input[name=q]").press("Enter")
    assert f"q={word[1:-1]}" in staff.url
    assert title in staff.content()
    journey.check(staff, "needs-search")
    assert not journey.problems, "\n".join(journey.problems)
    assert not journey.errors, "\n".join(journey.errors)
