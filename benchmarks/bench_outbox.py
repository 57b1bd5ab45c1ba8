"""Benchmark of the outbox (not a test): how many messages per second `flask outbox send` sends.

    .venv/bin/python benchmarks/bench_outbox.py [--messages 2000] [--database-url URL]

Builds a throw-away database (SQLite in a temporary folder unless --database-url names an empty
PostgreSQL database, whose tables it DROPS), queues `--messages` WhatsApp messages (one user each, with
consent) by bulk insert, starts the test suite's local fake Cloud API (answering after --latency-ms) (tests/whatsapp_fake.py: the real
API cannot be reached from here), then runs the real `outbox send` command once and times it. Each
message costs two commits (the claim before the HTTP call, the result after it) and one HTTP request.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from gandeng.accounts.models import User  # noqa: E402
from gandeng.db import db, utcnow  # noqa: E402
from gandeng.factory import create_app  # noqa: E402
from gandeng.notifications.models import MessageStatus, OutboxMessage  # noqa: E402
from tests.whatsapp_fake import FakeCloudApi  # noqa: E402


def fill(session, count: int) -> None:
    now = utcnow()
    session.execute(insert(User), [
        {"email": f"u{i}@contoh.id", "name": f"Pengguna {i}", "phone": f"+62812{i:08d}", "password_hash": "x",
         "role": "coordinator", "status": "active", "session_version": 1, "locale": "id", "created_at": now}
        for i in range(count)])
    ids = session.scalars(select(User.id).order_by(User.id)).all()
    session.execute(insert(OutboxMessage), [
        {"channel": "whatsapp", "kind": "need.verify", "user_id": uid, "to_address": f"+62812{i:08d}",
         "subject": "", "body": "Kebutuhan diverifikasi.\n\n/needs/1", "link": "/needs/1",
         "template_name": "gg_kebutuhan_diverifikasi", "template_params": ["Kebutuhan diverifikasi.", "/needs/1"],
         "secret": False, "status": MessageStatus.QUEUED, "attempts": 0, "next_attempt_at": now,
         "last_error": "", "created_at": now} for i, uid in enumerate(ids)])
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--latency-ms", type=float, default=0, help="the fake API's answer time (real: ~200-500)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        fake = FakeCloudApi().start()
        fake.latency = args.latency_ms / 1000
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None,
                          "MAIL_SERVER": "", **fake.settings(WHATSAPP_TIMEOUT_SECONDS=10)})
        with app.app_context():
            db.drop_all()
            db.create_all()
            fill(db.session, args.messages)
            runner = app.test_cli_runner()
            started = time.perf_counter()
            result = runner.invoke(args=["outbox", "send", "--limit", "500", "--max-batches", "1000"])
            seconds = time.perf_counter() - started
            sent = db.session.scalar(select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == MessageStatus.SENT))
            db.session.remove()
            db.engine.dispose()
        fake.stop()
    print(result.output.strip())
    print(f"{sent} of {args.messages} messages sent in {seconds:.2f} s: {sent / seconds:.0f} messages/s "
          f"({url.split(':')[0]}, fake Cloud API on localhost answering in {args.latency_ms:.0f} ms, "
          f"{len(fake.received)} requests received)")


if __name__ == "__main__":
    main()
