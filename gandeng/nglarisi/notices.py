"""What Nglarisi tells a group, and how: the in-app/e-mail text, the parameters of Nglarisi's own WhatsApp
templates (gandeng.notifications.channels.TEMPLATES; wording for Meta in docs/nglarisi.md), and the group's
registered contact phone as one more recipient, so that a group without an account still hears of orders.

The contact phone is written to on the basis of the order agreement (the group registered the number to
receive orders, UU 27/2022 Pasal 20 ayat (2) huruf b); a BERHENTI reply from it stops the messages
(`stop_contact`). When a `group` account already has that number, the account's own channels carry the
message (its consent and choices), not a second copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from gandeng.accounts.models import UserStatus
from gandeng.formatting import long_date, rupiah, to_wib
from gandeng.nglarisi.models import Group, Order

# Each template's body parameters, in order (the names are for the docs and the tests).
TEMPLATE_PARAMS = {
    "ngl_pesanan_baru": ("office", "portions", "day", "time", "value", "until", "link"),
    "ngl_pengingat": ("portions", "office", "until", "link"),
    "ngl_h_minus_1": ("portions", "office", "day", "time", "kelurahan"),
    "ngl_pembayaran": ("amount", "office", "portions", "day", "paid_on"),
    "ngl_kurasi_ulang": ("group", "last_curated", "due"),
}


@dataclass
class Notice:
    kind: str
    message: object          # lazy text: each account reads it in its language
    params: list[str]        # the WhatsApp template's body parameters (Indonesian)
    link: str = ""
    secret: bool = False     # carries the one-tap answer link: blanked once sent


def _day(value) -> str:
    return long_date(value, "id")


def clock(value: str) -> str:
    """A stored "HH:MM" WIB time as Indonesians write it: 11.30."""
    return (value or "").replace(":", ".")


def answer_by(order: Order) -> str:
    """When the offer ends, e.g. "7 Desember 2026 08.00" (WIB)."""
    local = to_wib(order.expires_at)
    return f"{_day(local.date())} {local:%H.%M}"


def order_new(order: Order, link: str) -> Notice:
    values = dict(office=order.office.name, portions=order.portions, day=_day(order.deliver_on),
                  time=clock(order.deliver_time), value=rupiah(order.value_rp), until=answer_by(order))
    return Notice("nglarisi.order_new", _l(
        "Pesanan baru dari %(office)s: %(portions)d porsi untuk %(day)s pukul %(time)s WIB, %(value)s. Jawab "
        "sebelum %(until)s WIB lewat tautan ini (tanpa masuk).", **values),
        [values["office"], str(order.portions), values["day"], values["time"], values["value"], values["until"], link],
        link=link, secret=True)


def order_reminder(order: Order, link: str) -> Notice:
    until = to_wib(order.expires_at).strftime("%H.%M")
    return Notice("nglarisi.order_reminder", _l(
        "Pengingat: pesanan %(portions)d porsi dari %(office)s menunggu jawaban Anda sampai pukul %(until)s WIB.",
        portions=order.portions, office=order.office.name, until=until),
        [str(order.portions), order.office.name, until, link], link=link, secret=True)


def order_tomorrow(order: Order) -> Notice:
    return Notice("nglarisi.order_tomorrow", _l(
        "Besok: %(portions)d porsi untuk %(office)s pukul %(time)s WIB, diantar ke Kelurahan %(kelurahan)s.",
        portions=order.portions, office=order.office.name, time=clock(order.deliver_time),
        kelurahan=order.kelurahan.name),
        [str(order.portions), order.office.name, _day(order.deliver_on), clock(order.deliver_time),
         order.kelurahan.name],
        link=f"/nglarisi/orders/{order.id}")


def order_paid(order: Order) -> Notice:
    values = dict(amount=rupiah(order.paid_rp), office=order.office.name, portions=order.portions,
                  day=_day(order.deliver_on), paid_on=_day(order.paid_on))
    return Notice("nglarisi.order_paid", _l(
        "Pembayaran %(amount)s dari %(office)s untuk pesanan %(portions)d porsi tanggal %(day)s dicatat dibayar "
        "pada %(paid_on)s.", **values),
        [values["amount"], values["office"], str(order.portions), values["day"], values["paid_on"]],
        link=f"/nglarisi/orders/{order.id}")


def order_cancelled(order: Order, reason: str = "") -> Notice:
    """The generic template ({{1}} text, {{2}} link): a cancellation is rare and needs no own wording; the
    office's reason, when it gave one, goes with it."""
    if reason.strip():
        return Notice("nglarisi.order_cancelled", _l(
            "Pesanan %(portions)d porsi untuk %(day)s dibatalkan oleh kantor. Alasan: %(reason)s",
            portions=order.portions, day=_day(order.deliver_on), reason=reason.strip()), None)
    return Notice("nglarisi.order_cancelled", _l(
        "Pesanan %(portions)d porsi untuk %(day)s dibatalkan oleh kantor.", portions=order.portions,
        day=_day(order.deliver_on)), None)


def group_status(group: Group, status: str, reason: str) -> Notice:
    """Staff changed the group's status (generic template: {{1}} text, {{2}} link)."""
    if status == "suspended":
        message = _l("Kelompok %(group)s dihentikan sementara oleh petugas kota: tidak menerima pesanan baru. "
                     "Alasan: %(reason)s. Hubungi petugas kota untuk kurasi ulang.", group=group.name, reason=reason)
    elif status == "verified":
        message = _l("Kelompok %(group)s terverifikasi dan dapat menerima pesanan.", group=group.name)
    else:
        message = _l("Status kelompok %(group)s diubah petugas kota.", group=group.name)
    return Notice("nglarisi.group_status", message, None, link="/nglarisi/my-group")


def recurate(group: Group, due) -> Notice:
    values = dict(group=group.name, last=_day(group.last_curated_on), due=_day(due))
    return Notice("nglarisi.recurate", _l(
        "Kurasi ulang tahunan kelompok %(group)s: kurasi terakhir %(last)s. Petugas kota akan menghubungi Anda; "
        "siapkan dokumen dan foto terbaru sebelum %(due)s.", **values),
        [values["group"], values["last"], values["due"]], link="/nglarisi/my-group")


def contact_number(session, group: Group) -> str:
    """The group's contact phone when a notice should go to it directly: set, not stopped by BERHENTI,
    and not the number of an active account of the group (that account is told through its own channels)."""
    from gandeng.nglarisi.services import users_of_group

    phone = group.contact_phone or ""
    if not phone or group.contact_whatsapp_stopped_at is not None:
        return ""
    if any(u.phone == phone and u.status == UserStatus.ACTIVE for u in users_of_group(session, group)):
        return ""
    return phone


def tell_group(session, group: Group, notice: Notice, now: datetime) -> int:
    """The group's accounts (in-app, WhatsApp with consent, e-mail) and its contact phone (WhatsApp);
    returns how many recipients were told."""
    from gandeng.nglarisi.services import users_of_group
    from gandeng.notifications.services import notify, notify_number

    told = notify(session, users_of_group(session, group), notice.kind, notice.message, link=notice.link,
                  secret=notice.secret, now=now, whatsapp_params=notice.params)
    phone = contact_number(session, group)
    if phone and notify_number(session, phone, notice.kind, notice.message, notice.link, params=notice.params,
                               secret=notice.secret, now=now):
        told += 1
    return told


def stop_contact(session, phone_e164: str, now: datetime) -> int:
    """A BERHENTI reply from a number: groups with it as contact phone get no more WhatsApp notices
    (called by gandeng.notifications.preferences.stop_whatsapp); returns how many groups."""
    groups = list(session.scalars(select(Group).where(Group.contact_phone == phone_e164,
                                                      Group.contact_whatsapp_stopped_at.is_(None))))
    for group in groups:
        group.contact_whatsapp_stopped_at = now
    session.flush()
    return len(groups)


def restart_contact(group: Group) -> None:
    """A new contact phone (entered by the group or staff) starts without the old number's BERHENTI."""
    group.contact_whatsapp_stopped_at = None

