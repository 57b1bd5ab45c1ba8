"""A signed-in page reads its user, the unread notifications and the lists' version in one
statement (gandeng/request_frame.py), and still never shows less than the database holds: a new
notification or a changed list shows on the next page, and a request that writes reads afresh."""
from sqlalchemy import event

from gandeng import request_frame
from gandeng.db import db
from gandeng.needs.models import NeedStatus
from gandeng.notifications.services import notify
from gandeng.reports.public_version import LISTS, current_stamp
from tests import factories as f
from tests.conftest import login


def _statements(client, path) -> list[str]:
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return seen


def test_a_staff_list_page_held_in_the_cache_costs_one_statement(client, session):
    staff = f.make_staff(session)
    f.make_need(session, title="Sumur bor RT 04")
    session.commit()
    login(client, staff)
    client.get("/needs")
    statements = _statements(client, "/needs")
    assert len(statements) == 1  # the user, their unread count and the lists' version together
    assert "notifications" in statements[0] and "public_versions" in statements[0]


def test_a_new_notification_and_a_new_need_show_on_the_next_page(client, session):
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    page = client.get("/needs").text
    assert "nav-unread" not in page and "Genteng balai bocor" not in page
    notify(session, [staff], "test", "Usulan baru menunggu", "")
    f.make_need(session, status=NeedStatus.VERIFIED, title="Genteng balai bocor")
    session.commit()
    page = client.get("/needs").text
    assert 'nav-unread">1<' in page and "Genteng balai bocor" in page


def test_what_the_request_wrote_is_read_afresh(app, session):
    staff = f.make_staff(session)
    session.commit()
    with app.test_request_context("/needs"):
        user = request_frame.load_user(db.session, staff.id)
        assert user.id == staff.id
        before = current_stamp(db.session, LISTS)
        assert request_frame.unread_count(db.session, user) == 0
        assert request_frame.lists_stamp(db.session) == before
        notify(db.session, [user], "test", "Pesan", "")
        f.make_need(db.session, title="Talang mushola")
        db.session.flush()  # written in this request, not yet committed
        assert request_frame.unread_count(db.session, user) == 1
        db.session.commit()
        assert request_frame.lists_stamp(db.session).version == before.version + 1


def test_nothing_is_kept_for_a_user_who_is_not_there(app, session):
    with app.test_request_context("/needs"):
        assert request_frame.load_user(db.session, 999_999) is None
        assert request_frame.lists_stamp(db.session) == current_stamp(db.session, LISTS)
