"""`flask worker` sends the outbox when REDIS_URL is set: one round in burst mode, a round every minute
(the OutboxLoop thread) otherwise. In CI a missing Redis fails."""
import time

from sqlalchemy import select

from gandeng.db import db
from gandeng.notifications.jobs import OutboxLoop
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage
from gandeng.notifications.preferences import grant_whatsapp_consent
from gandeng.notifications.services import notify
from tests import factories as f


def _queue_one(session):
    user = f.make_coordinator(session, phone="081234567890")
    grant_whatsapp_consent(session, user)
    notify(session, [user], "need.verify", "Kebutuhan diverifikasi.", "/needs/1")
    session.commit()


def _whatsapp_status(session):
    session.expire_all()
    return session.scalar(select(OutboxMessage.status).where(OutboxMessage.channel == Channel.WHATSAPP))


def test_burst_worker_sends_the_outbox(app, runner, session, cloud_api, redis_url):
    app.config.update(REDIS_URL=redis_url, MATCHING_QUEUE="matching-notify-test")
    _queue_one(session)
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert _whatsapp_status(session) == MessageStatus.SENT and len(cloud_api.received) == 1


def test_the_loop_sends_what_becomes_due_while_it_runs(app, session, cloud_api):
    loop = OutboxLoop(app, every=0.1)
    loop.start()
    try:
        _queue_one(db.session)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _whatsapp_status(session) != MessageStatus.SENT:
            time.sleep(0.05)
    finally:
        loop.stop()
        loop.join(5)
    assert _whatsapp_status(session) == MessageStatus.SENT and len(cloud_api.received) == 1
    assert loop.rounds >= 1 and not loop.is_alive()
