"""Running behind a reverse proxy (nginx, Caddy): trust its X-Forwarded-* headers only when told to."""
from werkzeug.middleware.proxy_fix import ProxyFix


def apply_proxy_fix(app) -> None:
    """With PROXY_FIX_X_FOR=1 (one proxy in front), request.remote_addr is the client's address from
    X-Forwarded-For, so the per-address log-in limits count each client; PROXY_FIX_X_PROTO=1 and
    PROXY_FIX_X_HOST=1 likewise take the scheme and host. Unset (0): the headers are ignored, as they
    must be when clients reach the app directly and could forge them."""
    hops = {name: int(app.config.get(f"PROXY_FIX_X_{name.upper()}") or 0) for name in ("for", "proto", "host")}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops["for"], x_proto=hops["proto"], x_host=hops["host"])
