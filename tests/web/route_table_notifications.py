"""Expected statuses for notifications (every signed-in user, each their own) and the staff's outbox page."""
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
