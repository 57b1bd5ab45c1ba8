"""Nglarisi orders: placing with reasons, bad input, accept/decline, expiry and move-on, the signed
one-tap link, the accept race (SQLite and PostgreSQL), delivery, payment, low ratings."""
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from gandeng.db import db, utcnow
from gandeng.errors import Conflict, DomainError
from gandeng.nglarisi import orders, services
from gandeng.nglarisi.models import Order, OrderStatus
from gandeng.notifications.models import Notification, OutboxMessage
from tests import factories as f

KRICAK, TERBAN = "34.71.01.1001", "34.71.05.1002"


def _in_days(days: int) -> date:
    return (datetime.utcnow() + timedelta(hours=7) + timedelta(days=days)).date()


def order_input(**changes):
    values = dict(deliver_on=_in_days(3), deliver_time="11:30", kelurahan_code=KRICAK, portions=40,
                  budget_rp=1_200_000, note="Tanpa kacang")
    values.update(changes)
    return orders.OrderInput(**values)


@pytest.fixture
def world(session):
    office = f.make_office_user(session, email="kantor@contoh.id")
    first = f.make_group(session, name="Dapur Kricak", kelurahan_code=KRICAK)
    second = f.make_group(session, name="Dapur Terban", kelurahan_code=TERBAN)
    cook = f.make_group_user(session, group=first, email="kricak@contoh.id")
    other_cook = f.make_group_user(session, group=second, email="terban@contoh.id")
    session.commit()
    return {"office": office, "first": first, "second": second, "cook": cook, "other_cook": other_cook,
            "staff": f.make_staff(session)}


def daytime(hour: int = 10, minute: int = 0, days: int = 0) -> datetime:
    """A moment of the WIB day `days` from today, as stored (naive UTC)."""
    today = _in_days(days)
    return datetime(today.year, today.month, today.day, hour, minute) - timedelta(hours=7)


def test_an_order_goes_to_the_nearest_equal_group_with_reasons_and_the_group_is_told(session, world):
    order = orders.place_order(session, world["office"], order_input(), now=daytime(10))
    session.commit()
    assert order.status == OrderStatus.OFFERED and order.group_id == world["first"].id
    assert order.value_rp == 40 * 20_000 and order.expires_at == order.offered_at + timedelta(minutes=120)
    codes = [code for code, _params in order.history[0].reasons]
    assert codes[:4] == ["capacity_left", "price_fits", "distance", "rotation"]
    told = session.scalars(select(Notification).where(Notification.user_id == world["cook"].id)).one()
    assert "/nglarisi/o/" in told.link and "40 porsi" in told.message
    email = session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == world["cook"].id,
                                                        OutboxMessage.channel == "email")).one()
    assert email.secret  # the one-tap link is blanked once sent


@pytest.mark.parametrize("changes, words", [
    ({"deliver_on": _in_days(-1)}, "sudah lewat"),
    ({"portions": 400, "budget_rp": 50_000_000}, "Tidak ada satu kelompok pun yang dapat membuat 400 porsi"),
    ({"budget_rp": 100_000}, "Anggaran di bawah menu termurah"),
    ({"portions": 0}, "Jumlah porsi"),
], ids=["past", "too-many-portions", "budget-below-menu", "zero-portions"])
def test_bad_orders_are_refused_with_a_clear_message_and_nothing_is_stored(session, world, changes, words):
    with pytest.raises(DomainError) as refused:
        orders.place_order(session, world["office"], order_input(**changes))
    assert words in refused.value.message
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Order)) == 0


def test_a_decline_moves_the_order_on_and_the_last_decline_leaves_it_unplaced(session, world):
    order = orders.place_order(session, world["office"], order_input())
    orders.decline(session, world["cook"], order, "Libur hajatan")
    assert order.status == OrderStatus.OFFERED and order.group_id == world["second"].id
    orders.decline(session, world["other_cook"], order)
    assert order.status == OrderStatus.UNPLACED and order.group_id is None
    assert [s.action for s in order.history] == ["offered", "declined", "offered", "declined", "unplaced"]


def test_an_unanswered_offer_expires_and_moves_on_then_a_late_accept_gets_409(session, world, client):
    order = orders.place_order(session, world["office"], order_input())
    session.commit()
    later = order.expires_at + timedelta(seconds=1)
    with pytest.raises(Conflict):
        orders.accept(session, world["cook"], order, now=later)  # after expiry, even before the job ran
    session.rollback()
    counts = orders.expire_due(session, later)
    session.commit()
    assert counts["expired"] == 1 and order.group_id == world["second"].id
    from tests.api.helpers import as_user

    response = client.post(f"/api/v1/orders/{order.id}/accept", headers=as_user(session, world["cook"]))
    assert response.status_code == 404  # no longer its order to see
    response = client.post(f"/api/v1/orders/{order.id}/accept", headers=as_user(session, world["other_cook"]))
    assert response.status_code == 200 and response.json["status"] == "accepted"


def test_the_group_is_reminded_before_expiry_and_the_day_before_delivery(session, world):
    order = orders.place_order(session, world["office"], order_input(deliver_on=_in_days(2)))
    counts = orders.expire_due(session, order.expires_at - timedelta(minutes=10))
    assert counts["reminded"] == 1
    assert orders.expire_due(session, order.expires_at - timedelta(minutes=5))["reminded"] == 0  # once
    orders.accept(session, world["cook"], order)
    day_before = datetime.combine(order.deliver_on - timedelta(days=1), datetime.min.time()) + timedelta(hours=3)
    assert orders.expire_due(session, day_before)["day_before"] == 1
    kinds = set(session.scalars(select(Notification.kind).where(Notification.user_id == world["cook"].id)))
    assert {"nglarisi.order_new", "nglarisi.order_reminder", "nglarisi.order_tomorrow"} <= kinds
    office_kinds = set(session.scalars(select(Notification.kind).where(Notification.user_id == world["office"].id)))
    assert "nglarisi.order_accepted" in office_kinds


def test_the_signed_link_accepts_without_login_once(app, session, world):
    app.config["WTF_CSRF_ENABLED"] = False
    order = orders.place_order(session, world["office"], order_input())
    session.commit()
    link = orders.answer_link(order)
    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 200 and "Terima pesanan" in page.text
    assert session.get(Order, order.id).status == OrderStatus.OFFERED  # looking changes nothing
    assert client.post(link, data={"answer": "accept"}).status_code == 200
    session.expire_all()
    assert session.get(Order, order.id).status == OrderStatus.ACCEPTED
    again = client.post(link, data={"answer": "decline"})
    assert again.status_code == 409
    assert client.get(link.replace("/o/", "/o/x")).status_code == 404


def _accept_in_thread(app, order_id, user_id, results, barrier):
    with app.app_context():
        from gandeng.accounts.models import User

        user = db.session.get(User, user_id)
        order = db.session.get(Order, order_id)
        barrier.wait()
        try:
            orders.accept(db.session, user, order)
            db.session.commit()
            results.append("won")
        except Conflict:
            db.session.rollback()
            results.append("409")
        finally:
            db.session.remove()


def test_two_accepts_at_once_exactly_one_wins(app, session, world):
    order = orders.place_order(session, world["office"], order_input())
    session.commit()
    results, barrier = [], threading.Barrier(3)
    threads = [threading.Thread(target=_accept_in_thread, args=(app, order.id, uid, results, barrier))
               for uid in (world["cook"].id, world["staff"].id, world["cook"].id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["409", "409", "won"]
    session.expire_all()
    assert session.get(Order, order.id).status == OrderStatus.ACCEPTED
    steps = [s.action for s in session.get(Order, order.id).history]
    assert steps.count("accepted") == 1


def test_delivery_payment_and_two_low_ratings_ask_staff_for_a_visit(session, world):
    first_group = world["first"]
    for rating in (2, 1):
        order = orders.place_order(session, world["office"], order_input(portions=10, budget_rp=300_000))
        if order.group_id != first_group.id:
            orders.decline(session, world["other_cook"], order)
        orders.accept(session, world["cook"], order)
        with pytest.raises(DomainError):
            orders.mark_delivered(session, world["cook"], order, portions=10, rating=rating)  # not the office's
        orders.mark_delivered(session, world["office"], order, portions=9, rating=rating, comment="Nasi dingin")
    assert first_group.visit_needed_at is not None
    assert orders.owed_to_group(session, first_group)["owed_rp"] == 2 * 10 * 20_000
    with pytest.raises(DomainError):
        orders.mark_paid(session, world["office"], order, paid_on=_in_days(5), amount_rp=200_000)  # future
    with pytest.raises(Conflict):
        orders.mark_paid(session, world["office"], orders.place_order(session, world["office"], order_input()),
                         paid_on=date.today(), amount_rp=1)  # not delivered
    order.deliver_on = date.today() - timedelta(days=20)
    order.delivered_at = utcnow() - timedelta(days=15)
    assert orders.is_overdue(order)
    orders.mark_paid(session, world["office"], order, paid_on=date.today(), amount_rp=200_000)
    assert order.status == OrderStatus.PAID and not orders.is_overdue(order)


def test_the_office_may_pick_another_able_group_with_a_reason(session, world):
    order = orders.place_order(session, world["office"], order_input())
    with pytest.raises(DomainError):
        orders.pick_group(session, world["office"], order, world["second"].id, " ")
    orders.pick_group(session, world["office"], order, world["second"].id, "Langganan rapat koordinasi")
    assert order.group_id == world["second"].id
    assert order.history[-1].action == "picked" and order.history[-1].note == "Langganan rapat koordinasi"
    with pytest.raises(Conflict):
        orders.accept(session, world["cook"], order)  # the first group's offer ended with the pick


def test_capacity_held_by_offered_orders_is_not_offered_twice(session, world):
    services.update_group(session, world["staff"], world["first"], {"capacity_per_day": 50})
    services.update_group(session, world["staff"], world["second"], {"capacity_per_day": 50})
    a = orders.place_order(session, world["office"], order_input(portions=40))
    b = orders.place_order(session, world["office"], order_input(portions=40))
    assert {a.group_id, b.group_id} == {world["first"].id, world["second"].id}
    with pytest.raises(DomainError):
        orders.place_order(session, world["office"], order_input(portions=40))


def test_the_staff_home_lists_visits_overdue_payments_and_the_office_home_its_orders(client, session, world):
    import re

    from tests.conftest import login

    first = world["first"]
    first.visit_needed_at = utcnow()
    order = orders.place_order(session, world["office"], order_input())
    orders.accept(session, None, order, group_id=order.group_id)
    orders.mark_delivered(session, world["office"], order, portions=40, rating=4)
    order.delivered_at = utcnow() - timedelta(days=15)
    f.make_group(session, name="Dapur Baru", status="pending")
    session.commit()
    login(client, world["staff"])
    page = client.get("/").text
    counts = dict(re.findall(r'data-queue="(\w+)">.*?home-count">(\d+)</span>', " ".join(page.split())))
    assert counts["groups_visit"] == "1" and counts["payments_overdue"] == "1" and counts["groups_curate"] == "1"
    client.post("/logout")
    login(client, world["office"])
    home = client.get("/")
    assert home.status_code == 200 and "Pesan makanan" in home.text and "14 hari" in home.text


def test_the_order_form_says_the_chosen_date_back_in_words_like_the_need_form(client, session, world):
    """The browser's picker may show mm/dd/yyyy: the field is the need form's date field, which says the date
    in Indonesian under it ("Terbaca: 28 November 2026"; static/js/forms.js while typing, the server after)."""
    from gandeng.formatting import long_date
    from tests.conftest import login

    login(client, world["office"])
    form = client.get("/nglarisi/orders/new").text
    assert 'data-date="date-understood"' in form and 'id="date-understood"' in form
    day = _in_days(3)
    page = client.post("/nglarisi/orders/new", data={"date": day.strftime("%d/%m/%Y"), "time": "11:30",
                                                     "kelurahan": KRICAK, "portions": "0", "budget_rp": "1.200.000"})
    assert page.status_code == 422 and f"Terbaca: {long_date(day)}" in page.text


def test_the_api_order_list_comes_in_pages_that_never_repeat_or_skip_an_order(client, session, world):
    """Newest delivery first, two deliveries on one day ordered by id; a cursor page after page, an
    order placed meanwhile neither repeated nor skipped; without `per_page` one page of up to 500."""
    from tests.api.helpers import as_user

    for days in (3, 5, 5, 4):
        orders.place_order(session, world["office"], order_input(deliver_on=_in_days(days), portions=10),
                           now=daytime(9))
    session.commit()
    headers = as_user(session, world["office"])
    whole = client.get("/api/v1/orders", headers=headers).json
    assert whole["per_page"] == 500 and whole["total"] == 4 and whole["next"] is None
    expected = [o["id"] for o in whole["items"]]
    first = client.get("/api/v1/orders?per_page=2", headers=headers).json
    assert [o["id"] for o in first["items"]] == expected[:2] and first["next"]
    orders.place_order(session, world["office"], order_input(deliver_on=_in_days(6), portions=10), now=daytime(9))
    session.commit()  # lands before the cursor: not in the pages that follow
    rest, cursor = [], first["next"]
    while cursor:
        page = client.get(f"/api/v1/orders?per_page=2&after={cursor}", headers=headers).json
        rest += [o["id"] for o in page["items"]]
        cursor = page["next"]
    assert rest == expected[2:]
    bad = client.get("/api/v1/orders?after=bm90LWEtY3Vyc29y", headers=headers)
    assert bad.status_code == 422 and "after" in bad.json["error"]["fields"]
    assert client.get("/api/v1/orders?per_page=501", headers=headers).status_code == 422
