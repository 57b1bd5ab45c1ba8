"""Which channels a message takes, and the WhatsApp template each event uses.

In-app always; WhatsApp when the channel is configured, the person has a number, has consented and
has not replied BERHENTI; e-mail when the person has an address and has not switched e-mail off.
"""
from datetime import datetime, time, timedelta, timezone

from flask import current_app, has_app_context

from gandeng.notifications.models import Channel

WIB = timezone(timedelta(hours=7))
DIGEST_HOUR_WIB = 7  # the daily digest leaves at 07:00 WIB

# Approved-template names (Indonesian, language "id") per event; each takes two body parameters:
# {{1}} the message text, {{2}} the link. docs/notifications.md lists their wording for Meta's approval.
TEMPLATES = {
    "need.verify": "gg_kebutuhan_diverifikasi",
    "need.return": "gg_kebutuhan_dikembalikan",
    "need.reject": "gg_kebutuhan_ditolak",
    "collaboration.approved": "gg_kerja_sama_mohon_konfirmasi",
    "collaboration.confirmed": "gg_kerja_sama_dikonfirmasi",
    "collaboration.declined": "gg_kerja_sama_ditolak",
    "collaboration.progress": "gg_laporan_kemajuan",
    "collaboration.completion_reported": "gg_mohon_konfirmasi_selesai",
    "collaboration.completed": "gg_kerja_sama_selesai",
    "collaboration.cancelled": "gg_kerja_sama_dibatalkan",
    "user.verify": "gg_akun_aktif",
    "password.reset": "gg_atur_ulang_kata_sandi",
    "password.changed": "gg_kata_sandi_diubah",
    "reminder.confirm": "gg_pengingat_konfirmasi",
    "reminder.report": "gg_pengingat_laporan",
    "digest": "gg_ringkasan_harian",
    # Nglarisi (issue 18): own templates with their own body parameters (gandeng/nglarisi/notices.py,
    # docs/nglarisi.md gives the wording submitted to Meta).
    "nglarisi.order_new": "ngl_pesanan_baru",
    "nglarisi.order_reminder": "ngl_pengingat",
    "nglarisi.order_tomorrow": "ngl_h_minus_1",
    "nglarisi.order_paid": "ngl_pembayaran",
    "nglarisi.recurate": "ngl_kurasi_ulang",
}
GENERIC_TEMPLATE = "gg_pemberitahuan"
# Never held for a digest: they are useless a day late.
URGENT_KINDS = {"password.reset", "password.changed"}


def template_for(kind: str) -> str:
    return TEMPLATES.get(kind, GENERIC_TEMPLATE)


def settings() -> dict:
    """The app's settings where there is an app (services are also used from plain scripts)."""
    return current_app.config if has_app_context() else {}


def whatsapp_configured(config=None) -> bool:
    config = settings() if config is None else config
    return bool(config.get("WHATSAPP_API_URL") and config.get("WHATSAPP_PHONE_NUMBER_ID"))


def channels_for(user, preference, config=None) -> list[str]:
    """The outside channels (besides in-app) a message to `user` takes."""
    chosen = []
    if (whatsapp_configured(config) and user.phone and preference.whatsapp_enabled
            and preference.whatsapp_consent_at is not None and preference.whatsapp_opt_out_at is None):
        chosen.append(Channel.WHATSAPP)
    if user.email and preference.email_enabled:
        chosen.append(Channel.EMAIL)
    return chosen


def next_digest_at(now: datetime) -> datetime:
    """The next 07:00 WIB after `now` (naive UTC in, naive UTC out, as the database keeps them)."""
    local = now.replace(tzinfo=timezone.utc).astimezone(WIB)
    slot = datetime.combine(local.date(), time(DIGEST_HOUR_WIB), WIB)
    if slot <= local:
        slot += timedelta(days=1)
    return slot.astimezone(timezone.utc).replace(tzinfo=None)
