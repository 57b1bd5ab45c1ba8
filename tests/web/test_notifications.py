"""In-app notifications: the list, the unread count in the navigation bar, marking read, opening one."""
import re
from datetime import datetime

import pytest
from sqlalchemy import event, select

from gandeng.db import db
from gandeng.needs import services as needs
from gandeng.needs.models import NeedStatus
from gandeng.notifications.models import Notification
from gandeng.notifications.services import notify
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def people(session):
    coordinator = f.make_coordinator(session)
    other = f.make_coordinator(session)
    session.commit()
    return {"coordinator": coordinator, "other": other}


def _nav(html: str) -> str:
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


def _tell(session, user, message, link="", when=None):
    notify(session, [user], "test", message, link)
    notification = session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    if when:
        notification.created_at = when
    session.commit()
    return notification


def test_list_shows_own_notifications_newest_first_and_highlights_unread(client, session, people):
    _tell(session, people["coordinator"], "Pesan lama", when=datetime(2026, 1, 1))
    read = _tell(session, people["coordinator"], "Pesan sudah dibaca", when=datetime(2026, 2, 1))
    read.read_at = datetime(2026, 2, 2)
    _tell(session, people["coordinator"], "Pesan terbaru", when=datetime(2026, 3, 1))
    _tell(session, people["other"], "Pesan orang lain")
    login(client, people["coordinator"])
    text = client.get("/notifications").text
    assert text.index("Pesan terbaru") < text.index("Pesan sudah dibaca") < text.index("Pesan lama")
    assert "Pesan orang lain" not in text
    items = re.findall(r'<li class="list-group-item([^"]*)">', text)
    assert items == [" notification-unread", "", " notification-unread"]


def test_a_notice_that_asks_for_an_answer_has_an_answer_button_the_others_open(client, session, people):
    notify(session, [people["coordinator"]], "nglarisi.order_new", "Pesanan baru: jawab lewat tautan ini",
           "/nglarisi/answer/token")
    _tell(session, people["coordinator"], "Kebutuhan Anda diverifikasi", "/needs/1")
    _tell(session, people["coordinator"], "Tanpa tautan")
    login(client, people["coordinator"])
    buttons = [b.strip() for b in re.findall(r'<button type="submit" class="btn btn-outline-primary btn-sm">\s*'
                                             r'([^<]+)</button>', client.get("/notifications").text)]
    assert buttons == ["Tandai dibaca", "Buka", "Jawab"]


def test_navigation_shows_the_unread_count_for_signed_in_users(client, session, people):
    for n in range(3):
        _tell(session, people["coordinator"], f"Pesan {n}")
    login(client, people["coordinator"])
    nav = _nav(client.get("/").text)
    assert 'href="/notifications">Notifikasi' in nav
    assert re.search(r'nav-unread">3<span class="visually-hidden"> belum dibaca</span>', nav)


def test_unread_count_stays_visible_on_a_phone_outside_the_collapsed_menu(client, session, people):
    for n in range(2):
        _tell(session, people["coordinator"], f"Pesan {n}")
    login(client, people["coordinator"])
    nav = _nav(client.get("/").text)
    before_menu = nav.split('id="menu"')[0]
    assert re.search(r'd-lg-none nav-unread-phone" href="/notifications"><svg[^>]*>.*?</svg> <span class="nav-unread-count">2</span><span class="visually-hidden">', before_menu)


def test_navigation_shows_no_badge_when_everything_is_read(client, session, people):
    login(client, people["coordinator"])
    nav = _nav(client.get("/").text)
    assert "Notifikasi" in nav and "nav-unread" not in nav


def test_anonymous_visitors_see_no_notification_link(client):
    assert "/notifications" not in _nav(client.get("/").text)


def _count_notification_queries(app, client, path) -> int:
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "notifications" in statement.lower():
            seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(seen)


def test_unread_count_costs_one_query_per_page_and_none_for_visitors(app, client, session, people):
    _tell(session, people["coordinator"], "Pesan")
    assert _count_notification_queries(app, client, "/needs") == 0
    login(client, people["coordinator"])
    assert _count_notification_queries(app, client, "/needs") == 1


def test_read_all_marks_every_own_notification_read(client, session, people):
    for n in range(2):
        _tell(session, people["coordinator"], f"Pesan {n}")
    theirs = _tell(session, people["other"], "Pesan orang lain")
    login(client, people["coordinator"])
    response = client.post("/notifications/read-all")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    session.expire_all()
    mine = session.scalars(select(Notification).where(Notification.user_id == people["coordinator"].id)).all()
    assert all(n.read_at is not None for n in mine)
    assert session.get(Notification, theirs.id).read_at is None
    assert "nav-unread" not in _nav(client.get("/").text)


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, session, people):
    notification = _tell(session, people["coordinator"], "Kebutuhan diverifikasi", "/needs/42")
    login(client, people["coordinator"])
    response = client.post(f"/notifications/{notification.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/needs/42"
    session.expire_all()
    assert session.get(Notification, notification.id).read_at is not None


@pytest.mark.parametrize("link", ["", "https://jahat.example/", "//jahat.example/x", "/\\jahat.example"])
def test_opening_a_notification_never_leaves_the_site(client, session, people, link):
    notification = _tell(session, people["coordinator"], "Pesan", link)
    login(client, people["coordinator"])
    response = client.post(f"/notifications/{notification.id}/open")
    assert response.headers["Location"] == "/notifications"


def test_another_users_notification_is_not_found_and_stays_unread(client, session, people):
    notification = _tell(session, people["other"], "Pesan orang lain", "/needs/1")
    login(client, people["coordinator"])
    assert client.post(f"/notifications/{notification.id}/open").status_code == 404
    session.expire_all()
    assert session.get(Notification, notification.id).read_at is None


def test_reading_all_and_opening_need_a_csrf_token(csrf_app, session):
    user = f.make_coordinator(session)
    notify(session, [user], "test", "Pesan", "/needs/1")
    session.commit()
    notification = session.scalars(select(Notification)).one()
    client = csrf_app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": user.email, "password": f.PASSWORD, "csrf_token": token})
    assert client.post("/notifications/read-all").status_code == 400
    assert client.post(f"/notifications/{notification.id}/open").status_code == 400
    session.expire_all()
    assert session.get(Notification, notification.id).read_at is None
    listing = client.get("/notifications").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', listing).group(1)
    assert client.post("/notifications/read-all", data={"csrf_token": token}).status_code == 302
    session.expire_all()
    assert session.get(Notification, notification.id).read_at is not None


def test_coordinator_sees_the_verification_of_their_need_after_staff_act(client, session, people):
    coordinator = people["coordinator"]
    staff = f.make_staff(session)
    need = f.make_need(session, kampung=coordinator.kampung, status=NeedStatus.SUBMITTED, title="Talud longsor RW 7")
    session.commit()
    login(client, staff)
    assert client.post(f"/needs/{need.id}/verify").status_code == 302
    client.post("/logout")
    login(client, coordinator)
    text = client.get("/notifications").text
    assert "Talud longsor RW 7" in text and "diverifikasi" in text
    assert 'nav-unread">1<' in text


def test_notifications_page_is_paged(app, client, session, people):
    app.config["PER_PAGE"] = 2
    for n in range(5):
        _tell(session, people["coordinator"], f"Pesan nomor {n}", when=datetime(2026, 1, 1 + n))
    login(client, people["coordinator"])
    first = client.get("/notifications").text
    assert "Pesan nomor 4" in first and "Pesan nomor 2" not in first
    assert "Pesan nomor 0" in client.get("/notifications?page=3").text


def test_need_submission_notifies_staff_who_see_it_in_the_list(client, session):
    staff = f.make_staff(session)
    coordinator = f.make_coordinator(session)
    need = f.make_need(session, kampung=coordinator.kampung, status=NeedStatus.DRAFT, title="Sumur bor RT 2")
    needs.submit_need(session, coordinator, need)
    session.commit()
    login(client, staff)
    assert "Sumur bor RT 2" in client.get("/notifications").text
