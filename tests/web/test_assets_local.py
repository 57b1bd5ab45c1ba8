"""Pages load their styles, scripts and images from this server only (the city may run offline)."""
import re

import pytest

from tests.conftest import login, sqlite_only
from tests.factories import make_coordinator, make_need, make_staff

SQLITE_ONLY = sqlite_only("the asset links of rendered pages and the static files: templates, no SQL")

ASSET = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.I)


def _external_assets(html: str) -> list[str]:
    return [url for url in ASSET.findall(html) if not url.startswith("/")]


@pytest.mark.parametrize("path", ["/", "/needs", "/offers", "/login", "/register"])
@SQLITE_ONLY
def test_public_pages_use_only_local_assets(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert ASSET.findall(response.text), "the page should load at least the vendored Bootstrap"
    assert _external_assets(response.text) == []


@SQLITE_ONLY
def test_signed_in_pages_use_only_local_assets(client, session):
    coordinator = make_coordinator(session)
    need = make_need(session, kampung=coordinator.kampung)
    make_staff(session)
    session.commit()
    login(client, coordinator)
    for path in ("/needs/new", f"/needs/{need.id}", f"/needs/{need.id}/edit"):
        response = client.get(path)
        assert _external_assets(response.text) == [], path


@SQLITE_ONLY
def test_vendored_files_are_served(client):
    for path in ("/static/vendor/bootstrap-5.3.9/bootstrap.min.css",
                 "/static/vendor/bootstrap-5.3.9/bootstrap.bundle.min.js", "/static/css/app.css"):
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert len(response.get_data()) > 100, path
