"""Everything the platform holds about one signed-in user (UU 27/2022 Art. 32: the right of access), as
JSON and as a readable PDF; downloaded from /profile. Grouped by the records of processing (records.py).

What is *not* in it: other people's personal data. The households a coordinator named are the households'
data, not the coordinator's: the export lists the needs the user wrote and the consent they confirmed,
without the names and phones (the coordinator sees those on the need's page while the need is theirs)."""
from datetime import datetime

from sqlalchemy import select

from gandeng.api.models import ApiToken
from gandeng.audit.models import AuditEvent
from gandeng.formatting import to_wib
from gandeng.needs.models import Need
from gandeng.notifications.models import Notification, OutboxMessage
from gandeng.notifications.preferences import preference_of
from gandeng.privacy.requests import requests_of

LIMIT = 5000  # rows per section: an export stays a file a person can open


def _when(moment: datetime | None) -> str | None:
    return to_wib(moment).isoformat() if moment else None


def personal_data(session, user, now: datetime) -> dict:
    """The user's data, section by section; each section says which record of processing it belongs to."""
    preference = preference_of(session, user)
    needs = session.scalars(select(Need).where(Need.created_by_id == user.id).order_by(Need.id).limit(LIMIT))
    notifications = session.scalars(select(Notification).where(Notification.user_id == user.id)
                                    .order_by(Notification.id).limit(LIMIT))
    messages = session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id,
                                                           OutboxMessage.channel != "inapp")
                               .order_by(OutboxMessage.id).limit(LIMIT))
    events = session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)
                             .order_by(AuditEvent.id).limit(LIMIT))
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    return {
        "generated_at": _when(now),
        "controller": "Pemerintah Kota Yogyakarta — Gandeng Gendong",
        "account": {
            "record": "account",
            "name": user.name, "email": user.email, "phone": user.phone, "role": user.role, "status": user.status,
            "kampung": user.kampung.name if user.kampung else None,
            "organisation": user.organisation.name if user.organisation else None,
            "language": user.locale, "created_at": _when(user.created_at), "verified_at": _when(user.verified_at),
            "last_login_at": _when(user.last_login_at),
            "consent_version": user.consent_version or None, "consent_at": _when(user.consent_at),
        },
        "notification_preferences": {
            "record": "account",
            "email_enabled": preference.email_enabled, "whatsapp_enabled": preference.whatsapp_enabled,
            "whatsapp_consent_at": _when(preference.whatsapp_consent_at),
            "whatsapp_opt_out_at": _when(preference.whatsapp_opt_out_at), "daily_digest": preference.daily_digest,
        },
        "needs_written": [
            {"record": "beneficiaries", "id": n.id, "title": n.title, "status": n.status,
             "created_at": _when(n.created_at),
             "consent_confirmed_at": _when(n.beneficiaries_consent_at) if n.beneficiaries_consent_by_id == user.id
             else None,
             "anonymised_at": _when(n.anonymised_at)}
            for n in needs
        ],
        "notifications": [{"record": "account", "kind": n.kind, "message": n.message, "link": n.link,
                           "created_at": _when(n.created_at), "read_at": _when(n.read_at)} for n in notifications],
        "messages_sent_to_you": [{"record": "account", "channel": m.channel, "to": m.to_address, "kind": m.kind,
                                  "status": m.status, "created_at": _when(m.created_at)} for m in messages],
        "your_actions": [{"record": "audit", "action": e.action, "object": f"{e.object_type}/{e.object_id}",
                          "at": _when(e.created_at)} for e in events],
        "api_tokens": [{"record": "account", "name": t.name, "created_at": _when(t.created_at),
                        "expires_at": _when(t.expires_at), "revoked_at": _when(t.revoked_at)} for t in tokens],
        "privacy_requests": [{"record": "privacy_requests", "id": r.id, "kind": r.kind, "status": r.status,
                              "received_at": _when(r.received_at), "due_at": _when(r.due_at),
                              "outcome": r.outcome} for r in requests_of(session, user)],
    }


def personal_pdf(data: dict, locale: str, now: datetime):
    """The same data as a readable A4 PDF (a Flask response)."""
    from flask_babel import gettext as _

    from gandeng.reports.pdf import ReportPDF

    pdf = ReportPDF(_("Data pribadi Anda di Gandeng Gendong"), now, locale=locale)
    pdf.heading(_("Data pribadi Anda di Gandeng Gendong"))
    pdf.paragraph(_("Salinan semua data tentang Anda yang disimpan platform (UU 27/2022 Pasal 32). Berkas JSON "
                    "yang sama tersedia di halaman profil. Data orang lain (nama keluarga penerima) tidak "
                    "termasuk."))
    account = data["account"]
    pdf.subheading(_("Akun"))
    pdf.facts([(_("Nama"), account["name"]), (_("Email"), account["email"]), (_("Nomor HP"), account["phone"] or "–"),
               (_("Peran"), account["role"]), (_("Status"), account["status"]),
               (_("Kampung"), account["kampung"] or "–"), (_("Organisasi"), account["organisation"] or "–"),
               (_("Terdaftar"), account["created_at"] or "–"),
               (_("Persetujuan kebijakan privasi"),
                f"{account['consent_version']} ({account['consent_at']})" if account["consent_version"] else "–")])
    prefs = data["notification_preferences"]
    pdf.subheading(_("Pilihan pemberitahuan"))
    pdf.facts([(_("Email"), _("ya") if prefs["email_enabled"] else _("tidak")),
               (_("WhatsApp"), _("ya") if prefs["whatsapp_enabled"] else _("tidak")),
               (_("Persetujuan WhatsApp"), prefs["whatsapp_consent_at"] or "–")])
    sections = (
        (_("Kebutuhan yang Anda tulis"), data["needs_written"], ("id", "title", "status", "consent_confirmed_at"),
         (15, 90, 30, 45)),
        (_("Pesan yang dikirim kepada Anda"), data["messages_sent_to_you"], ("channel", "to", "kind", "created_at"),
         (25, 60, 45, 50)),
        (_("Tindakan Anda (jejak audit)"), data["your_actions"], ("action", "object", "at"), (60, 60, 60)),
        (_("Permintaan data pribadi Anda"), data["privacy_requests"], ("id", "kind", "status", "received_at"),
         (15, 45, 40, 80)),
    )
    for title, rows, keys, widths in sections:
        pdf.subheading(title)
        pdf.table_of(keys, [[row[k] if row[k] is not None else "–" for k in keys] for row in rows], widths)
    pdf.subheading(_("Pemberitahuan di aplikasi"))
    pdf.paragraph(_("%(n)d pemberitahuan (isi lengkap ada di berkas JSON).", n=len(data["notifications"])))
    return pdf.response(f"data-pribadi-{now:%Y%m%d}.pdf")
