"""A cache for the public figures and pages, keyed by the figures' version (public_version).

A copy is reused only while the version in the database is the one it was built at, and at most
PUBLIC_CACHE_SECONDS (a safety net for writes made outside the application). Copies live in this
process, and rendered bodies also in Redis when REDIS_URL is set, so four workers build a page once.
Redis is asked with short timeouts; when it fails the page is built here (never an error), and
Redis is left alone for a while.

`public_response` serves such a body with `ETag`, `Last-Modified` and `Cache-Control: public,
max-age=60`, answering 304 to a browser or reverse proxy that already holds it. Only for content
that is the same for every visitor: no personal data, no session, no CSRF token. Since browsers
and proxies may keep such a body 60 s anyway, these responses read the version from the database
at most once per PUBLIC_VERSION_CHECK_SECONDS (default 1 s) in each process, and at once after a
write committed by the same process: a cached page then costs no database round trip at all.
Signed-in users' pages (`cached_value`) read the version on every request.
"""
import gzip
import hashlib
import logging
import threading
import time
from collections import OrderedDict

from flask import Response, after_this_request, current_app, request, session

from gandeng.reports.public_version import Stamp, current_stamp, local_bumps

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 120  # the safety net when PUBLIC_CACHE_SECONDS is not set
DEFAULT_CHECK_SECONDS = 1.0  # PUBLIC_VERSION_CHECK_SECONDS: how stale a public body may be, at most
MAX_AGE = 60  # what browsers and proxies may reuse without asking
MEMORY_ENTRIES = 64
GZIP_MIN_BYTES = 1024  # smaller bodies gain less than the header costs
REDIS_TIMEOUT_S = 0.1
REDIS_PAUSE_S = 30  # after a Redis failure, build locally for this long before trying again
REDIS_PREFIX = "gandeng:public:"


class PublicCache:
    """Values by (key, version stamp) in this process, the oldest dropped past MEMORY_ENTRIES;
    bodies (bytes) also in Redis when a URL is given."""

    def __init__(self, seconds: int, redis_url: str | None = None, check_seconds: float = DEFAULT_CHECK_SECONDS,
                 entries: int = MEMORY_ENTRIES):
        self.seconds = seconds
        self.entries = entries
        self.check_seconds = check_seconds
        self._stamp: tuple[float, int, Stamp] | None = None  # (read at, local bumps then, stamp)
        self.redis_url = redis_url
        self._redis = None
        self._redis_paused_until = 0.0
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, object]] = OrderedDict()

    def get_or_build(self, key: str, stamp: Stamp, build, shared: bool = False):
        """The value of `key` at `stamp`, built by `build()` when no fresh copy is held.
        `shared`: the value is bytes and may be kept in Redis for the other workers."""
        full = f"{key}@{stamp.token}"
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(full)
            if found is not None and found[0] > now:
                self._entries.move_to_end(full)
                return found[1]
        value = self._redis_get(full) if shared else None
        if value is None:
            value = build()
            if shared:
                self._redis_set(full, value)
        with self._lock:
            self._entries[full] = (now + self.seconds, value)
            self._entries.move_to_end(full)
            while len(self._entries) > self.entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._stamp = None

    def recent_stamp(self, session) -> Stamp:
        """The version, read again when the copy is older than check_seconds or this process
        committed a bump since."""
        held, now = self._stamp, time.monotonic()
        if held is not None and now - held[0] < self.check_seconds and held[1] == local_bumps():
            return held[2]
        bumps = local_bumps()
        stamp = current_stamp(session)
        self._stamp = (now, bumps, stamp)
        return stamp

    # --- Redis: never a reason to fail a page ------------------------------------------------

    def _client(self):
        if not self.redis_url or time.monotonic() < self._redis_paused_until:
            return None
        if self._redis is None:
            from redis import Redis

            self._redis = Redis.from_url(self.redis_url, socket_timeout=REDIS_TIMEOUT_S,
                                         socket_connect_timeout=REDIS_TIMEOUT_S)
        return self._redis

    def _redis_failed(self, error) -> None:
        log.warning("public cache: Redis unavailable (%s); building pages locally for %d s",
                    type(error).__name__, REDIS_PAUSE_S)
        self._redis_paused_until = time.monotonic() + REDIS_PAUSE_S

    def _redis_get(self, key: str):
        client = self._client()
        if client is None:
            return None
        try:
            return client.get(REDIS_PREFIX + key)
        except Exception as error:  # noqa: BLE001 — any Redis trouble: build the page here
            self._redis_failed(error)
            return None

    def _redis_set(self, key: str, value: bytes) -> None:
        client = self._client()
        if client is None:
            return
        try:
            client.set(REDIS_PREFIX + key, value, ex=self.seconds)
        except Exception as error:  # noqa: BLE001
            self._redis_failed(error)


def public_cache() -> PublicCache:
    """This app's cache (one per app: tests build many apps on many databases in one process)."""
    cache = current_app.extensions.get("public_cache")
    if cache is None:
        config = current_app.config
        cache = PublicCache(int(config.get("PUBLIC_CACHE_SECONDS") or DEFAULT_SECONDS), config.get("REDIS_URL"),
                            float(config.get("PUBLIC_VERSION_CHECK_SECONDS", DEFAULT_CHECK_SECONDS)))
        current_app.extensions["public_cache"] = cache
    return cache


def cached_value(key: str, build, session):
    """A value (any Python object) computed from the public figures, reused until they change."""
    return public_cache().get_or_build(key, current_stamp(session), build)


def _pack(body: bytes) -> bytes:
    return hashlib.sha256(body).hexdigest()[:32].encode() + b"\n" + body


def public_response(key: str, build_body, mimetype: str, session, headers: dict | None = None) -> Response:
    """A response with the body `build_body()` returns (str or bytes) for the current figures'
    version, cached under `key` (which must name everything the body depends on, the language
    too), with an ETag, Last-Modified and `Cache-Control: public, max-age=60`; 304 when the
    request's If-None-Match / If-Modified-Since shows the client holds it."""
    cache = public_cache()
    stamp = cache.recent_stamp(session)

    def build() -> bytes:
        body = build_body()
        return _pack(body.encode() if isinstance(body, str) else body)

    packed = cache.get_or_build(key, stamp, build, shared=True)
    etag, _, body = packed.partition(b"\n")
    # Compressed once per version for clients that accept it (a phone on a weak signal gets /public
    # as ~9 KB instead of ~50 KB). Safe from BREACH-style attacks: these bodies hold no secret.
    zipped = len(body) >= GZIP_MIN_BYTES and request.accept_encodings["gzip"] > 0
    if zipped:
        plain = body
        body = cache.get_or_build(f"{key}|gzip", stamp, lambda: gzip.compress(plain, 6, mtime=0), shared=True)
    response = Response(body, mimetype=mimetype, headers=headers)
    if zipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(etag.decode() + ("-gz" if zipped else ""))
    if stamp.changed_at is not None:
        response.last_modified = stamp.changed_at
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    after_this_request(_private_if_session_written)
    return response.make_conditional(request)


def _private_if_session_written(response):
    # A response that sets a cookie must never be kept by a shared cache: it would hand one
    # visitor's session to the next. The session cookie is written after this runs, when
    # the session changed or is permanent (SESSION_REFRESH_EACH_REQUEST): ask the same question.
    writes_session = current_app.session_interface.should_set_cookie(current_app, session)
    if writes_session or "Set-Cookie" in response.headers:
        response.cache_control.public = False
        response.cache_control.private = True
        response.cache_control.no_cache = True
    return response
