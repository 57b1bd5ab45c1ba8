"""Open redirects (audit finding 1): the language switch, the log-in's `next` and the Referer
fallback after approving never send a browser to another site."""
from urllib.parse import urljoin, urlsplit

import pytest

from tests import factories as f
from tests.conftest import login, sqlite_only

SQLITE_ONLY = sqlite_only("where a redirect leads is decided from the request alone, after or without SQL")

# Raw query strings as an attacker writes them in a link (percent-encoded, decoded by the server).
PAYLOADS = [
    "/%09/evil.example", "/%0d%0a/evil.example", "/%0a/evil.example", "%09//evil.example", "/%5Cevil.example",
    "%5C%5Cevil.example", "//evil.example", "///evil.example", "https:evil.example", "https://evil.example/x",
    "javascript:alert(1)", "/%5C/evil.example", "%20//evil.example", "/%00/evil.example",
]


def browser_destination(location: str, page: str = "http://localhost/x") -> str:
    """The host a browser goes to for this Location (it drops tab/CR/LF and reads \\ as /)."""
    cleaned = location.replace("\t", "").replace("\r", "").replace("\n", "").strip().replace("\\", "/")
    return urlsplit(urljoin(page, cleaned)).netloc


@pytest.mark.parametrize("payload", PAYLOADS)
@SQLITE_ONLY
def test_language_switch_never_leads_to_another_site(client, payload):
    response = client.get(f"/bahasa/en?next={payload}")
    assert response.status_code == 302
    assert browser_destination(response.headers["Location"]) == "localhost"
    assert response.headers["Location"] == "/"


@SQLITE_ONLY
def test_language_switch_still_returns_to_the_local_page(client):
    response = client.get("/bahasa/en?next=/needs%3Fpage%3D2")
    assert response.headers["Location"] == "/needs?page=2"


@pytest.mark.parametrize("payload", PAYLOADS)
@SQLITE_ONLY
def test_login_next_never_leads_to_another_site(client, session, payload):
    staff = f.make_staff(session)
    session.commit()
    response = client.post(f"/login?next={payload}", data={"email": staff.email, "password": f.PASSWORD})
    assert response.status_code == 302  # a real log-in
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("referrer", [
    "http://localhost/%09/evil.example", "http://localhost//evil.example/", "http://localhost/\\evil.example",
    "http://localhost\\@evil.example/", "https://evil.example/review", "//evil.example", "http://localhost.evil.example/",
])
@SQLITE_ONLY
def test_approval_referer_fallback_never_leads_to_another_site(client, session, referrer):
    staff = f.make_staff(session)
    proposal = f.proposal_for(session, f.make_need(session, cost_rp=3_000_000), f.make_offer(session), 1_000_000)
    session.commit()
    login(client, staff)
    response = client.post(f"/review/proposals/{proposal.id}/approve", headers={"Referer": referrer})
    assert response.status_code == 302
    assert browser_destination(response.headers["Location"]) == "localhost"


@SQLITE_ONLY
def test_notification_link_to_another_site_is_not_followed(client, session):
    from gandeng.notifications.models import Notification

    user = f.make_staff(session)
    session.flush()
    note = Notification(user_id=user.id, kind="test", message="x", link="/\t/evil.example")
    session.add(note)
    session.commit()
    login(client, user)
    response = client.post(f"/notifications/{note.id}/open")
    assert response.headers["Location"] == "/notifications"
