"""The SQL behind the list pages at scale: statements per page, their time, and EXPLAIN of the slowest.

    DATABASE_URL=postgresql+psycopg://h7c:h7c@127.0.0.1:5432/h7c_bench \\
        .venv/bin/python benchmarks/load/queries.py [--explain] [--password bench-password]

Requests each list page through the Flask test client (as anonymous, a coordinator and staff, as the
pages require), counts the statements each page issues (a count that grows with the page size
would be an N+1), prints the page time and its slowest statement; with --explain also
EXPLAIN (ANALYZE, BUFFERS) of that statement on PostgreSQL. Not a test: it measures.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select, text  # noqa: E402

PAGES = [
    ("anon", "/"),
    ("anon", "/needs"),
    ("anon", "/needs?page=2"),
    ("anon", "/needs?page=1500"),
    ("anon", "/needs?category=housing"),
    ("anon", "/needs?kemantren=34.71.01&category=sanitation"),
    ("anon", "/needs?kelurahan=34.71.01.1001"),
    ("anon", "/needs?status=completed"),
    ("anon", "/needs/{need_id}"),
    ("anon", "/offers"),
    ("anon", "/offers?page=300"),
    ("anon", "/offers?category=housing"),
    ("anon", "/offers?status=active&kind=dana"),
    ("anon", "/offers?org_type=kampus"),
    ("anon", "/offers/{offer_id}"),
    ("coordinator", "/needs?mine=1"),
    ("coordinator", "/needs/new"),
    ("staff", "/needs"),
    ("staff", "/needs?status=submitted"),
    ("staff", "/review"),
    ("staff", "/review?page=50"),
    ("staff", "/review?category=housing"),
    ("staff", "/admin/users"),
    ("staff", "/admin/users?role=coordinator&q=sri"),
    ("staff", "/collaborations"),
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("--repeat", type=int, default=3, help="requests per page; the fastest is shown")
    parser.add_argument("--show", metavar="URL", help="print every statement of this page (as the first role listed)")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to the filled database")

    from gandeng.accounts.models import User
    from gandeng.db import db
    from gandeng.factory import create_app
    from gandeng.needs.models import Need
    from gandeng.offers.models import Offer

    app = create_app({"WTF_CSRF_ENABLED": False, "LOGIN_LIMIT_PER_IP": "100000 per minute",
                      "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute"})
    statements: list[tuple[float, str, object]] = []

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info.setdefault("t0", []).append(time.perf_counter())

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):
            t0 = conn.info["t0"].pop()
            statements.append((time.perf_counter() - t0, statement, parameters))

        ids = {
            "need_id": db.session.scalar(select(Need.id).where(Need.status == "verified").limit(1)),
            "offer_id": db.session.scalar(select(Offer.id).where(Offer.status == "active").limit(1)),
        }
        logins = {
            "coordinator": db.session.scalar(select(User.email).where(User.role == "coordinator").limit(1)),
            "staff": db.session.scalar(select(User.email).where(User.role == "staff").limit(1)),
        }
        db.session.remove()

    clients = {"anon": app.test_client()}
    for role, email in logins.items():
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": args.password})
        if response.status_code != 302:
            print(f"cannot log in as {email}: {response.status_code}", file=sys.stderr)
            return 1
        clients[role] = client

    print(f"{'who':<12}{'page':<48}{'status':>7}{'ms':>8}{'queries':>8}{'slowest ms':>11}")
    slow = []
    for role, path in PAGES:
        url = path.format(**ids)
        best = None
        for _ in range(args.repeat):
            statements.clear()
            t0 = time.perf_counter()
            response = clients[role].get(url)
            elapsed = time.perf_counter() - t0
            run = (elapsed, response.status_code, list(statements))
            if best is None or run[0] < best[0]:
                best = run
        elapsed, status, stmts = best
        if args.show == path:
            for seconds, statement, _ in stmts:
                print(f"   {1000 * seconds:6.1f} ms  {_short(statement)[:200]}")
        top = max(stmts, key=lambda s: s[0]) if stmts else (0.0, "", None)
        print(f"{role:<12}{url:<48}{status:>7}{1000 * elapsed:>8.1f}{len(stmts):>8}{1000 * top[0]:>11.1f}")
        slow.append((top[0], role, url, top[1], top[2]))

    if args.explain and engine.dialect.name == "postgresql":
        with app.app_context():
            with engine.connect() as conn:
                for seconds, role, url, statement, parameters in sorted(slow, reverse=True)[:8]:
                    print(f"\n== {role} {url}: {1000 * seconds:.1f} ms\n{_short(statement)}")
                    plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    for (line,) in plan:
                        print("   " + line)
    return 0


def _short(statement: str) -> str:
    return re.sub(r"\s+", " ", statement)[:600]


if __name__ == "__main__":
    sys.exit(main())
