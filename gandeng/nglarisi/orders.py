"""Orders: placed by an office, offered to one group at a time, accepted (exactly once), moved on when
declined or not answered in time, delivered, paid. Services flush, never commit.

Races: accepting, declining and expiring are each ONE conditional UPDATE on the order row (status
`offered`, this group, this attempt, before/after `expires_at`): on PostgreSQL the row lock makes the
second writer re-check the condition after the first commits, on SQLite the database write lock does;
whoever finds the condition false gets a Conflict (409) and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask import current_app, has_app_context
from flask_babel import gettext as _, lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from gandeng.accounts.models import Role
from gandeng.accounts.policies import is_staff
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import Conflict, DomainError, NotAllowed, NotFound
from gandeng.formatting import WIB, long_date
from gandeng.nglarisi import hours, notices, proposer, texts
from gandeng.nglarisi.models import (
    HOLDING, PLACED, Group, GroupStatus, Order, OrderStatus, OrderStep,
)
from gandeng.nglarisi.services import group_of, office_of, users_of_office
from gandeng.reference.models import Kelurahan
from gandeng.transactions import begin_write

MAX_PORTIONS = 5000
MAX_RP = 10_000_000_000  # Rp10 miliar: far above any office's meal order or payment; catches typos
EXPIRY_REMINDER = timedelta(minutes=30)  # the group is reminded this long before its offer ends
OVERDUE_AFTER = timedelta(days=14)       # delivered and not paid for this long: flagged
LOW_RATING = 3                           # two ratings below this in a row: a staff visit
_SALT = "nglarisi-order-answer"


def accept_minutes() -> int:
    return int(current_app.config.get("ORDER_ACCEPT_MINUTES") or 120) if has_app_context() else 120


def answer_hours() -> tuple:
    """The waking hours (WIB) the answer window counts in: ORDER_ANSWER_HOURS, default 06:00-21:00."""
    return hours.parse_hours(current_app.config.get("ORDER_ANSWER_HOURS") if has_app_context() else None)


# --- reading ------------------------------------------------------------------------------------

def visible_orders(session, user):
    """The orders `user` may see: staff all, an office its own, a group those offered or placed with it."""
    query = select(Order)
    if is_staff(user):
        return query
    if user.role == Role.OFFICE:
        office = office_of(session, user)
        return query.where(Order.office_id == (office.id if office else -1))
    if user.role == Role.GROUP:
        group = group_of(session, user)
        return query.where(Order.group_id == (group.id if group else -1))
    return query.where(False)


def can_view(session, user, order: Order) -> bool:
    return session.scalar(visible_orders(session, user).where(Order.id == order.id).with_only_columns(Order.id)) \
        is not None


def load_order(session, user, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None or not can_view(session, user, order):
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


def steps_seen_by(order: Order, group_id: int | None) -> list[tuple["OrderStep", list]]:
    """The order's steps with their reasons as `group_id` may see them (None: the office or staff, all of
    them). A group sees the order's own steps and its own, never another group's price, rotation or refusal,
    and no step shows it the office's budget (what the office could pay at most)."""
    if group_id is None:
        return [(step, step.reasons or []) for step in order.history]
    return [(step, [(code, {k: v for k, v in (params or {}).items() if k != "budget"})
                    for code, params in step.reasons or []])
            for step in order.history if step.group_id in (None, group_id)]


def is_overdue(order: Order, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return order.status == OrderStatus.DELIVERED and order.delivered_at is not None \
        and now - order.delivered_at > OVERDUE_AFTER


# --- the proposer's inputs ------------------------------------------------------------------------

def _distance(session):
    from gandeng.sister.services import city_geography  # numpy: loaded on the ordering path only

    geography = city_geography(session)

    def distance_km(a: str, b: str) -> float:
        return float(geography.distance_km[geography.index[a], geography.index[b]])

    return distance_km


def candidates(session, deliver_on: date, now: datetime, exclude_order_id: int | None = None) \
        -> list[proposer.Candidate]:
    """Every group (the proposer sorts out who can make it) with what it holds that day and its
    placed value this month."""
    held = dict(session.execute(
        select(Order.group_id, func.sum(Order.portions))
        .where(Order.deliver_on == deliver_on, Order.status.in_(HOLDING), Order.group_id.is_not(None),
               Order.id != (exclude_order_id or -1))
        .group_by(Order.group_id)).all())
    month_start = deliver_on.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    month_value = dict(session.execute(
        select(Order.group_id, func.sum(Order.value_rp))
        .where(Order.deliver_on >= month_start, Order.deliver_on < month_end, Order.status.in_(PLACED))
        .group_by(Order.group_id)).all())
    ever = set(session.scalars(select(Order.group_id).where(Order.status.in_(PLACED)).distinct()))
    new_since = now - timedelta(days=proposer.NEW_GROUP_DAYS)
    result = []
    for group in session.scalars(select(Group).where(Group.status == GroupStatus.VERIFIED).order_by(Group.id)):
        days_off = frozenset(date.fromisoformat(d) for d in (group.days_off or []))
        result.append(proposer.Candidate(
            group_id=group.id, name=group.name, kelurahan_code=group.kelurahan_code, verified=True,
            capacity_per_day=group.capacity_per_day, used_portions=int(held.get(group.id) or 0),
            lead_time_hours=group.lead_time_hours, days_off=days_off, cheapest_rp=group.cheapest_rp,
            month_value_rp=int(month_value.get(group.id) or 0), max_distance_km=group.max_distance_km,
            new=group.id not in ever or (group.verified_at is not None and group.verified_at >= new_since)))
    return result


def proposal_for(session, order: Order, now: datetime, skip=()) -> proposer.Proposal:
    request = proposer.Request(deliver_on=order.deliver_on, deliver_at=order.deliver_at, now=now,
                               kelurahan_code=order.kelurahan_code, portions=order.portions,
                               budget_rp=order.budget_rp, answer_minutes=accept_minutes(),
                               answer_hours=answer_hours())
    return proposer.propose(request, candidates(session, order.deliver_on, now, order.id), _distance(session),
                            skip=skip)


def tried_groups(order: Order) -> list[int]:
    return [step.group_id for step in order.history if step.action in ("offered", "picked") and step.group_id]


# --- placing --------------------------------------------------------------------------------------

@dataclass
class OrderInput:
    deliver_on: date
    deliver_time: str
    kelurahan_code: str
    portions: int
    budget_rp: int
    note: str = ""


def _clock_text(clock) -> str:
    """A WIB time written "11.30", "11:30" or "9.30" as "HH:MM" (time.fromisoformat reads that)."""
    text = str(clock or "").strip().replace(".", ":")
    hour, sep, minute = text.partition(":")
    if sep and hour.isdigit() and minute.isdigit() and len(hour) <= 2 and len(minute) == 2:
        return f"{int(hour):02d}:{minute}"
    return text


def parse_when(day, clock) -> tuple[date, str, datetime]:
    """(date, "HH:MM", UTC moment) from a date and a WIB time, or a DomainError."""
    try:
        deliver_on = day if isinstance(day, date) else date.fromisoformat(str(day).strip())
    except ValueError:
        raise DomainError(_("Tanggal tidak sah. Tulis misalnya 2026-12-31."), "date") from None
    try:
        clock_value = clock if isinstance(clock, time) else time.fromisoformat(_clock_text(clock))
    except ValueError:
        raise DomainError(_("Jam tidak sah. Tulis misalnya 11.30."), "time") from None
    local = datetime.combine(deliver_on, clock_value.replace(second=0, microsecond=0), tzinfo=WIB)
    moment = local.astimezone(timezone.utc).replace(tzinfo=None)
    return deliver_on, clock_value.strftime("%H:%M"), moment


def check_input(session, data: OrderInput, deliver_at: datetime, now: datetime) -> None:
    if deliver_at <= now:
        raise DomainError(_("Waktu antar sudah lewat. Pilih tanggal dan jam yang akan datang."), "date")
    if deliver_at - now > timedelta(days=366):
        raise DomainError(_("Pesanan paling jauh satu tahun ke depan."), "date")
    if not 1 <= data.portions <= MAX_PORTIONS:
        raise DomainError(_("Jumlah porsi harus antara 1 dan %(max)d.", max=MAX_PORTIONS), "portions")
    if data.budget_rp <= 0:
        raise DomainError(_("Anggaran harus lebih dari nol."), "budget_rp")
    if session.get(Kelurahan, data.kelurahan_code) is None:
        raise DomainError(_("Kelurahan tempat antar tidak dikenal."), "kelurahan")
    if len(data.note or "") > 1000:
        raise DomainError(_("Catatan paling panjang 1.000 huruf."), "note")


def place_order(session, actor, data: OrderInput, now: datetime | None = None) -> Order:
    """An office's order, offered at once to the proposer's first group; refused (nothing stored) when it
    is in the past, too big for any group, below the cheapest menu or no group can make it."""
    now = now or utcnow()
    office = office_of(session, actor)
    if office is None:
        raise NotAllowed(_("Hanya akun kantor (OPD) yang dapat memesan."))
    begin_write(session)  # SQLite: capacity read and offer written under one write lock
    deliver_on, clock, deliver_at = parse_when(data.deliver_on, data.deliver_time)
    check_input(session, data, deliver_at, now)
    order = Order(office_id=office.id, created_by_id=actor.id, deliver_on=deliver_on, deliver_time=clock,
                  deliver_at=deliver_at, kelurahan_code=data.kelurahan_code, portions=data.portions,
                  budget_rp=data.budget_rp, note=(data.note or "").strip(), status=OrderStatus.OFFERED,
                  created_at=now)
    proposal = proposal_for(session, order, now)
    if proposal.best is None:
        raise DomainError(texts.refusal(proposal.refusal, proposal.refusal_params, data.portions), "portions")
    session.add(order)
    session.flush()
    _offer(session, order, proposal.best, now, actor, "offered")
    record(session, actor, "nglarisi.order_place", order,
           after={"portions": order.portions, "budget_rp": order.budget_rp, "group_id": order.group_id})
    return order


def _offer(session, order: Order, ranked: proposer.Ranked, now: datetime, actor, action: str, note: str = "") -> None:
    order.group_id = ranked.group_id
    order.price_per_portion_rp, order.value_rp = ranked.price_per_portion_rp, ranked.value_rp
    order.status = OrderStatus.OFFERED
    group = session.get(Group, ranked.group_id)
    # Waking minutes only, and never after the group's lead time starts (gandeng.nglarisi.hours).
    deadline, shortened = hours.answer_deadline(now, accept_minutes(), order.deliver_at, group.lead_time_hours,
                                                answer_hours())
    order.offered_at, order.expires_at = now, deadline
    order.expiry_reminded_at = None
    order.attempt = (order.attempt or 0) + 1
    answer_by = ("answer_by", {"until": deadline.isoformat(), "shortened": shortened, "hours": group.lead_time_hours})
    session.add(OrderStep(order=order, group_id=ranked.group_id, action=action, note=note,
                          reasons=[[code, params] for code, params in [*ranked.reasons, answer_by]],
                          actor_id=getattr(actor, "id", None), created_at=now))
    session.flush()
    notices.tell_group(session, group, notices.order_new(order, _link(order)), now)


def answer_link(order: Order) -> str:
    """The signed, single-use link of the current offer: it names the order, the group and the attempt;
    once the offer is answered, expired or moved on, the attempt no longer matches."""
    token = URLSafeTimedSerializer(current_app.secret_key, salt=_SALT).dumps(
        {"o": order.id, "g": order.group_id, "a": order.attempt})
    return f"/nglarisi/o/{token}"  # a path: the outbox makes it absolute (PUBLIC_BASE_URL); no request needed


def read_answer_token(token: str, max_age_s: int) -> dict | None:
    try:
        data = URLSafeTimedSerializer(current_app.secret_key, salt=_SALT).loads(token, max_age=max_age_s)
    except BadSignature:
        return None
    return data if isinstance(data, dict) and {"o", "g", "a"} <= set(data) else None


def _link(order: Order) -> str:
    return answer_link(order) if has_app_context() else ""


def _tell_office(session, order: Order, kind: str, message, now: datetime) -> None:
    from gandeng.notifications.services import notify

    notify(session, users_of_office(session, order.office_id), kind, message, link=f"/nglarisi/orders/{order.id}",
           now=now)


def pick_group(session, actor, order: Order, group_id: int, reason: str, now: datetime | None = None) -> None:
    """The office offers its waiting order to another group of the list instead, saying why."""
    now = now or utcnow()
    office = office_of(session, actor)
    if office is None or office.id != order.office_id:
        raise NotAllowed(_("Hanya kantor pemesan yang dapat memilih kelompok lain."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Tuliskan alasan memilih kelompok lain."), "reason")
    if order.status != OrderStatus.OFFERED:
        raise Conflict(_("Pesanan ini tidak lagi menunggu jawaban."))
    proposal = proposal_for(session, order, now, skip=[order.group_id])
    chosen = next((r for r in proposal.ranked if r.group_id == group_id), None)
    if chosen is None:
        raise DomainError(_("Kelompok itu tidak dapat membuat pesanan ini."), "group_id")
    claimed = session.execute(update(Order).where(
        Order.id == order.id, Order.status == OrderStatus.OFFERED, Order.attempt == order.attempt)
        .values(attempt=Order.attempt + 1).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise Conflict(_("Pesanan ini baru saja berubah. Muat ulang halaman."))
    session.refresh(order)
    _offer(session, order, chosen, now, actor, "picked", note=reason)


# --- answering ------------------------------------------------------------------------------------

def _acting_group(session, actor, order: Order, group_id: int | None) -> int:
    if is_staff(actor):
        return order.group_id
    own = group_of(session, actor) if actor is not None else None
    if own is not None:
        return own.id
    if group_id is not None:  # the signed link speaks for the group
        return group_id
    raise NotAllowed(_("Hanya kelompok yang ditawari yang dapat menjawab."))


def _gone(session, order: Order, group_id: int) -> Conflict:
    session.refresh(order)
    if order.status == OrderStatus.ACCEPTED and order.group_id == group_id:
        return Conflict(_("Pesanan ini sudah diterima."))
    if order.group_id != group_id or order.status != OrderStatus.OFFERED:
        return Conflict(_("Tawaran ini sudah berakhir: pesanan sudah dialihkan atau dijawab."))
    return Conflict(_("Waktu menjawab sudah habis; pesanan dialihkan ke kelompok berikutnya."))


def accept(session, actor, order: Order, now: datetime | None = None, *, group_id: int | None = None,
           attempt: int | None = None) -> None:
    """The offered group (or staff for it) accepts: exactly one answer wins; late or second answers 409."""
    now = now or utcnow()
    gid = _acting_group(session, actor, order, group_id)
    conditions = [Order.id == order.id, Order.status == OrderStatus.OFFERED, Order.group_id == gid,
                  Order.expires_at > now]
    if attempt is not None:
        conditions.append(Order.attempt == attempt)
    won = session.execute(update(Order).where(*conditions).values(status=OrderStatus.ACCEPTED, accepted_at=now)
                          .execution_options(synchronize_session=False)).rowcount
    if won != 1:
        raise _gone(session, order, gid)
    session.refresh(order)
    session.add(OrderStep(order=order, group_id=gid, action="accepted", actor_id=getattr(actor, "id", None),
                          created_at=now))
    session.flush()
    record(session, actor, "nglarisi.order_accept", order, after={"group_id": gid})
    _tell_office(session, order, "nglarisi.order_accepted", _l(
        "Pesanan %(portions)d porsi untuk %(day)s diterima oleh %(group)s.", portions=order.portions,
        day=long_date(order.deliver_on), group=order.group.name), now)


def decline(session, actor, order: Order, reason: str = "", now: datetime | None = None, *,
            group_id: int | None = None, attempt: int | None = None) -> None:
    """The offered group says no: the order moves on to the next group at once."""
    now = now or utcnow()
    gid = _acting_group(session, actor, order, group_id)
    conditions = [Order.id == order.id, Order.status == OrderStatus.OFFERED, Order.group_id == gid,
                  Order.expires_at > now]
    if attempt is not None:
        conditions.append(Order.attempt == attempt)
    claimed = session.execute(update(Order).where(*conditions).values(attempt=Order.attempt + 1)
                              .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise _gone(session, order, gid)
    session.refresh(order)
    session.add(OrderStep(order=order, group_id=gid, action="declined", note=(reason or "").strip()[:500],
                          actor_id=getattr(actor, "id", None), created_at=now))
    session.flush()
    move_on(session, order, now)


def move_on(session, order: Order, now: datetime) -> None:
    """Offer the order to the next able group not tried yet, or mark it unplaced and tell the office."""
    proposal = proposal_for(session, order, now, skip=tried_groups(order))
    if proposal.best is not None:
        _offer(session, order, proposal.best, now, None, "offered")
        _tell_office(session, order, "nglarisi.order_moved", _l(
            "Pesanan %(portions)d porsi untuk %(day)s dialihkan ke %(group)s.", portions=order.portions,
            day=long_date(order.deliver_on), group=order.group.name), now)
        return
    order.status, order.group_id, order.expires_at = OrderStatus.UNPLACED, None, None
    order.price_per_portion_rp = order.value_rp = 0
    session.add(OrderStep(order=order, action="unplaced", created_at=now,
                          note=texts.refusal(proposal.refusal or "none_able", proposal.refusal_params, order.portions)))
    session.flush()
    _tell_office(session, order, "nglarisi.order_unplaced", _l(
        "Tidak ada kelompok lagi yang dapat membuat pesanan %(portions)d porsi untuk %(day)s.",
        portions=order.portions, day=long_date(order.deliver_on)), now)


def _move_each_on(session, claimable, condition, action: str, now: datetime, group_id: int | None = None) -> int:
    """Claim each (order id, attempt) still matching `condition` by a conditional UPDATE (a second
    process, or an answer meanwhile, wins instead: skipped), record the step `action` and offer the
    order to the next able group. Returns how many moved on."""
    moved = 0
    for order_id, attempt in claimable:
        claimed = session.execute(update(Order).where(
            Order.id == order_id, Order.status == OrderStatus.OFFERED, Order.attempt == attempt, condition)
            .values(attempt=Order.attempt + 1).execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            continue
        order = session.get(Order, order_id)
        session.refresh(order)
        session.add(OrderStep(order=order, group_id=group_id if group_id is not None else order.group_id,
                              action=action, created_at=now))
        session.flush()
        move_on(session, order, now)
        moved += 1
    return moved


def withdraw_offers(session, group: Group, now: datetime | None = None) -> int:
    """A suspended group's unanswered offers move on to the next able group, each with a
    "withdrawn" step (the group's answer link stops working with it). Returns how many."""
    now = now or utcnow()
    offered = session.execute(select(Order.id, Order.attempt).where(
        Order.status == OrderStatus.OFFERED, Order.group_id == group.id).order_by(Order.id)).all()
    return _move_each_on(session, offered, Order.group_id == group.id, "withdrawn", now, group.id)


def accepted_ahead(session, group: Group, today: date) -> int:
    """Orders the group accepted for today or later: suspending does not take them away."""
    return session.scalar(select(func.count()).select_from(Order).where(
        Order.group_id == group.id, Order.status == OrderStatus.ACCEPTED, Order.deliver_on >= today)) or 0


def expire_due(session, now: datetime | None = None) -> dict:
    """Offers not answered by `expires_at` move on; reminders before expiry and the day before delivery.
    Safe to run in several processes: each transition is claimed by a conditional UPDATE."""
    now = now or utcnow()
    counts = {"expired": 0, "reminded": 0, "day_before": 0}
    due = session.execute(select(Order.id, Order.attempt).where(
        Order.status == OrderStatus.OFFERED, Order.expires_at <= now).order_by(Order.expires_at)).all()
    counts["expired"] = _move_each_on(session, due, Order.expires_at <= now, "expired", now)
    # The reminder comes EXPIRY_REMINDER of waking time before the offer ends, never at night.
    waking = answer_hours()
    awake = hours.waking_minutes_between(now, now + timedelta(minutes=1), waking) > 0
    soon = session.scalars(select(Order).where(
        Order.status == OrderStatus.OFFERED, Order.expires_at > now, Order.expires_at <= now + timedelta(days=1),
        Order.expiry_reminded_at.is_(None))).all() if awake else []
    limit = EXPIRY_REMINDER.total_seconds() / 60
    for order in [o for o in soon if hours.waking_minutes_between(now, o.expires_at, waking) <= limit]:
        if session.execute(update(Order).where(Order.id == order.id, Order.expiry_reminded_at.is_(None))
                           .values(expiry_reminded_at=now).execution_options(synchronize_session=False)).rowcount:
            notices.tell_group(session, order.group, notices.order_reminder(order, _link(order)), now)
            counts["reminded"] += 1
    tomorrow = (now.replace(tzinfo=timezone.utc).astimezone(WIB) + timedelta(days=1)).date()
    for order in session.scalars(select(Order).where(
            Order.status == OrderStatus.ACCEPTED, Order.deliver_on == tomorrow,
            Order.day_before_reminded_at.is_(None))).all():
        if session.execute(update(Order).where(Order.id == order.id, Order.day_before_reminded_at.is_(None))
                           .values(day_before_reminded_at=now)
                           .execution_options(synchronize_session=False)).rowcount:
            notices.tell_group(session, order.group, notices.order_tomorrow(order), now)
            counts["day_before"] += 1
    session.flush()
    return counts


# --- after the meal -------------------------------------------------------------------------------

def _require_own_office(session, actor, order: Order) -> None:
    office = office_of(session, actor)
    if not is_staff(actor) and (office is None or office.id != order.office_id):
        raise NotAllowed(_("Hanya kantor pemesan yang dapat melakukan ini."))


def mark_delivered(session, actor, order: Order, *, portions: int, rating: int, comment: str = "",
                   now: datetime | None = None) -> None:
    """The office confirms delivery (portions received, quality 1-5, comment). Two ratings below 3 in a
    row for the group ask staff for a visit (a task on the staff home)."""
    now = now or utcnow()
    _require_own_office(session, actor, order)
    if not 1 <= (rating or 0) <= 5:
        raise DomainError(_("Nilai mutu harus 1 sampai 5."), "rating")
    if portions is None or not 0 <= portions <= order.portions:
        raise DomainError(_("Porsi diterima harus antara 0 dan %(n)d.", n=order.portions), "portions")
    done = session.execute(update(Order).where(Order.id == order.id, Order.status == OrderStatus.ACCEPTED).values(
        status=OrderStatus.DELIVERED, delivered_at=now, portions_delivered=portions, rating=rating,
        comment=(comment or "").strip()[:1000]).execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise Conflict(_("Hanya pesanan yang sudah diterima kelompok yang dapat dikonfirmasi diantar."))
    session.refresh(order)
    session.add(OrderStep(order=order, group_id=order.group_id, action="delivered", actor_id=actor.id,
                          created_at=now))
    session.flush()
    record(session, actor, "nglarisi.order_delivered", order, after={"portions": portions, "rating": rating})
    last_two = session.scalars(select(Order.rating).where(
        Order.group_id == order.group_id, Order.rating.is_not(None))
        .order_by(Order.delivered_at.desc(), Order.id.desc()).limit(2)).all()
    if len(last_two) == 2 and all(r < LOW_RATING for r in last_two):
        order.group.visit_needed_at = order.group.visit_needed_at or now
        session.flush()


def mark_paid(session, actor, order: Order, *, paid_on: date, amount_rp: int, now: datetime | None = None) -> None:
    now = now or utcnow()
    _require_own_office(session, actor, order)
    if amount_rp is None or amount_rp <= 0:
        raise DomainError(_("Jumlah dibayar harus lebih dari nol."), "amount_rp")
    if paid_on is None or paid_on > now.replace(tzinfo=timezone.utc).astimezone(WIB).date():
        raise DomainError(_("Tanggal bayar tidak boleh di masa depan."), "paid_on")
    if order.delivered_at is not None and \
            paid_on < order.delivered_at.replace(tzinfo=timezone.utc).astimezone(WIB).date():
        raise DomainError(_("Tanggal bayar tidak boleh sebelum pengantaran dikonfirmasi."), "paid_on")
    done = session.execute(update(Order).where(Order.id == order.id, Order.status == OrderStatus.DELIVERED).values(
        status=OrderStatus.PAID, paid_on=paid_on, paid_rp=amount_rp)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise Conflict(_("Hanya pesanan yang sudah diantar yang dapat dicatat dibayar."))
    session.refresh(order)
    session.add(OrderStep(order=order, group_id=order.group_id, action="paid", actor_id=actor.id, created_at=now))
    session.flush()
    record(session, actor, "nglarisi.order_paid", order, after={"paid_rp": amount_rp, "paid_on": paid_on.isoformat()})
    notices.tell_group(session, order.group, notices.order_paid(order), now)


def cancel(session, actor, order: Order, reason: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    _require_own_office(session, actor, order)
    done = session.execute(update(Order).where(
        Order.id == order.id, Order.status.in_((OrderStatus.OFFERED, OrderStatus.ACCEPTED, OrderStatus.UNPLACED)))
        .values(status=OrderStatus.CANCELLED, attempt=Order.attempt + 1)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise Conflict(_("Pesanan ini tidak dapat dibatalkan lagi."))
    session.refresh(order)
    session.add(OrderStep(order=order, group_id=order.group_id, action="cancelled", note=(reason or "")[:500],
                          actor_id=actor.id, created_at=now))
    session.flush()
    if order.group is not None:
        notices.tell_group(session, order.group, notices.order_cancelled(order, (reason or "")[:300]), now)


def owed_to_group(session, group: Group) -> dict:
    """What a group has delivered and not been paid for yet (and how much of it is overdue)."""
    now = utcnow()
    rows = session.scalars(select(Order).where(Order.group_id == group.id,
                                               Order.status == OrderStatus.DELIVERED)).all()
    return {"orders": len(rows), "owed_rp": sum(o.value_rp for o in rows),
            "overdue_rp": sum(o.value_rp for o in rows if is_overdue(o, now)),
            "overdue": sum(1 for o in rows if is_overdue(o, now))}


def overdue_query(now: datetime | None = None):
    now = now or utcnow()
    return select(Order).where(Order.status == OrderStatus.DELIVERED, Order.delivered_at < now - OVERDUE_AFTER)
