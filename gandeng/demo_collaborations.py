"""Demo collaborations for `flask seed-demo`: made through the real services (manual match, confirm,
progress with a photo, completion, cancel, decline), then dated back so that the dashboard and
the public page show several quarters of history. Found again by their idempotency key
(demo-C01, ...), so a second run adds nothing."""
import io
from datetime import datetime, timedelta

from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from gandeng import demo_data as data
from gandeng.audit.models import AuditEvent
from gandeng.collaborations import services
from gandeng.collaborations.models import Commitment, ProgressPhoto, ProgressReport
from gandeng.collaborations.queries import commitment_with_key
from gandeng.db import utcnow
from gandeng.needs.models import Need
from gandeng.notifications.models import Notification
from gandeng.offers.models import Offer

CREATED_TO_VERIFIED = timedelta(days=4)  # a need's creation to its verification, in the demo
SUBMITTED_AFTER = timedelta(hours=20)


def demo_photo(seed: int) -> FileStorage:
    """A small generated PNG standing in for a photo of the work (no real place or person)."""
    from PIL import Image, ImageDraw  # lazy: Pillow only when the demo is seeded

    colours = [(31, 95, 70), (217, 130, 43), (60, 120, 180), (162, 59, 114), (107, 142, 35)]
    image = Image.new("RGB", (480, 360), (236, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 480, 360), fill=(190, 180, 160))  # ground
    colour = colours[seed % len(colours)]
    draw.rectangle((90 + seed * 7 % 60, 120, 330 + seed * 7 % 60, 260), fill=colour)  # the work
    draw.polygon([(70 + seed * 7 % 60, 120), (210 + seed * 7 % 60, 50), (350 + seed * 7 % 60, 120)],
                 fill=(120, 60, 40))
    draw.ellipse((390, 30, 450, 90), fill=(250, 210, 80))
    out = io.BytesIO()
    image.save(out, "PNG")
    return FileStorage(stream=io.BytesIO(out.getvalue()), filename=f"foto-kegiatan-{seed}.png")


def _set_audit_times(session, object_type: str, object_id: int, times: dict[str, datetime]) -> None:
    for action, moment in times.items():
        if moment is not None:
            session.execute(update(AuditEvent).where(
                AuditEvent.object_type == object_type, AuditEvent.object_id == object_id, AuditEvent.action == action,
            ).values(created_at=moment))


def _date_need(session, need: Need, verified: datetime) -> None:
    created = verified - CREATED_TO_VERIFIED
    submitted = created + SUBMITTED_AFTER
    session.execute(update(Need).where(Need.id == need.id).values(
        created_at=created, submitted_at=submitted, verified_at=verified,
    ).execution_options(synchronize_session=False))
    _set_audit_times(session, Need.__tablename__, need.id,
                     {"need.create": created, "need.submit": submitted, "need.verify": verified})


def _date_collaboration(session, commitment: Commitment, times: dict) -> None:
    values = {name: times[name] for name in ("created_at", "confirmed_at", "completion_reported_at",
                                              "completed_at", "closed_at") if times.get(name)}
    last = max(values.values())
    session.execute(update(Commitment).where(Commitment.id == commitment.id)
                    .values(**values, updated_at=last).execution_options(synchronize_session=False))
    if times.get("progress_at"):
        reports = [r.id for r in commitment.reports]
        first, rest = reports[:1], reports[1:]
        session.execute(update(ProgressReport).where(ProgressReport.id.in_(first))
                        .values(created_at=times["progress_at"]).execution_options(synchronize_session=False))
        session.execute(update(ProgressReport).where(ProgressReport.id.in_(rest))
                        .values(created_at=times.get("completion_reported_at") or times["progress_at"])
                        .execution_options(synchronize_session=False))
        session.execute(update(ProgressPhoto).where(ProgressPhoto.report_id.in_(first))
                        .values(created_at=times["progress_at"]).execution_options(synchronize_session=False))
    _set_audit_times(session, Commitment.__tablename__, commitment.id, {
        "collaboration.manual_match": times["created_at"],
        "collaboration.confirm": times.get("confirmed_at"),
        "collaboration.progress": times.get("progress_at"),
        "collaboration.complete": times.get("completion_reported_at"),
        "collaboration.confirm_completion": times.get("completed_at"),
        "collaboration.cancel": times.get("closed_at"),
        "collaboration.decline": times.get("closed_at"),
    })
    session.execute(update(Notification).where(Notification.link == f"/collaborations/{commitment.id}")
                    .values(created_at=last).execution_options(synchronize_session=False))


def seed_collaborations(session, staff, coordinators: dict, partners: dict) -> int:
    """The demo collaborations that are missing; returns how many were added. `coordinators`
    and `partners` map the demo keys to (kampung, user) and (organisation, user)."""
    kampung_key = {row[0]: row[1] for row in data.NEEDS}
    offer_key = {row[0]: row[1] for row in data.OFFERS}
    now = utcnow().replace(microsecond=0)
    added = 0
    for number, row in enumerate(data.COLLABORATIONS, start=1):
        (ref, need_ref, offer_ref, amount, outcome, days_ago, wait, percent, realised,
         to_completion, reached, text) = row
        key = f"demo-{ref}"
        if commitment_with_key(session, key) is not None:
            continue
        need = session.scalars(select(Need).where(Need.ref == f"DEMO-{need_ref}")).one()
        offer = session.scalars(select(Offer).where(Offer.ref == f"DEMO-{offer_ref}")).one()
        partner = partners[offer_key[offer_ref]][1]
        coordinator = coordinators[kampung_key[need_ref]][1]
        commitment = services.manual_match(session, staff, need, offer, amount, idempotency_key=key)
        approved = now - timedelta(days=days_ago, hours=number)
        times = {"created_at": approved}
        if outcome == "declined":
            services.decline_collaboration(session, partner, commitment, data.DECLINE_REASON)
            times["closed_at"] = approved + timedelta(days=3)
        elif outcome != "awaiting":
            services.confirm_collaboration(session, partner, commitment)
            times["confirmed_at"] = approved + timedelta(days=2)
            services.report_progress(session, partner, commitment, percent if outcome != "completed" else 80,
                                     text, realised, photos=[demo_photo(number)])
            times["progress_at"] = min(approved + timedelta(days=20), now - timedelta(days=1))
        if outcome == "completed":
            services.report_completion(session, partner, commitment, reached, text)
            services.confirm_completion(session, coordinator, commitment)
            times["completed_at"] = approved + timedelta(days=to_completion)
            times["completion_reported_at"] = times["completed_at"] - timedelta(days=2)
            times["progress_at"] = min(times["progress_at"], times["completion_reported_at"])
        elif outcome == "cancelled":
            services.cancel_collaboration(session, staff, commitment, data.CANCEL_REASON)
            times["closed_at"] = times["progress_at"] + timedelta(days=30)
        session.flush()
        _date_need(session, need, approved - timedelta(days=wait))
        _date_collaboration(session, commitment, times)
        added += 1
    session.expire_all()
    return added
