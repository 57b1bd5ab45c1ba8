"""Static CSS/JS go gzipped to browsers that accept it (the phone's first load budget); pages never."""
import gzip
from pathlib import Path

from tests.conftest import sqlite_only

SQLITE_ONLY = sqlite_only("static files and response compression: no database involved")

CSS = "/static/vendor/bootstrap-5.3.9/bootstrap.min.css"
ROOT = Path(__file__).resolve().parents[2]


@SQLITE_ONLY
def test_static_css_is_gzipped_for_a_browser_that_accepts_it(client):
    response = client.get(CSS, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    original = (ROOT / "static/vendor/bootstrap-5.3.9/bootstrap.min.css").read_bytes()
    assert gzip.decompress(response.data) == original
    assert int(response.headers["Content-Length"]) == len(response.data) < len(original) / 4


@SQLITE_ONLY
def test_static_file_is_sent_as_it_is_without_accept_encoding(client):
    with client.get(CSS) as response:  # closes the file the static view opened
        assert "Content-Encoding" not in response.headers
        assert response.data == (ROOT / "static/vendor/bootstrap-5.3.9/bootstrap.min.css").read_bytes()


@SQLITE_ONLY
def test_gzipped_static_file_answers_304_to_its_etag(client):
    first = client.get(CSS, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert etag.startswith("W/")
    with client.get(CSS, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}) as again:
        assert again.status_code == 304


@SQLITE_ONLY
def test_pages_are_never_gzipped(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"name=\"password\"" in response.data


@SQLITE_ONLY
def test_a_range_request_gets_the_plain_bytes_it_asked_for(client):
    with client.get(CSS, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"}) as response:
        assert response.status_code == 206
        assert "Content-Encoding" not in response.headers
        assert response.data == (ROOT / "static/vendor/bootstrap-5.3.9/bootstrap.min.css").read_bytes()[:10]
