"""The navigation bar of every page, rendered once per kind of visitor and language.

Its menu depends only on who is signed in (role, staff or not), the language and whether there
are unread notifications; rendering it again on each request cost a signed-in page some 36
`url_for` and 30 translations, a quarter of a list page's time under a crowd (issue 15). It is
rendered once per such key (templates/_site_nav.html) with markers where the request's own values
go — the unread count, the language link's way back, the user's name, the CSRF token — and
those are filled in per request. In debug mode (templates reloaded) nothing is kept.
"""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

# Plain text that autoescaping leaves as it is and that no translation or URL contains.
UNREAD, LANGUAGE_HREF, USER_NAME, CSRF = (f"\x00{name}\x00" for name in ("unread", "language", "name", "csrf"))

_rendered: dict[tuple, str] = {}


def site_nav() -> Markup:
    """The `<nav>` of base.html for this request."""
    from gandeng.notifications.views import unread_notifications_helper

    signed_in = bool(current_user.is_authenticated)
    unread = unread_notifications_helper()["unread_notifications"]() if signed_in else 0
    locale = str(get_locale() or "id")
    role = current_user.role if signed_in else None
    key = (signed_in, role, bool(signed_in and current_user.is_staff), bool(unread), locale, request.script_root)
    html = _rendered.get(key)
    if html is None:
        html = render_template("_site_nav.html", signed_in=signed_in, role=role, is_staff=key[2],
                               has_unread=key[3], locale=locale, unread=UNREAD, language_href=LANGUAGE_HREF,
                               user_name=USER_NAME, csrf=CSRF)
        if not current_app.jinja_env.auto_reload:
            _rendered[key] = html
    other = "en" if locale == "id" else "id"
    html = html.replace(LANGUAGE_HREF, str(escape(url_for("main.set_language", lang=other, next=request.full_path))))
    if signed_in:
        html = (html.replace(UNREAD, str(unread)).replace(USER_NAME, str(escape(current_user.name)))
                .replace(CSRF, str(escape(generate_csrf()))))
    return Markup(html)
