"""Suspending a group takes back the orders offered to it and not yet answered: each moves on to the
next able group (its answer link stops working), or is marked unplaced; the confirm step says how
many, and orders the group already accepted stay with it."""
import pytest
from sqlalchemy import select

from gandeng.errors import Conflict
from gandeng.nglarisi import orders, services
from gandeng.nglarisi.models import GroupStatus, Order, OrderStatus
from tests import factories as f
from tests.conftest import login
from tests.integration.test_nglarisi_orders import daytime, order_input, world  # noqa: F401  (fixture)


def test_suspending_moves_an_unanswered_offer_to_the_next_group(session, world):  # noqa: F811
    order = orders.place_order(session, world["office"], order_input(), now=daytime(10))
    session.commit()
    assert order.group_id == world["first"].id
    attempt = order.attempt
    moved = services.set_group_status(session, world["staff"], world["first"], GroupStatus.SUSPENDED,
                                      "Dapur sedang diperbaiki")
    session.commit()
    assert moved == 1
    session.refresh(order)
    assert order.status == OrderStatus.OFFERED and order.group_id == world["second"].id
    assert [step.action for step in order.history][-2:] == ["withdrawn", "offered"]
    # The first group's one-tap answer (its attempt) no longer counts.
    with pytest.raises(Conflict):
        orders.accept(session, None, order, group_id=world["first"].id, attempt=attempt)


def test_with_no_other_group_the_order_is_unplaced_and_an_accepted_order_stays(session, world):  # noqa: F811
    services.set_group_status(session, world["staff"], world["second"], GroupStatus.SUSPENDED, "Libur panjang")
    accepted = orders.place_order(session, world["office"], order_input(), now=daytime(9))
    orders.accept(session, world["cook"], accepted, now=daytime(9, 5))
    waiting = orders.place_order(session, world["office"], order_input(portions=20, budget_rp=600_000),
                                 now=daytime(10))
    session.commit()
    assert waiting.group_id == world["first"].id
    assert services.set_group_status(session, world["staff"], world["first"], GroupStatus.SUSPENDED, "Izin habis") == 1
    session.commit()
    session.refresh(waiting)
    session.refresh(accepted)
    assert waiting.status == OrderStatus.UNPLACED and waiting.group_id is None
    assert accepted.status == OrderStatus.ACCEPTED and accepted.group_id == world["first"].id


def test_the_confirm_step_counts_what_will_move_and_what_stays(session, world, client):  # noqa: F811
    accepted = orders.place_order(session, world["office"], order_input(), now=daytime(9))
    orders.accept(session, world["cook"], accepted, now=daytime(9, 5))
    orders.place_order(session, world["office"], order_input(portions=20, budget_rp=600_000), now=daytime(10))
    session.commit()
    login(client, world["staff"])
    group_id = world["first"].id
    confirm = client.get(f"/nglarisi/groups/{group_id}/status/suspended").text
    assert "1 pesanan yang sedang ditawarkan ke kelompok ini dan belum dijawab akan dialihkan" in confirm
    assert "1 pesanan yang sudah diterima kelompok ini tetap pada kelompok ini" in confirm
    done = client.post(f"/nglarisi/groups/{group_id}/status/suspended", data={"note": "Keluhan kebersihan"},
                       follow_redirects=True).text
    assert "1 pesanan yang belum dijawab dialihkan ke kelompok berikutnya." in done
    still = session.scalars(select(Order).where(Order.status == OrderStatus.OFFERED)).all()
    assert [o.group_id for o in still] == [world["second"].id]


def test_the_group_that_accepted_sees_who_ordered_and_their_whatsapp(session, client):
    """Phone walk: the group knew the kelurahan only, not whom to bring the food to."""
    office = f.make_office_user(session, email="bu.ani@contoh.id", name="Bu Ani (Dinkes)", phone="081234567890")
    group = f.make_group(session, name="Dapur Kricak", kelurahan_code="34.71.01.1001")
    cook = f.make_group_user(session, group=group, email="kricak@contoh.id")
    order = orders.place_order(session, office, order_input(), now=daytime(10))
    session.commit()
    login(client, cook)
    before = client.get(f"/nglarisi/orders/{order.id}").text
    assert "Bu Ani (Dinkes)" not in before and "wa.me" not in before  # not before it accepts
    orders.accept(session, cook, order, now=daytime(10, 5))
    session.commit()
    after = client.get(f"/nglarisi/orders/{order.id}").text
    assert "Pemesan" in after and "Bu Ani (Dinkes)" in after and "https://wa.me/6281234567890" in after


def test_the_group_sees_its_price_and_never_the_offices_budget(session, client):
    """Phone walk: the group read what the office could pay at most (Rp1.200.000) beside its own price."""
    office = f.make_office_user(session, email="kantor.anggaran@contoh.id")
    group = f.make_group(session, name="Dapur Kricak", kelurahan_code="34.71.01.1001")
    cook = f.make_group_user(session, group=group, email="kricak.anggaran@contoh.id")
    order = orders.place_order(session, office, order_input(budget_rp=1_200_000), now=daytime(10))
    session.commit()
    value = f"Rp{order.value_rp:,}".replace(",", ".")
    assert order.value_rp and order.value_rp < 1_200_000
    login(client, cook)
    seen = client.get(f"/nglarisi/orders/{order.id}").text
    assert "Rp1.200.000" not in seen and "Anggaran" not in seen
    assert "Nilai pesanan" in seen and value in seen
    client.post("/logout")
    login(client, office)
    for_office = client.get(f"/nglarisi/orders/{order.id}").text
    assert "Rp1.200.000" in for_office and value in for_office


def test_through_the_api_a_group_sees_neither_the_budget_nor_the_other_groups_steps(session, client, world):
    """Review: the page hid the budget, the JSON answer did not (budget_rp and the price_fits reason)."""
    from tests.api.helpers import as_user

    order = orders.place_order(session, world["office"], order_input(budget_rp=1_200_000), now=daytime(10))
    session.commit()
    first_group = order.group_id
    cook, other = ((world["cook"], world["other_cook"]) if first_group == world["first"].id
                   else (world["other_cook"], world["cook"]))
    declined = client.post(f"/api/v1/orders/{order.id}/decline", json={"reason": "Libur"},
                           headers=as_user(session, cook)).json
    # The order moved on: the declining group sees its own steps, not the next group's name, price or reasons.
    assert "budget_rp" not in declined and declined["group"] is None and declined["value_rp"] is None
    assert "1200000" not in str(declined)
    assert {s["group"] for s in declined["history"]} <= {None, session.get(type(world["first"]), first_group).name}
    session.expire_all()
    held = client.get(f"/api/v1/orders/{order.id}", headers=as_user(session, other)).json
    assert "budget_rp" not in held and held["value_rp"] > 0
    assert all("budget" not in params for step in held["history"] for _code, params in step["reasons"])
    listed = client.get("/api/v1/orders", headers=as_user(session, other)).json["items"]
    assert [o["id"] for o in listed] == [order.id] and "budget_rp" not in listed[0]
    office = client.get(f"/api/v1/orders/{order.id}", headers=as_user(session, world["office"])).json
    assert office["budget_rp"] == 1_200_000 and len(office["history"]) > len(held["history"])


def test_cancelling_an_order_takes_two_taps_and_its_reason_reaches_the_group(session, client, world):
    """Phone walk: "Batalkan pesanan" cancelled at one tap, and the group learnt only "dibatalkan"."""
    from gandeng.notifications.models import Notification

    order = orders.place_order(session, world["office"], order_input(), now=daytime(10))
    session.commit()
    login(client, world["office"])
    page = client.get(f"/nglarisi/orders/{order.id}").text
    fold = page[page.index('<details class="order-cancel'):]
    assert fold.index("<summary") < fold.index('action="/nglarisi/orders/') < fold.index("</details>")
    assert "Ya, batalkan pesanan ini" in fold
    # The office can call or message the group in one tap (its phone was plain text).
    assert f'href="tel:{order.group.contact_phone}"' in page and "WhatsApp kelompok" in page
    client.post(f"/nglarisi/orders/{order.id}/cancel", data={"reason": "Rapat diundur ke pekan depan"})
    session.expire_all()
    assert session.get(Order, order.id).status == OrderStatus.CANCELLED
    told = session.scalars(select(Notification).where(Notification.kind == "nglarisi.order_cancelled")).all()
    assert told and all("Alasan: Rapat diundur ke pekan depan" in n.message for n in told)
