"""A group hears of its orders even without an account: the new order (with the one-tap link), the reminder
before the offer ends, the day-before reminder, the payment and a cancellation go to its registered contact
phone through the outbox, in Nglarisi's own WhatsApp templates, sent to the suite's local Cloud API."""
from datetime import datetime, timedelta

from sqlalchemy import select

from gandeng.db import utcnow
from gandeng.formatting import long_date
from gandeng.nglarisi import orders
from gandeng.nglarisi.models import Group, OrderStatus
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage
from gandeng.notifications.outbox import REDACTED, send_due
from gandeng.notifications.preferences import grant_whatsapp_consent, stop_whatsapp
from tests import factories as f

KRICAK = "34.71.01.1001"
PHONE = "+6281227001234"
BASE = "https://gandeng.jogjakota.go.id"


def _in_days(days: int):
    return (datetime.utcnow() + timedelta(hours=7) + timedelta(days=days)).date()


def _order_input(**changes):
    values = dict(deliver_on=_in_days(3), deliver_time="11:30", kelurahan_code=KRICAK, portions=40,
                  budget_rp=1_200_000, note="")
    values.update(changes)
    return orders.OrderInput(**values)


def _sent(app, session, cloud_api, now=None) -> list[dict]:
    """Send what is due; the WhatsApp bodies the local Cloud API received in this round."""
    before = len(cloud_api.received)
    send_due(session, now or utcnow(), app.config)
    return [body for _path, _headers, body in cloud_api.received[before:]]


def _params(body: dict) -> list[str]:
    return [p["text"] for p in body["template"]["components"][0]["parameters"]]


def _world(session):
    office = f.make_office_user(session, email="kantor@contoh.id")
    group = f.make_group(session, name="Dapur Tanpa Akun", kelurahan_code=KRICAK, contact_phone="0812 2700 1234")
    session.commit()
    return office, group


def test_a_group_without_an_account_gets_the_new_order_with_the_one_tap_link_on_its_phone(app, session, cloud_api):
    app.config["PUBLIC_BASE_URL"] = BASE
    office, group = _world(session)
    order = orders.place_order(session, office, _order_input())
    session.commit()
    (body,) = _sent(app, session, cloud_api)
    assert body["to"] == PHONE.lstrip("+") and body["type"] == "template"
    assert body["template"]["name"] == "ngl_pesanan_baru" and body["template"]["language"] == {"code": "id"}
    params = _params(body)
    until = order.expires_at + timedelta(hours=7)  # the answer-by time in WIB, written the Indonesian way
    assert params[:6] == ["Dinas Kesehatan", "40", long_date(order.deliver_on), "11.30", "Rp800.000",
                          f"{long_date(until.date())} {until:%H.%M}"]
    link = params[6]
    assert link.startswith(BASE + "/nglarisi/o/")
    message = session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == PHONE)).one()
    assert message.user_id is None and message.status == MessageStatus.SENT
    assert message.template_params == [REDACTED] and "/nglarisi/o/" not in message.body  # the link is a secret
    # The link works without an account, once.
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    path = link[len(BASE):]
    assert "Terima pesanan" in client.get(path).text
    assert client.post(path, data={"answer": "accept"}).status_code == 200
    session.expire_all()
    assert order.status == OrderStatus.ACCEPTED


def test_the_contact_phone_is_reminded_before_expiry_and_the_day_before_and_told_of_payment(app, session, cloud_api):
    office, group = _world(session)
    order = orders.place_order(session, office, _order_input(deliver_on=_in_days(2)))
    session.commit()
    _sent(app, session, cloud_api)
    soon = order.expires_at - timedelta(minutes=10)
    assert orders.expire_due(session, soon)["reminded"] == 1
    session.commit()
    (reminder,) = _sent(app, session, cloud_api, soon)
    assert reminder["template"]["name"] == "ngl_pengingat"
    portions, office_name, until, link = _params(reminder)
    assert (portions, office_name) == ("40", "Dinas Kesehatan") and "/nglarisi/o/" in link
    assert until == (order.expires_at + timedelta(hours=7)).strftime("%H.%M")
    orders.accept(session, None, order, group_id=group.id, now=soon)
    day_before = datetime.combine(order.deliver_on - timedelta(days=1), datetime.min.time()) + timedelta(hours=3)
    assert orders.expire_due(session, day_before)["day_before"] == 1
    session.commit()
    (tomorrow,) = _sent(app, session, cloud_api, day_before)
    assert tomorrow["template"]["name"] == "ngl_h_minus_1"
    assert _params(tomorrow) == ["40", "Dinas Kesehatan", long_date(order.deliver_on), "11.30", "Kricak"]
    orders.mark_delivered(session, office, order, portions=40, rating=5)
    orders.mark_paid(session, office, order, paid_on=order.deliver_on if order.deliver_on <= _in_days(0)
                     else _in_days(0), amount_rp=800_000, now=utcnow() + timedelta(days=3))
    session.commit()
    (paid,) = _sent(app, session, cloud_api, utcnow() + timedelta(days=3))
    assert paid["template"]["name"] == "ngl_pembayaran"
    assert _params(paid)[:3] == ["Rp800.000", "Dinas Kesehatan", "40"]


def test_an_account_with_the_same_number_is_told_once_through_its_own_channels(app, session, cloud_api):
    office, group = _world(session)
    cook = f.make_group_user(session, group=group, email="dapur@contoh.id", phone="081227001234")
    grant_whatsapp_consent(session, cook)
    session.commit()
    orders.place_order(session, office, _order_input())
    session.commit()
    (body,) = _sent(app, session, cloud_api)
    assert body["template"]["name"] == "ngl_pesanan_baru"
    assert session.scalars(select(OutboxMessage.user_id).where(OutboxMessage.channel == Channel.WHATSAPP)).all() \
        == [cook.id]


def test_berhenti_from_the_contact_phone_stops_its_notices_until_the_number_changes(app, session, cloud_api):
    from gandeng.nglarisi import services

    office, group = _world(session)
    stop_whatsapp(session, PHONE)
    session.commit()
    assert session.get(Group, group.id).contact_whatsapp_stopped_at is not None
    orders.place_order(session, office, _order_input())
    session.commit()
    assert _sent(app, session, cloud_api) == []
    services.update_group(session, f.make_staff(session), group, {"contact_phone": "0812 2700 9999"})
    orders.place_order(session, office, _order_input(portions=20))
    session.commit()
    (body,) = _sent(app, session, cloud_api)
    assert body["to"] == "6281227009999"


def test_without_whatsapp_configured_nothing_is_queued_for_the_contact_phone(session):
    office, group = _world(session)
    orders.place_order(session, office, _order_input())
    session.commit()
    assert session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == PHONE)).all() == []
