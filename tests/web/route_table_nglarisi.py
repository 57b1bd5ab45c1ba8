"""Expected statuses for Nglarisi (issue 18): the office's order pages, the group's answers and profile, the
signed one-tap link (anyone holding it), staff curation and figures, the public catalogue, the API."""
from datetime import date, timedelta

from gandeng.formatting import today_wib
from tests.web.routes import Route, expect

STAFF_PAGE = expect(403, anon=302, staff=200, admin=200)
STAFF_ACTION = expect(403, anon=302, staff=302, admin=302)
ORDER_PAGE = expect(404, anon=302, office=200, group=200, staff=200, admin=200)
OFFICE_ACTION = expect(404, anon=302, office=302, group=403, staff=302, admin=302)
GROUP_ANSWER = expect(404, anon=302, office=403, group=302, staff=302, admin=302)
CSRF = expect(400, anon=401)
FUTURE = (date.today() + timedelta(days=5)).isoformat()


def extend_world(session, world):
    """A second group (pending, with a bank account to verify) and three orders of the world's office with
    the world's group: offered, accepted, delivered; `order_token` is the offered one's signed link."""
    from gandeng.nglarisi import orders, services
    from tests import factories as f

    office = world["users"]["office"]
    group = services.group_of(session, world["users"]["group"])
    pending = f.make_group(session, name="Dapur Melati", status="pending", kelurahan_code="34.71.05.1002",
                           bank_account_number="0012345", bank_name="BPD DIY")

    def placed():
        return orders.place_order(session, office, orders.OrderInput(
            deliver_on=date.today() + timedelta(days=4), deliver_time="11:00", kelurahan_code="34.71.01.1001",
            portions=20, budget_rp=1_000_000))

    offered, accepted, delivered = placed(), placed(), placed()
    orders.accept(session, None, accepted, group_id=group.id)
    orders.accept(session, None, delivered, group_id=group.id)
    orders.mark_delivered(session, office, delivered, portions=20, rating=4)
    world["ids"].update(order_offered=offered.id, order_accepted=accepted.id, order_delivered=delivered.id,
                        order_token=orders.answer_link(offered).rsplit("/", 1)[1], ng_group=group.id,
                        ng_pending_group=pending.id)


ORDER_DATA = {"date": FUTURE, "time": "11:00", "kelurahan": "34.71.01.1001", "portions": "20", "budget_rp": "1.000.000"}
PROFILE = {"menu": "Nasi kotak ayam; 25000", "capacity_per_day": "80", "lead_time_hours": "24",
           "days_off": "2027-01-01", "contact_phone": "0812 2700 1234", "description": "Masakan rumahan"}

ROUTES = [
    Route("GET", "/nglarisi/orders", "/nglarisi/orders",
          expect(403, anon=302, office=200, group=200, staff=200, admin=200)),
    Route("GET", "/nglarisi/orders/new", "/nglarisi/orders/new", expect(403, anon=302, office=200)),
    Route("POST", "/nglarisi/orders/new", "/nglarisi/orders/new", expect(403, anon=302, office=302), data=ORDER_DATA),
    Route("POST", "/nglarisi/orders/new", "/nglarisi/orders/new", expect(403, anon=302, office=422),
          data={**ORDER_DATA, "date": "2020-01-01"}, note="in the past"),
    Route("GET", "/nglarisi/orders/<int:order_id>", "/nglarisi/orders/{order_offered}", ORDER_PAGE),
    Route("GET", "/nglarisi/orders/<int:order_id>", "/nglarisi/orders/999999",
          expect(404, anon=302), note="missing"),
    Route("POST", "/nglarisi/orders/<int:order_id>/accept", "/nglarisi/orders/{order_offered}/accept", GROUP_ANSWER),
    Route("POST", "/nglarisi/orders/<int:order_id>/accept", "/nglarisi/orders/{order_accepted}/accept",
          expect(404, anon=302, office=403, group=409, staff=409, admin=409), note="already accepted"),
    Route("POST", "/nglarisi/orders/<int:order_id>/decline", "/nglarisi/orders/{order_offered}/decline",
          GROUP_ANSWER, data={"reason": "Penuh"}),
    Route("POST", "/nglarisi/orders/<int:order_id>/pick", "/nglarisi/orders/{order_offered}/pick",
          expect(404, anon=302, office=422, group=403, staff=403, admin=403),
          data={"group_id": "{ng_pending_group}", "reason": "Langganan"}, note="a pending group cannot"),
    Route("POST", "/nglarisi/orders/<int:order_id>/delivered", "/nglarisi/orders/{order_accepted}/delivered",
          OFFICE_ACTION, data={"portions": "20", "rating": "4", "comment": "Enak"}),
    Route("POST", "/nglarisi/orders/<int:order_id>/paid", "/nglarisi/orders/{order_delivered}/paid",
          OFFICE_ACTION, data={"paid_on": today_wib().isoformat(), "amount_rp": "400.000"}),
    Route("POST", "/nglarisi/orders/<int:order_id>/cancel", "/nglarisi/orders/{order_offered}/cancel",
          OFFICE_ACTION, data={"reason": "Rapat batal"}),
    Route("GET", "/nglarisi/o/<token>", "/nglarisi/o/{order_token}", expect(200)),
    Route("GET", "/nglarisi/o/<token>", "/nglarisi/o/not-a-token", expect(404), note="forged"),
    Route("POST", "/nglarisi/o/<token>", "/nglarisi/o/{order_token}", expect(200), data={"answer": "accept"}),
    Route("GET", "/nglarisi/my-group", "/nglarisi/my-group", expect(403, anon=302, group=200)),
    Route("POST", "/nglarisi/my-group", "/nglarisi/my-group", expect(403, anon=302, group=302), data=PROFILE),
    Route("POST", "/nglarisi/my-group", "/nglarisi/my-group", expect(403, anon=302, group=422),
          data={**PROFILE, "menu": "Nasi kotak; gratis"}, note="bad menu"),
    Route("GET", "/nglarisi/groups", "/nglarisi/groups", STAFF_PAGE),
    Route("GET", "/nglarisi/groups/<int:group_id>", "/nglarisi/groups/{ng_group}", STAFF_PAGE),
    Route("POST", "/nglarisi/groups/<int:group_id>/status", "/nglarisi/groups/{ng_pending_group}/status",
          STAFF_ACTION, data={"status": "verified"}),
    Route("POST", "/nglarisi/groups/<int:group_id>/bank", "/nglarisi/groups/{ng_pending_group}/bank", STAFF_ACTION),
    Route("POST", "/nglarisi/groups/<int:group_id>/visited", "/nglarisi/groups/{ng_group}/visited", STAFF_ACTION),
    Route("POST", "/nglarisi/groups/<int:group_id>/members", "/nglarisi/groups/{ng_group}/members", STAFF_ACTION,
          data={"name": "Sri Rahayu", "nik": "3471014107950001", "kms_pkh": "y"}),
    Route("POST", "/nglarisi/groups/<int:group_id>/members", "/nglarisi/groups/{ng_group}/members",
          expect(403, anon=302, staff=422, admin=422), data={"name": "Sri", "nik": "1234"}, note="bad NIK"),
    Route("GET", "/nglarisi/stats", "/nglarisi/stats?year=2026", STAFF_PAGE),
    Route("GET", "/nglarisi/stats.csv", "/nglarisi/stats.csv", STAFF_PAGE),
    Route("GET", "/nglarisi/report.pdf", "/nglarisi/report.pdf?month=2026-11", STAFF_PAGE),
    Route("POST", "/nglarisi/budgets", "/nglarisi/budgets", STAFF_ACTION,
          data={"office": "Dinas Kesehatan", "year": "2026", "food_budget_rp": "500 juta"}),
    Route("GET", "/nglarisi/katalog", "/nglarisi/katalog", expect(200)),
    Route("GET", "/nglarisi/katalog/<int:group_id>", "/nglarisi/katalog/{ng_group}", expect(200)),
    Route("GET", "/nglarisi/katalog/<int:group_id>", "/nglarisi/katalog/{ng_pending_group}", expect(404),
          note="not verified"),
    Route("GET", "/api/v1/orders", "/api/v1/orders", expect(403, anon=401, office=200, group=200, staff=200,
                                                              admin=200)),
    Route("POST", "/api/v1/orders", "/api/v1/orders", CSRF),
    Route("GET", "/api/v1/orders/<int:order_id>", "/api/v1/orders/{order_offered}",
          expect(404, anon=401, office=200, group=200, staff=200, admin=200)),
    Route("POST", "/api/v1/orders/<int:order_id>/accept", "/api/v1/orders/{order_offered}/accept", CSRF),
    Route("POST", "/api/v1/orders/<int:order_id>/decline", "/api/v1/orders/{order_offered}/decline", CSRF),
    Route("POST", "/api/v1/orders/<int:order_id>/delivered", "/api/v1/orders/{order_accepted}/delivered", CSRF),
    Route("POST", "/api/v1/orders/<int:order_id>/paid", "/api/v1/orders/{order_delivered}/paid", CSRF),
    Route("GET", "/api/v1/nglarisi/stats", "/api/v1/nglarisi/stats?year=2026",
          expect(403, anon=401, staff=200, admin=200)),
]
