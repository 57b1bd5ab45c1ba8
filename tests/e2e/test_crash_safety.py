"""Crash safety with the real production server: gunicorn (2 workers) in its own process group,
killed with SIGKILL in the middle of a stream of writes, then restarted on the same database.

- Every write the server acknowledged (302 to the new need's page) is there after the restart,
  `PRAGMA integrity_check` says ok (SQLite), and the server serves — and writes — again.
- An approval sent with an `Idempotency-Key` whose response is lost in the crash, retried after
  the restart with the same key, answers the commitment made the first time: exactly one.

Runs on a SQLite file (WAL, synchronous=FULL) and, when TEST_DATABASE_URL is set, on PostgreSQL.
Only 127.0.0.1; every wait and loop is bounded. Standard library HTTP client only."""
import http.client
import json
import re
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from gandeng.api.auth import issue_token
from gandeng.db import db
from gandeng.factory import create_app
from tests import factories as f
from tests.conftest import BASE_CONFIG, _empty_postgres_tables
from tests.e2e.live_server import GUNICORN_CONF, HTTP_TIMEOUT, ROOT, Client, Server, server_env

pytestmark = pytest.mark.slow

WRITERS = 3                  # threads posting needs at the same time
TARGET_ACKS = 30             # SIGKILL once this many writes were acknowledged
MAX_WRITES_PER_WRITER = 400  # a hard bound on each writer's loop
ACK_TIMEOUT = 120            # seconds to reach TARGET_ACKS
TITLE = "Uji crash"


# --- the database under test ----------------------------------------------------------------------

@pytest.fixture
def database(request, backend, tmp_path):
    """A database at head (through `flask init-db`, as an operator would) with the people and the
    proposals the test needs; returns (url, facts)."""
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            _empty_postgres_tables()
            db.session.remove()
            db.engine.dispose()
    else:
        url = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    env = server_env(DATABASE_URL=url, SECRET_KEY="init-db-only")
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "init-db"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        session = db.session
        kampung = f.make_kampung(session, "Kampung Tahan Banting")
        coordinator = f.make_coordinator(session, kampung=kampung, email="koordinator@crash.test")
        staff = f.make_staff(session, email="petugas@crash.test")
        offer = f.make_offer(session, capacity_rp=50_000_000, title="CSR tahan banting")
        proposals = [f.proposal_for(session, f.make_need(session, kampung=kampung, cost_rp=2_000_000,
                                                         title=f"Usulan crash {i}"), offer)
                     for i in range(2)]
        staff_token, _ = issue_token(session, staff, 1)
        session.commit()
        facts = {"coordinator": coordinator.email, "staff": staff.email, "offer_id": offer.id,
                 "proposal_ids": [p.id for p in proposals], "staff_token": staff_token}
        session.remove()
        db.engine.dispose()
    return url, facts


def _rows(url, sql, **params) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def _sqlite_path(url) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


# --- the write stream -----------------------------------------------------------------------------

class Stream:
    """WRITERS threads posting the need form as fast as the server answers, until told to stop."""

    def __init__(self, port, cookies, token):
        self.port, self.cookies, self.token = port, cookies, token
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.killed = threading.Event()
        self.sent = 0
        self.acknowledged: list[tuple[int, str]] = []   # (need id, title)
        self.lost: list[str] = []                        # no answer: the server died under them
        self.unexpected: list[str] = []                  # an answer that is not a saved need
        self.threads = [threading.Thread(target=self._write, args=(n,), daemon=True) for n in range(WRITERS)]

    def _write(self, writer):
        client = Client(self.port, self.cookies)
        for i in range(MAX_WRITES_PER_WRITER):
            if self.stop.is_set():
                return
            title = f"{TITLE} {writer}-{i} {secrets.token_hex(3)}"
            fields = {"csrf_token": self.token, "category": "sanitation", "title": title,
                      "description": "Tulisan uji ketahanan server terhadap mati mendadak.",
                      "cost_rp": "1.500.000", "urgency": "sedang", "households": "3"}
            with self.lock:
                self.sent += 1
            try:
                # The flash message each save adds to the session cookie is not kept: the cookie
                # would only grow; every request carries the logged-in session as it was.
                status, headers, body = client.post("/needs/new", fields, keep_cookies=False)
            except (OSError, http.client.HTTPException) as error:
                with self.lock:
                    (self.lost if self.killed.is_set() else self.unexpected).append(f"{title}: {error!r}")
                return
            found = re.fullmatch(r"(?:https?://[^/]+)?/needs/(\d+)", headers.get("Location") or "")
            with self.lock:
                if status == 302 and found:
                    self.acknowledged.append((int(found.group(1)), title))
                else:
                    self.unexpected.append(f"{title}: {status} {body[:200]!r}")
                    return

    def run_until_acknowledged(self, server: Server, target: int) -> int:
        """Start the writers; SIGKILL the server once `target` writes were acknowledged.
        Returns how many requests were in flight (sent, not answered) at the kill."""
        for thread in self.threads:
            thread.start()
        deadline = time.monotonic() + ACK_TIMEOUT
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.acknowledged) >= target or self.unexpected:
                    break
            time.sleep(0.005)
        with self.lock:
            in_flight = self.sent - len(self.acknowledged) - len(self.unexpected) - len(self.lost)
            self.killed.set()
        server.kill()
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=HTTP_TIMEOUT + 10)
        assert not any(t.is_alive() for t in self.threads), "a writer did not stop"
        return in_flight


# --- the test -------------------------------------------------------------------------------------

def test_sigkill_mid_stream_loses_no_acknowledged_write_and_a_retried_approval_commits_once(
        backend, database, tmp_path):
    url, facts = database
    server = Server(url, tmp_path)
    try:
        first_start = server.start()
        coordinator = Client(server.port)
        coordinator.log_in(facts["coordinator"])
        token = coordinator.csrf_token("/needs/new")
        staff = Client(server.port)
        staff.log_in(facts["staff"])

        # 1. A stream of writes from WRITERS threads, SIGKILL in the middle of it.
        stream = Stream(server.port, coordinator.cookies, token)
        in_flight = stream.run_until_acknowledged(server, TARGET_ACKS)
        assert not stream.unexpected, f"{stream.unexpected[:3]}\n{server.log_tail()}"
        assert len(stream.acknowledged) >= TARGET_ACKS, f"only {len(stream.acknowledged)} acknowledged"
        sqlite_path = _sqlite_path(url)
        wal_left = sqlite_path is not None and Path(f"{sqlite_path}-wal").exists()

        # 2. Restart on the same database; the old sessions still work (same SECRET_KEY).
        restart = server.start()
        integrity = "n/a (PostgreSQL)"
        if sqlite_path is not None:
            plain = sqlite3.connect(sqlite_path, timeout=30)
            try:
                integrity = ", ".join(row[0] for row in plain.execute("PRAGMA integrity_check"))
                journal = plain.execute("PRAGMA journal_mode").fetchone()[0]
            finally:
                plain.close()
            assert integrity == "ok"
            assert journal == "wal"
        stored = dict(_rows(url, "SELECT id, title FROM needs WHERE title LIKE :t", t=f"{TITLE} %"))
        missing = [(i, t) for i, t in stream.acknowledged if stored.get(i) != t]
        for need_id, title in stream.acknowledged[:: max(1, len(stream.acknowledged) // 5)]:
            status, _, page = coordinator.get(f"/needs/{need_id}")
            assert status == 200 and title in page, f"need {need_id} not served after the restart"
        status, headers, _ = coordinator.post("/needs/new", {
            "csrf_token": token, "category": "sanitation", "title": f"{TITLE} setelah restart",
            "description": "Server menerima tulisan lagi setelah dihidupkan ulang.", "cost_rp": "750.000",
            "urgency": "rendah", "households": "2"})
        writes_again = status == 302 and re.search(r"/needs/\d+$", headers.get("Location") or "")

        # 3. An approval with an idempotency key whose response is lost in a crash, then retried.
        key = f"crash-retry-{secrets.token_hex(8)}"
        proposal_id, other_id = facts["proposal_ids"]
        # Through the API, as a program retries (the web route answers pages only).
        approve_headers = {"Authorization": f"Bearer {facts['staff_token']}", "Idempotency-Key": key}
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=HTTP_TIMEOUT)
        connection.request("POST", f"/api/v1/proposals/{proposal_id}/approve", body=b"",
                           headers={**approve_headers, "Content-Length": "0"})
        first_status = connection.getresponse().status  # the status line only: the body is never read
        server.kill()
        connection.close()
        server.start()
        retries = [staff.post(f"/api/v1/proposals/{proposal_id}/approve", headers=approve_headers)
                   for _ in range(2)]
        reused = staff.post(f"/api/v1/proposals/{other_id}/approve", headers=approve_headers)
        commitments = _rows(url, "SELECT id, idempotency_key FROM commitments WHERE proposal_id = :p",
                            p=proposal_id)
        committed_rp = _rows(url, "SELECT committed_rp FROM offers WHERE id = :o", o=facts["offer_id"])[0][0]
    finally:
        server.stop()

    conf = " -c deploy/gunicorn.conf.py" if GUNICORN_CONF.is_file() else ""
    print(
        f"\n[{backend}] gunicorn -w 2{conf}: first start {first_start:.1f} s, "
        f"restart after SIGKILL {restart:.1f} s; "
        f"writes sent {stream.sent}, acknowledged {len(stream.acknowledged)}, in flight at the kill {in_flight}, "
        f"unanswered {len(stream.lost)}; after the restart found {len(stream.acknowledged) - len(missing)} of "
        f"{len(stream.acknowledged)} acknowledged, and {len(stored) - len(stream.acknowledged) + len(missing)} "
        f"committed whose answer the kill swallowed; "
        f"WAL file left by the kill: {wal_left if sqlite_path else 'n/a'}; integrity_check: {integrity}; "
        f"approval killed after its {first_status}, retries answered "
        f"{[r[0] for r in retries]} with commitment {[json.loads(r[2]).get('id') for r in retries]}; "
        f"commitments of the proposal: {len(commitments)}"
    )
    assert not missing, f"acknowledged writes lost in the crash: {missing[:5]}"
    assert len(stored) >= len(stream.acknowledged)
    assert writes_again, "the restarted server did not save a new need"

    assert first_status == 200
    assert len(commitments) == 1 and commitments[0][1] == key
    for status, _, body in retries:
        assert status == 200
        assert json.loads(body)["id"] == commitments[0][0]
    assert committed_rp == 2_000_000  # held once
    assert reused[0] == 409
    assert json.loads(reused[2])["error"]["code"] == "idempotency_key_reused"
