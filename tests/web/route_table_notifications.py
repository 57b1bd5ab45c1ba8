"""Expected statuses for notifications (every signed-in user, each their own), the staff's outbox, the
profile page, account recovery and the WhatsApp webhook."""
from gandeng.notifications.services import notify
from tests.web.routes import Route, expect

SIGNED_IN_PAGE = expect(200, anon=302)
SIGNED_IN_ACTION = expect(302)

ROUTES = [
    Route("GET", "/notifications", "/notifications", SIGNED_IN_PAGE),
    Route("GET", "/notifications", "/notifications?page=3", SIGNED_IN_PAGE, note="past the last page"),
    Route("POST", "/notifications/read-all", "/notifications/read-all", SIGNED_IN_ACTION),
    Route("POST", "/notifications/<int:notification_id>/open", "/notifications/{notification}/open",
          expect(404, anon=302, coordinator=302), note="only its owner may open it"),
    Route("POST", "/notifications/<int:notification_id>/open", "/notifications/999999/open",
          expect(404, anon=302), note="missing"),
    Route("GET", "/outbox", "/outbox", expect(403, anon=302, staff=200, admin=200)),
    Route("GET", "/outbox", "/outbox?state=failed&page=2", expect(403, anon=302, staff=200, admin=200),
          note="filtered"),
    Route("GET", "/outbox", "/outbox?state=late&channel=whatsapp", expect(403, anon=302, staff=200, admin=200),
          note="not delivered after an hour, WhatsApp"),
    Route("POST", "/outbox/<int:message_id>/retry", "/outbox/{failed_message}/retry",
          expect(403, anon=302, staff=302, admin=302)),
    Route("POST", "/outbox/<int:message_id>/retry", "/outbox/999999/retry",
          expect(403, anon=302, staff=404, admin=404), note="missing"),
    # issue 14: profile, account recovery, the WhatsApp webhook
    Route("GET", "/profile", "/profile", SIGNED_IN_PAGE),
    Route("POST", "/profile/notifications", "/profile/notifications", SIGNED_IN_ACTION,
          data={"phone": "0812 3456 7890", "email_enabled": "y"}),
    Route("POST", "/profile/password", "/profile/password", expect(400, anon=302),
          data={"current_password": "bukan-sandinya", "password": "kebun-salak-di-gunung-77",
                "password_again": "kebun-salak-di-gunung-77"}, note="wrong current password"),
    Route("GET", "/password/forgot", "/password/forgot", expect(200)),
    Route("POST", "/password/forgot", "/password/forgot", expect(200), data={"identifier": "siapa@contoh.id"}),
    Route("GET", "/password/reset/<token>", "/password/reset/bukan-token", expect(404)),
    Route("POST", "/password/reset/<token>", "/password/reset/bukan-token", expect(404),
          data={"password": "kebun-salak-di-gunung-77", "password_again": "kebun-salak-di-gunung-77"}),
    Route("POST", "/admin/users/<int:user_id>/password-link", "/admin/users/{coordinator_user}/password-link",
          expect(403, anon=302, staff=200, admin=200), note="shown once"),
    Route("GET", "/webhooks/whatsapp", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1",
          expect(403), note="no verify token set"),
    Route("POST", "/webhooks/whatsapp", "/webhooks/whatsapp", expect(403), data={"entry": "x"},
          note="unsigned"),
]


def extend_world(session, world):
    """A notification (with a queued e-mail) for the world's coordinator."""
    from sqlalchemy import select

    from gandeng.notifications.models import Notification

    coordinator = world["users"]["coordinator"]
    need = world["need_verified"]
    notify(session, [coordinator], "need.verify", "Kebutuhan diverifikasi.", f"/needs/{need.id}",
           email_subject="Kebutuhan diverifikasi")
    notification = session.scalars(
        select(Notification).where(Notification.user_id == coordinator.id).order_by(Notification.id.desc())
    ).first()
    world["ids"]["notification"] = notification.id
    from gandeng.notifications.models import MessageStatus, OutboxMessage

    failed = OutboxMessage(channel="email", kind="need.verify", user_id=coordinator.id,
                           to_address=coordinator.email, subject="Kebutuhan diverifikasi", body="x",
                           status=MessageStatus.FAILED, attempts=5, last_error="HTTP 500")
    session.add(failed)
    session.flush()
    world["ids"]["failed_message"] = failed.id
