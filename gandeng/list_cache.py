"""Rendered lists of needs and offers, reused while nothing they show has changed.

A page of a list costs a dozen queries and the rendering of its cards; the same page asked again
(staff going back to the queue, a crowd on one link) is served from a copy kept in this process,
keyed by who is asking (the rows each audience may see differ), the language, the query string, the
date in Yogyakarta (an offer past its date shows as expired) and the `lists` version (gandeng/reports/public_version.py), which moves with every write any list
could show. The version is read on every request (one primary-key read; for a signed-in user in
the same statement as the user, gandeng/request_frame.py), so a copy is never staler than the database; PUBLIC_CACHE_SECONDS stays the safety net for writes made outside the
application. Only the list's own part of the page is kept: the menu, flashed messages and CSRF
tokens around it are rendered for each request.
"""
import hashlib

from flask import current_app, request
from markupsafe import Markup

from gandeng.accounts.policies import is_staff
from gandeng.formatting import today_wib
from gandeng.languages import select_locale
from gandeng.reports.public_cache import DEFAULT_SECONDS, PublicCache
from gandeng.request_frame import lists_stamp

ENTRIES = 256  # pages kept per process (a rendered page of 20 cards is ~25 KB: ~6 MB at most)


def audience(user) -> str:
    """Who sees the same rows: staff, one kampung's coordinators (their drafts), one
    organisation's partners (their drafts and withdrawn offers), or everyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "public"
    if is_staff(user):
        return "staff"
    if user.role == "coordinator":
        return f"kampung-{user.kampung_id}"
    if user.role == "partner" and user.is_active and user.organisation_id is not None:
        return f"org-{user.organisation_id}"
    return "public"


def _cache() -> PublicCache:
    cache = current_app.extensions.get("list_cache")
    if cache is None:
        seconds = int(current_app.config.get("PUBLIC_CACHE_SECONDS") or DEFAULT_SECONDS)
        cache = PublicCache(seconds, entries=ENTRIES)
        current_app.extensions["list_cache"] = cache
    return cache


def cached_list(name: str, user, session, build) -> Markup:
    """The HTML `build()` renders for this request's list `name`, reused while the lists' version
    holds for the same audience, language and query string."""
    args = sorted(request.args.items(multi=True))
    digest = hashlib.sha256(repr(args).encode()).hexdigest()[:24]
    key = f"{name}|{audience(user)}|{select_locale()}|{today_wib().isoformat()}|{digest}"
    return Markup(_cache().get_or_build(key, lists_stamp(session), lambda: str(build())))


PAGING_ARGS = ("page", "after", "before")  # where in the list, not which list


def _per_list(name: str) -> PublicCache:
    cache = current_app.extensions.get(name)
    if cache is None:
        seconds = int(current_app.config.get("PUBLIC_CACHE_SECONDS") or DEFAULT_SECONDS)
        cache = PublicCache(seconds, entries=1024)
        current_app.extensions[name] = cache
    return cache


def _list_key(name: str, user, locale: bool) -> str:
    """Which list this request shows, wherever in it: the audience, the query string without its
    paging arguments (and the language, for rendered parts)."""
    args = sorted((k, v) for k, v in request.args.items(multi=True) if k not in PAGING_ARGS)
    digest = hashlib.sha256(repr(args).encode()).hexdigest()[:24]
    language = select_locale() if locale else ""
    return f"{name}|{audience(user)}|{language}|{today_wib().isoformat()}|{digest}"


def cached_total(name: str, user, session, count) -> int:
    """How many rows this request's list `name` has (`count()`), counted once per audience and
    filters — every page of the same list shares it — while the lists' version holds: a random
    page of a list the cache has not seen then costs no COUNT over the whole list."""
    return _per_list("list_totals").get_or_build(_list_key(name, user, False), lists_stamp(session), count)


def cached_fragment(name: str, user, session, build) -> Markup:
    """A part of a list page that every page of the same list shows alike (the search and filters
    with their 80 choices, a third of an uncached page's rendering), rendered once per audience,
    language and filters while the lists' version holds."""
    return Markup(_per_list("list_fragments").get_or_build(_list_key(name, user, True), lists_stamp(session),
                                                          lambda: str(build())))
