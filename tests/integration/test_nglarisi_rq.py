"""Nglarisi expiry through a real Redis and an RQ worker (REDIS_URL); in CI a missing Redis fails."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from gandeng.db import db
from gandeng.nglarisi import jobs, orders
from gandeng.nglarisi.models import Order, OrderStatus
from gandeng.proposals.jobs import matching_queue
from tests import factories as f
from tests.conftest import make_app
from tests.integration.test_nglarisi_orders import order_input


@pytest.fixture
def rq_app(tmp_path, template_db, redis_url):
    app = make_app(tmp_path, template_db, REDIS_URL=redis_url, MATCHING_QUEUE=f"nglarisi-{uuid.uuid4().hex[:12]}")
    with app.app_context():
        yield app
        matching_queue(redis_url).delete(delete_jobs=True)
        db.session.remove()
        db.engine.dispose()


def test_the_worker_moves_an_expired_offer_to_the_next_group(rq_app, redis_url):
    from rq import SimpleWorker

    office = f.make_office_user(db.session)
    first = f.make_group(db.session, name="Dapur Satu")
    second = f.make_group(db.session, name="Dapur Dua", kelurahan_code="34.71.05.1002")
    order = orders.place_order(db.session, office, order_input())
    db.session.commit()
    assert order.group_id == first.id
    # The offer's time is up (as if ORDER_ACCEPT_MINUTES had passed).
    db.session.execute(update(Order).where(Order.id == order.id)
                       .values(expires_at=order.offered_at - timedelta(minutes=1)))
    db.session.commit()

    result = rq_app.test_cli_runner().invoke(args=["orders", "expire", "--enqueue"])
    assert result.exit_code == 0 and result.output.startswith("queued ")
    queue = matching_queue(redis_url)
    assert queue.count == 1
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    db.session.expire_all()
    moved = db.session.get(Order, order.id)
    assert moved.status == OrderStatus.OFFERED and moved.group_id == second.id
    assert [s.action for s in moved.history] == ["offered", "expired", "offered"]
    assert queue.count == 0 and queue.failed_job_registry.count == 0


def test_orders_expire_without_redis_runs_in_this_process(runner, session):
    office = f.make_office_user(session)
    f.make_group(session, name="Dapur Tunggal")
    order = orders.place_order(session, office, order_input())
    order.expires_at = order.offered_at - timedelta(minutes=1)
    session.commit()
    result = runner.invoke(args=["orders", "expire"])
    assert result.exit_code == 0 and "1 expired offer(s) moved on" in result.output
    session.expire_all()
    assert session.get(Order, order.id).status == OrderStatus.UNPLACED
