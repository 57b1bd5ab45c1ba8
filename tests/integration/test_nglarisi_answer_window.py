"""An order placed at night: the group answers in the morning; the reminder and the expiry job follow
the same deadline; the office's order page says when and why."""
import re

import pytest
from sqlalchemy import select

from gandeng.nglarisi import orders
from gandeng.nglarisi.models import OrderStatus
from gandeng.notifications.models import Notification
from tests import factories as f
from tests.integration.test_nglarisi_orders import KRICAK, _in_days, daytime, order_input


def test_a_night_order_waits_for_the_morning_and_the_reminder_and_expiry_follow_it(session, client):
    office = f.make_office_user(session, email="kantor@contoh.id")
    group = f.make_group(session, name="Dapur Kricak", kelurahan_code=KRICAK)
    cook = f.make_group_user(session, group=group, email="kricak@contoh.id")
    session.commit()
    night = daytime(23, 48)
    order = orders.place_order(session, office, order_input(), now=night)
    session.commit()
    assert order.expires_at == daytime(8, 0, days=1)  # 120 minutes counted from 06.00
    told = session.scalars(select(Notification).where(Notification.user_id == cook.id)).one()
    assert "Jawab sebelum" in told.message and "08.00 WIB" in told.message
    # At 01.48 (when the old rule ended the offer) nothing moves, and nobody is woken up.
    assert orders.expire_due(session, daytime(1, 48, days=1)) == {"expired": 0, "reminded": 0, "day_before": 0}
    assert orders.expire_due(session, daytime(5, 50, days=1))["reminded"] == 0  # still night
    assert orders.expire_due(session, daytime(7, 25, days=1))["reminded"] == 0
    assert orders.expire_due(session, daytime(7, 31, days=1))["reminded"] == 1
    assert order.status == OrderStatus.OFFERED
    assert orders.expire_due(session, daytime(8, 0, days=1))["expired"] == 1
    session.commit()


def test_the_order_page_says_until_when_the_group_may_answer_and_why(session, client):
    from tests.conftest import login

    office = f.make_office_user(session, email="kantor@contoh.id")
    f.make_group(session, name="Dapur Kricak", kelurahan_code=KRICAK)
    session.commit()
    order = orders.place_order(session, office, order_input(), now=daytime(23, 48))
    session.commit()
    login(client, office)
    page = client.get(f"/nglarisi/orders/{order.id}").text
    assert "08.00 WIB" in page and "dihitung pada jam 06.00–21.00 WIB saja" in page


def test_a_next_morning_order_shortens_the_window_to_the_groups_lead_time(session):
    office = f.make_office_user(session, email="kantor@contoh.id")
    f.make_group(session, name="Dapur Kilat", kelurahan_code=KRICAK, lead_time_hours=12)
    session.commit()
    # At 21.30 for 19.00 tomorrow, with 12 hours to cook: 120 waking minutes would end at 08.00.
    order = orders.place_order(session, office, order_input(deliver_on=_in_days(1), deliver_time="19.00"),
                               now=daytime(21, 30))
    assert order.expires_at == daytime(7, 0, days=1)  # the group must know by 07.00 to have its 12 hours
    step = order.history[0]
    assert ["answer_by", {"until": order.expires_at.isoformat(), "shortened": True, "hours": 12}] in step.reasons


def test_an_order_no_group_can_answer_in_waking_time_is_refused_with_the_reason(session):
    from gandeng.errors import DomainError

    office = f.make_office_user(session, email="kantor@contoh.id")
    f.make_group(session, name="Dapur Kilat", kelurahan_code=KRICAK, lead_time_hours=12)
    session.commit()
    # At 23.48 for 18.05 tomorrow: the group would have to answer by 06.05, 5 waking minutes.
    with pytest.raises(DomainError) as refused:
        orders.place_order(session, office, order_input(deliver_on=_in_days(1), deliver_time="18:05"),
                           now=daytime(23, 48))
    assert "Tidak ada kelompok yang sempat menjawab: pesanan dijawab pada jam 06.00–21.00 WIB" \
        in refused.value.message


def test_order_pages_write_times_distances_with_the_indonesian_separators(session, client):
    from tests.conftest import login

    office = f.make_office_user(session, email="kantor@contoh.id")
    f.make_group(session, name="Dapur Kricak", kelurahan_code=KRICAK)
    f.make_group(session, name="Dapur Terban", kelurahan_code="34.71.05.1002")
    session.commit()
    order = orders.place_order(session, office, order_input(deliver_time="11.30"), now=daytime(10))
    session.commit()
    assert order.deliver_time == "11:30"  # stored as before
    login(client, office)
    page = client.get(f"/nglarisi/orders/{order.id}").text
    assert "11.30 WIB" in page and "11:30" not in page
    # The group cooks in the kelurahan of delivery: said in words, not "sekitar 0,0 km".
    assert "Satu kelurahan dengan tempat antar." in page and "0,0" not in page and "0.0 km" not in page
    alternatives = page.split("Kelompok lain yang juga dapat")[1]
    # A no-break space keeps "km" with its number on a narrow phone.
    assert re.search(r"± \d+,\d\u00a0km", alternatives) and not re.search(r"± \d+\.\d", alternatives)
    assert "11.30 WIB" in client.get("/nglarisi/orders").text


def test_the_office_hears_of_its_order_with_the_day_in_words(session):
    from gandeng.formatting import long_date

    office = f.make_office_user(session, email="kantor@contoh.id")
    group = f.make_group(session, name="Dapur Kricak", kelurahan_code=KRICAK)
    session.commit()
    order = orders.place_order(session, office, order_input(), now=daytime(10))
    orders.accept(session, None, order, group_id=group.id, now=daytime(10, 30))
    told = session.scalars(select(Notification).where(Notification.user_id == office.id)).one()
    assert f"untuk {long_date(order.deliver_on)} diterima oleh Dapur Kricak" in told.message
