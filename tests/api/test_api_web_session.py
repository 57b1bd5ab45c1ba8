"""Cookie sessions (the site's own pages calling the API) need X-CSRFToken to write; CORS is off
unless origins are configured; the OpenAPI document and the docs page."""
import re

from gandeng.db import db
from tests import factories as f
from tests.api.helpers import NEW_NEED
from tests.conftest import make_app


def _signed_in_with_csrf(client, user) -> str:
    """Log in through the form (CSRF on) and return the page's CSRF token."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"email": user.email, "password": f.PASSWORD, "csrf_token": token})
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/needs/new").text).group(1)


def test_cookie_session_write_without_csrf_header_is_refused(csrf_app):
    coordinator = f.make_coordinator(db.session)
    db.session.commit()
    client = csrf_app.test_client()
    token = _signed_in_with_csrf(client, coordinator)
    refused = client.post("/api/v1/needs", json=NEW_NEED)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf"
    assert client.get("/api/v1/needs?status=draft").get_json()["total"] == 0  # reads work, nothing saved
    accepted = client.post("/api/v1/needs", json=NEW_NEED, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.text
    assert client.get("/api/v1/needs?status=draft").get_json()["total"] == 1


def test_cors_is_off_by_default(client):
    response = client.get("/api/v1/categories", headers={"Origin": "https://jss.jogjakota.go.id"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options("/api/v1/needs", headers={"Origin": "https://jss.jogjakota.go.id",
                                                         "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_configured_origin_is_allowed_and_others_are_not(tmp_path, template_db):
    app = make_app(tmp_path, template_db, API_CORS_ORIGINS="https://jss.jogjakota.go.id, https://contoh.id")
    with app.app_context():
        client = app.test_client()
        preflight = client.options("/api/v1/needs", headers={"Origin": "https://jss.jogjakota.go.id",
                                                             "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == "https://jss.jogjakota.go.id"
        assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
        answer = client.get("/api/v1/stats", headers={"Origin": "https://contoh.id"})
        assert answer.headers["Access-Control-Allow-Origin"] == "https://contoh.id"
        other = client.get("/api/v1/stats", headers={"Origin": "https://jahat.example"})
        assert "Access-Control-Allow-Origin" not in other.headers
        db.session.remove()
        db.engine.dispose()


def test_openapi_document_describes_every_api_route_with_bearer_auth(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if m != "parameters"}
    routes = {
        (method, re.sub(r"<int:(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - documented == {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")}
    need = spec["components"]["schemas"]["Need"]["properties"]
    assert {"kelurahan", "kemantren", "remaining_rp", "partial_ok", "created_at"} <= set(need)
    post_need = spec["paths"]["/api/v1/needs"]["post"]["responses"]
    assert {"201", "401", "403", "422"} <= set(post_need)


def test_docs_page_loads_swagger_ui_from_this_server(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources)
    assert "<script>" not in page.text  # the CSP forbids inline scripts
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200, source
        response.close()
