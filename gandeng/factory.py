"""The application factory: settings, extensions, blueprints, CLI and hooks."""
import threading

import click
from flask import Flask, g, request
from flask_babel import lazy_gettext as _l

from gandeng import settings
from gandeng.db import db, install_sqlite_pragmas
from gandeng.extensions import babel, csrf, limiter, login_manager, migrate
from gandeng.languages import select_locale


class GandengFlask(Flask):
    """The app, whose pages (blueprints, the API, template helpers, request hooks, error pages) may
    be registered only when first needed: `flask --help` lists the commands without them (issue 15:
    ≤ 1 s; they are half of the start-up). The first request, URL built, template environment or
    look at the URL map registers them (a command that sends an email with a link, `flask routes`).
    Thread-safe; gunicorn registers them before forking its workers."""

    _pages_pending = None  # the function that registers the pages, until it has run

    def load_pages(self) -> None:
        """Register the pages now if they were put off (idempotent)."""
        if self._pages_pending is None:
            return
        with _PAGES_LOCK:
            pending, self._pages_pending = self._pages_pending, None
            if pending is not None:
                pending(self)

    def request_context(self, environ):
        self.load_pages()
        return super().request_context(environ)

    def test_request_context(self, *args, **kwargs):
        self.load_pages()
        return super().test_request_context(*args, **kwargs)

    def url_for(self, *args, **kwargs):
        self.load_pages()
        return super().url_for(*args, **kwargs)

    @property
    def jinja_env(self):
        self.load_pages()
        return Flask.jinja_env.__get__(self, type(self))

    @property
    def debug(self) -> bool:
        return Flask.debug.fget(self)

    @debug.setter
    def debug(self, value: bool) -> None:
        # As Flask's own setter, without making the template environment register the pages:
        # the CLI sets `debug` on every start, `flask --help` included.
        self.config["DEBUG"] = value
        if self.config["TEMPLATES_AUTO_RELOAD"] is None:
            Flask.jinja_env.__get__(self, type(self)).auto_reload = value

    @property
    def url_map(self):
        self.load_pages()
        return self.__dict__["_url_map"]

    @url_map.setter
    def url_map(self, value):
        self.__dict__["_url_map"] = value


_PAGES_LOCK = threading.RLock()


class _CommandOfThePages(click.Group):
    """A command group the pages register (flask-smorest's `openapi`), listed before they are:
    using it registers the pages, then hands over to the real group."""

    def _real(self):
        from flask import current_app

        current_app.load_pages()
        real = current_app.cli.commands.get(self.name)
        return None if real is self else real

    def list_commands(self, ctx):
        real = self._real()
        return real.list_commands(ctx) if real else []

    def get_command(self, ctx, name):
        real = self._real()
        return real.get_command(ctx, name) if real else None


def create_app(test_config=None, lazy_pages: bool = False) -> Flask:
    """Build the Flask app; `test_config` overrides every other setting. `lazy_pages`: the pages are
    registered before the first app or request context instead of now (app.py: light CLI start)."""
    app = GandengFlask(
        __name__.split(".")[0],
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    settings.load(app, test_config)
    from gandeng.accounts.passwords import use_cost

    use_cost(app.config["PASSWORD_HASH_COST"])
    register_extensions(app)
    from gandeng.urls import register_converters

    register_converters(app)  # before the blueprints: their `<int:...>` rules bind the bounded one
    if lazy_pages:
        app._pages_pending = register_pages
        app.cli.add_command(_CommandOfThePages("openapi", help="OpenAPI commands."))
    else:
        register_pages(app)
    from gandeng.cli import register_cli

    register_cli(app)
    from gandeng.deployment import apply_proxy_fix

    apply_proxy_fix(app)
    return app


def register_pages(app):
    """Everything that serves requests, in this order (the hooks' order matters)."""
    register_blueprints(app)
    register_template_helpers(app)
    register_hooks(app)
    from gandeng.static_compression import register_static_gzip

    register_static_gzip(app)
    from gandeng.errors import register_error_handlers

    register_error_handlers(app)


def register_extensions(app):
    from pathlib import Path

    import gandeng.models  # noqa: F401  (every table known to the metadata)
    from gandeng.reports.public_version import install_public_version_events

    install_public_version_events()  # writes that change public figures bump their cached version

    install_sqlite_pragmas()
    from gandeng.db import install_connection_checks

    install_connection_checks()  # instead of pool_pre_ping: no round trip per checkout (issue 15)
    from gandeng.request_frame import install_write_counter

    install_write_counter()  # what a page read with its user is reused until the request writes
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=str(Path(app.root_path).parent / "migrations"))
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(app.root_path) / "translations"),
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Silakan masuk terlebih dahulu.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        from gandeng.accounts.models import User

        from gandeng.request_frame import load_user as load_with_frame

        uid, _, version = user_id.partition(":")
        if not uid.isdigit() or not version.isdigit():
            return None
        # with the unread count and the lists' version in the same statement (gandeng.request_frame)
        user = load_with_frame(db.session, int(uid))
        if user is None or user.session_version != int(version) or not user.is_active:
            return None
        return user


def register_blueprints(app):
    from gandeng.accounts.admin_views import bp as admin_bp
    from gandeng.accounts.views import bp as accounts_bp
    from gandeng.main_views import bp as main_bp
    from gandeng.needs import attachment_views  # noqa: F401  (its routes join the needs blueprint)
    from gandeng.needs.views import bp as needs_bp
    from gandeng.offers.views import bp as offers_bp

    from gandeng.audit.views import bp as audit_bp
    from gandeng.collaborations.views import bp as collaborations_bp
    from gandeng.notifications.views import bp as notifications_bp
    from gandeng.proposals.views import bp as proposals_bp

    from gandeng.reports import (dashboard_views, equity_views, export_views, network_views, partner_views,
                                 public_views)

    report_bps = [m.bp for m in (dashboard_views, equity_views, public_views, partner_views, export_views,
                                 network_views)]
    for blueprint in (main_bp, accounts_bp, admin_bp, needs_bp, offers_bp, proposals_bp,
                      collaborations_bp, audit_bp, notifications_bp, *report_bps):
        app.register_blueprint(blueprint)
    from gandeng.pwa import bp as pwa_bp  # the manifest and the service worker (issue 12)
    app.register_blueprint(pwa_bp)
    from gandeng.notifications.profile import bp as profile_bp
    from gandeng.recovery.views import bp as recovery_bp
    from gandeng.webhooks.views import bp as webhooks_bp

    for blueprint in (recovery_bp, webhooks_bp, profile_bp):  # issue 14: account recovery, WhatsApp receipts
        app.register_blueprint(blueprint)
    from gandeng.accounts.join_views import bp as joins_bp

    app.register_blueprint(joins_bp)  # requests to join an existing organisation or kampung
    from gandeng.sister.views import bp as sister_bp  # issue 17: sister pairing

    app.register_blueprint(sister_bp)
    from gandeng.opendata.views import bp as opendata_bp  # issue 19: the open-data catalogue, CKAN API

    app.register_blueprint(opendata_bp)
    from gandeng.privacy.views import bp as privacy_bp  # issue 19: personal-data protection (UU PDP)

    app.register_blueprint(privacy_bp)
    from gandeng.nglarisi.views import bp as nglarisi_bp  # issue 18: Nglarisi (offices order from groups)

    app.register_blueprint(nglarisi_bp)
    from gandeng.api import init_api

    init_api(app)  # the JSON API (/api/v1), its OpenAPI document and docs page


def register_template_helpers(app):
    from flask_babel import get_locale

    from gandeng import formatting

    def locale() -> str:
        return str(get_locale() or "id")

    app.jinja_env.filters["rupiah"] = formatting.rupiah
    app.jinja_env.filters["tanggal"] = lambda value: formatting.long_date(value, locale())
    app.jinja_env.filters["waktu"] = lambda value: formatting.long_datetime(value, locale())
    app.jinja_env.filters["wa_link"] = formatting.wa_link
    app.jinja_env.filters["percent"] = lambda value, digits=0: formatting.percent(value, locale(), digits)
    app.jinja_env.filters["big_decimal"] = lambda value: formatting.big_decimal(value, locale())
    app.jinja_env.filters["month_year"] = lambda value: formatting.month_year(value, locale())
    from gandeng.reason_text import reason_text

    app.jinja_env.filters["reason_text"] = reason_text
    app.jinja_env.globals["current_locale"] = locale
    from gandeng import labels

    app.jinja_env.globals["labels"] = labels
    from gandeng.site_nav import site_nav

    app.jinja_env.globals["site_nav"] = site_nav


def register_hooks(app):
    @app.before_request
    def remember_request_start():
        # Flask-Login and Flask-WTF cache the user and the CSRF token in `g`; where one app context
        # outlives a request (the tests), what an earlier request cached must not stand in for
        # this request's session cookie. Flask-Babel likewise caches the locale and translations
        # in `g._flask_babel`: dropped so each request follows its own session["lang"].
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)
        g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if request.endpoint and request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("HSTS_MAX_AGE"):  # browsers heed it only over https
            response.headers.setdefault("Strict-Transport-Security", f"max-age={app.config['HSTS_MAX_AGE']}")
        return response
