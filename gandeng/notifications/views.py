"""The user's notifications (and the unread count in the navigation bar); the staff's view of the outbox."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from gandeng.accounts.forms import EmptyForm
from gandeng import request_frame
from gandeng.accounts.policies import is_staff
from gandeng.db import db, utcnow
from gandeng.errors import DomainError
from gandeng.notifications import outbox as outbox_sender, queries, services
from gandeng.notifications.channels import whatsapp_configured
from gandeng.notifications.models import Notification, OutboxMessage
from gandeng.urls import safe_next
from gandeng.web import page_number, require

bp = Blueprint("notifications", __name__)

@bp.app_context_processor
def unread_notifications_helper():
    """`unread_notifications()` for the navigation bar: read with the user (gandeng.request_frame),
    or one query when the request wrote since; remembered for the rest of the request."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        key = "gandeng.unread_notifications"
        if key not in request.environ:
            try:
                request.environ[key] = request_frame.unread_count(db.session, current_user)
            except SQLAlchemyError:  # an error page after a failed transaction still renders
                return 0
        return request.environ[key]

    return {"unread_notifications": unread_notifications}


@bp.app_context_processor
def delivery_helper():
    """`delivery_for(link)` for templates/notifications/_delivery.html: staff only, [] for anyone else."""

    def delivery_for(link: str) -> list[dict]:
        if not (current_user.is_authenticated and is_staff(current_user)):
            return []
        return queries.last_delivery_by_party(db.session, link)

    return {"delivery_for": delivery_for}


# Notices whose link is where the reader answers (a Nglarisi order offered to a group): their button
# says so, as their text does ("Jawab sebelum ... lewat tautan ini").
ANSWER_KINDS = frozenset({"nglarisi.order_new", "nglarisi.order_reminder"})


@bp.get("/notifications")
@login_required
def index():
    page = db.paginate(queries.notifications_query(current_user), page=page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("notifications/index.html", page=page, button_form=EmptyForm(formdata=None),
                           answer_kinds=ANSWER_KINDS)


@bp.post("/notifications/read-all")
@login_required
def read_all():
    if EmptyForm().validate_on_submit():
        services.mark_all_read(db.session, current_user)
        db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)  # another user's notification: as if it did not exist
    if EmptyForm().validate_on_submit():
        services.mark_read(db.session, current_user, notification)
        db.session.commit()
    return redirect(safe_next(notification.link) or url_for("notifications.index"))


OUTBOX_LABELS = {
    "queued": _l("Antre"), "retrying": _l("Gagal, akan dicoba lagi"), "sent": _l("Terkirim"),
    "delivered": _l("Sampai"), "read": _l("Dibaca"), "failed": _l("Gagal"),
    "late": _l("Belum sampai setelah 1 jam"), "held": _l("Menunggu ringkasan harian"),
}


@bp.get("/outbox")
@login_required
def outbox():
    """Staff only: the outbox holds users' addresses and numbers."""
    require(is_staff(current_user))
    now = utcnow()
    state = request.args.get("state", "")
    state = state if state in queries.OUTBOX_FILTERS else ""
    channel = request.args.get("channel", "")
    channel = channel if channel in ("whatsapp", "email") else ""
    page = db.paginate(queries.outbox_query(state, now, channel), page=page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template(
        "notifications/outbox.html", page=page, state=state, channel=channel,
        counts=queries.outbox_counts(db.session, now),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
        whatsapp_configured=whatsapp_configured(),
        state_labels=OUTBOX_LABELS, button_form=EmptyForm(formdata=None),
    )


@bp.post("/outbox/<int:message_id>/retry")
@login_required
def retry(message_id):
    """Staff send a failed message again (also one whose earlier send is uncertain)."""
    require(is_staff(current_user))
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.channel == "inapp":
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            outbox_sender.retry(db.session, current_user, message, utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Pesan diantrekan untuk dikirim ulang."), "success")
    return redirect(url_for("notifications.outbox", state=request.form.get("state", "")))
