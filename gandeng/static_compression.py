"""Gzip for the static CSS, JavaScript, SVG and JSON files when the browser accepts it: a phone's
first visit fetches Bootstrap (313 KB) as 55 KB. Pages are never compressed here: they carry CSRF
tokens next to text the user typed, which compression would expose to a BREACH-style attack."""
import gzip
import os
from functools import lru_cache

from flask import request
from werkzeug.security import safe_join

COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json",
                "application/geo+json"}
MIN_BYTES = 1024  # below this gzip saves less than the header costs


@lru_cache(maxsize=128)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """The gzip of one file version (the key holds its mtime and size: a changed file is redone)."""
    with open(path, "rb") as handle:
        return gzip.compress(handle.read(), compresslevel=6, mtime=0)


def register_static_gzip(app) -> None:
    """Compress the app's static files in an after-request hook (a proxy in front may do it instead)."""

    @app.after_request
    def gzip_static(response):
        if (request.endpoint != "static" or response.status_code != 200 or request.method not in ("GET", "HEAD")
                or response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers
                or not request.accept_encodings["gzip"]):
            return response
        path = safe_join(app.static_folder, (request.view_args or {}).get("filename", ""))
        if path is None or not os.path.isfile(path):
            return response
        stat = os.stat(path)
        response.vary.add("Accept-Encoding")
        if stat.st_size < MIN_BYTES:
            return response
        body = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        etag, _ = response.get_etag()
        response.close()  # the file the static view opened
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        if etag:
            # Weak: the same content in another encoding; If-None-Match still answers 304.
            response.set_etag(etag, weak=True)
        return response
