"""Yearly re-curation is reminded, not only flagged: 11 months after its last curation a group (its account and
its contact phone) and staff are told once per curation year, staff see a task; after 12 months it is overdue,
and still not suspended automatically; staff record the re-curation and the next year starts."""
import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from gandeng.db import utcnow
from gandeng.formatting import long_date, today_wib
from gandeng.nglarisi import recuration
from gandeng.nglarisi.models import Group, GroupStatus
from gandeng.notifications.models import Notification
from gandeng.notifications.outbox import send_due
from tests import factories as f
from tests.conftest import login


def _curated(session, months_ago: int, days_more: int = 1, **fields) -> Group:
    group = f.make_group(session, **fields)
    group.last_curated_on = recuration.months_before(today_wib(), months_ago) - timedelta(days=days_more)
    session.flush()
    return group


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert recuration.months_before(date(2026, 12, 31), 11) == date(2026, 1, 31)
    assert recuration.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert recuration.months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_a_group_curated_eleven_months_ago_and_staff_are_reminded_once(app, session, cloud_api):
    staff = f.make_staff(session)
    due = _curated(session, 11, name="Dapur Lama", contact_phone="0812 2700 1234")
    cook = f.make_group_user(session, group=due, email="lama@contoh.id")
    _curated(session, 10, name="Dapur Baru Dikurasi")
    session.commit()
    assert recuration.remind(session, utcnow()) == 1
    session.commit()
    assert recuration.remind(session, utcnow()) == 0  # once per curation year
    (told,) = session.scalars(select(Notification).where(Notification.user_id == cook.id)).all()
    assert told.kind == "nglarisi.recurate" and "Dapur Lama" in told.message
    (task,) = session.scalars(select(Notification).where(Notification.user_id == staff.id)).all()
    assert task.link == f"/nglarisi/groups/{due.id}" and "kurasi ulang" in task.message
    send_due(session, utcnow(), app.config)
    (body,) = [b for _p, _h, b in cloud_api.received]
    assert body["to"] == "6281227001234" and body["template"]["name"] == "ngl_kurasi_ulang"
    params = [p["text"] for p in body["template"]["components"][0]["parameters"]]
    assert params == ["Dapur Lama", long_date(due.last_curated_on),
                      long_date(recuration.next_due(due.last_curated_on, today_wib()))]


def test_after_twelve_months_staff_see_it_overdue_and_the_group_still_gets_orders(client, session):
    late = _curated(session, 12, name="Dapur Terlambat")
    staff = f.make_staff(session)
    office = f.make_office_user(session, email="kantor@contoh.id")
    session.commit()
    assert recuration.state(late, today_wib()) == "overdue"
    login(client, staff)
    home = " ".join(client.get("/").text.split())
    counts = dict(re.findall(r'data-queue="(\w+)">.*?home-count">(\d+)</span>', home))
    assert counts["groups_recurate"] == "1"
    assert "Kurasi ulang terlambat" in client.get("/nglarisi/groups").text
    from gandeng.nglarisi import orders

    order = orders.place_order(session, office, orders.OrderInput(
        deliver_on=today_wib() + timedelta(days=3), deliver_time="11:30", kelurahan_code=late.kelurahan_code,
        portions=20, budget_rp=1_000_000))
    assert late.status == GroupStatus.VERIFIED and order.group_id == late.id  # not suspended automatically


def test_staff_record_the_re_curation_and_the_next_year_is_reminded_again(app, client, session):
    app.config["WTF_CSRF_ENABLED"] = False
    group = _curated(session, 11, name="Dapur Tahunan")
    staff = f.make_staff(session)
    session.commit()
    assert recuration.remind(session, utcnow()) == 1
    login(client, staff)
    answer = client.post(f"/nglarisi/groups/{group.id}/recurated", data={"note": "Dapur dikunjungi, dokumen lengkap"})
    assert answer.status_code == 302
    session.expire_all()
    assert group.last_curated_on == today_wib() and recuration.state(group, today_wib()) == ""
    assert recuration.remind(session, utcnow()) == 0
    next_year = datetime.combine(recuration.months_before(today_wib(), -11), datetime.min.time()) + timedelta(hours=3)
    assert recuration.remind(session, next_year) == 1


def test_the_cli_command_reminds(app, session):
    _curated(session, 11, name="Dapur Cron")
    session.commit()
    done = app.test_cli_runner().invoke(args=["nglarisi", "recurate-remind"])
    assert done.exit_code == 0 and "1 group(s) reminded" in done.output
    again = app.test_cli_runner().invoke(args=["nglarisi", "recurate-remind"])
    assert "0 group(s) reminded" in again.output


def test_the_workers_minute_round_reminds(app, session):
    from gandeng.notifications.jobs import run_once

    group = _curated(session, 11, name="Dapur Pekerja")
    session.commit()
    run_once(app)
    session.expire_all()
    assert session.get(Group, group.id).recurate_reminded_for == group.last_curated_on
