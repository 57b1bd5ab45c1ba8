"""The lists' search box and folded filters in a real browser (issue 12, point 5): on a 360-px phone
the search box is on the first screen and the filters wait behind "Saring" (one tap opens them); on a
desktop they are open; a search narrows the list; axe finds nothing serious, nothing scrolls sideways.
Screenshots go to $E2E_ARTIFACTS/lists-<viewport>/."""
import pytest

from gandeng.factory import create_app
from tests.conftest import BASE_CONFIG
from tests.e2e.browser import Journey, artefacts_dir
from tests.e2e.live_server import Server

pytestmark = pytest.mark.slow

STAFF = ("petugas@demo.gandeng.id", "demo-petugas-123")
LISTS = ["/needs", "/offers", "/review", "/collaborations"]
FOLDED = ["/needs", "/offers", "/review"]  # /collaborations has no filters to fold, only status tabs


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """gunicorn on a database made by `flask init-db` and `flask seed-demo`."""
    folder = tmp_path_factory.mktemp("lists")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(folder / "uploads")})
    runner = app.test_cli_runner()
    for command in (["init-db"], ["seed-demo"]):
        done = runner.invoke(args=command)
        assert done.exit_code == 0, done.output
    server = Server(url, folder, workers=1)
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.kill()


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
