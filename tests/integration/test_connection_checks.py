"""Pooled database connections are checked on checkout without a round trip (gandeng.db): a
connection the server ended is replaced, unnoticed by the page; a healthy one costs nothing; one
idle for long is pinged for real."""
import socket
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import NullPool

from gandeng import db as gandeng_db
from gandeng.db import db


class FakeConnection:
    """A psycopg-like connection over one end of a socket pair (the other end plays the server)."""

    def __init__(self, sock):
        self.pgconn = type("PGconn", (), {"socket": sock.fileno()})()
        self.broken = self.closed = False
        self.autocommit = False
        self.sent = []

    def cursor(self):
        owner = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, statement):
                owner.sent.append((statement, owner.autocommit))

        return Cursor()


class Record:
    def __init__(self, idle_for: float):
        self.info = {gandeng_db._IDLE_SINCE: time.monotonic() - idle_for}


def test_a_healthy_connection_is_handed_out_without_sending_anything():
    ours, server = socket.socketpair()
    with ours, server:
        connection = FakeConnection(ours)
        gandeng_db._check_on_checkout(connection, Record(idle_for=1), None)
        assert connection.sent == []


def test_a_connection_the_server_ended_is_refused_so_the_pool_opens_another():
    ours, server = socket.socketpair()
    with ours:
        server.sendall(b"E terminating connection due to administrator command")
        server.close()
        with pytest.raises(DisconnectionError):
            gandeng_db._check_on_checkout(FakeConnection(ours), Record(idle_for=1), None)


def test_a_long_idle_connection_is_pinged_outside_a_transaction():
    ours, server = socket.socketpair()
    with ours, server:
        connection = FakeConnection(ours)
        gandeng_db._check_on_checkout(connection, Record(idle_for=gandeng_db.PING_AFTER_IDLE_S + 1), None)
        assert connection.sent == [(";", True)] and connection.autocommit is False


def test_a_page_still_answers_after_the_server_ended_its_pooled_connection(app, backend, client):
    assert client.get("/needs").status_code == 200
    db.session.remove()  # the connection back in the pool, idle
    if backend == "postgresql":
        with db.engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        admin = create_engine(db.engine.url, poolclass=NullPool)
        with admin.connect() as other:
            assert other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        admin.dispose()
        time.sleep(0.2)  # the server's farewell reaches the pooled socket
    assert client.get("/needs").status_code == 200
