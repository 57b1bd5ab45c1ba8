"""Expected statuses for the home page, language switch, health check and log-in pages."""
from tests.web.routes import Route, expect

ROUTES = [
    Route("GET", "/", "/", expect(200)),
    Route("GET", "/bahasa/<lang>", "/bahasa/en?next=/needs", expect(302)),
    Route("GET", "/healthz", "/healthz", expect(200)),
    Route("GET", "/sw.js", "/sw.js", expect(200), note="the service worker: static files only"),
    Route("GET", "/manifest.webmanifest", "/manifest.webmanifest", expect(200)),
    Route("GET", "/login", "/login", expect(302, anon=200), note="signed-in users go home"),
    Route("POST", "/login", "/login", expect(302, anon=200), data={"email": "x@contoh.id", "password": "salah"}),
    Route("POST", "/logout", "/logout", expect(302)),
    Route("GET", "/register", "/register", expect(302, anon=200)),
    Route("POST", "/register", "/register", expect(302, anon=200), data={"role": "partner"}),
]
