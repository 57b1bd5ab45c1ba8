"""The app starts, serves its home page with security headers and reports health."""


def test_home_page_is_indonesian_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Gandeng Gendong" in response.text
    assert 'lang="id"' in response.text
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"
