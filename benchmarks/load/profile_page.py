"""What one page costs the application: CPU per request over many requests, and where it goes.

    DATABASE_URL=postgresql+psycopg://bench:bench@127.0.0.1:5432/gandeng_bench2 \\
        .venv/bin/python benchmarks/load/profile_page.py --who staff --url '/needs?page=50' -n 500 [--profile]

Signs in (staff or coordinator: the first such user of fill.py's data, its password), warms the
page up, then asks it `-n` times through the Flask test client in this process and prints wall
and CPU milliseconds per request (CPU of this process only: the database's work is apart) and
the statements per request. `--random-pages N` asks a random page 1..N each time (the list
cache's misses); `--profile` prints the functions that take the most time (cProfile). Not a
test: it measures.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="/needs?page=50")
    parser.add_argument("--who", choices=("anon", "staff", "coordinator"), default="staff")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--random-pages", type=int, default=0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to the filled database")

    from gandeng.accounts.models import User
    from gandeng.db import db
    from gandeng.factory import create_app

    app = create_app({"LOGIN_LIMIT_PER_IP": "100000 per minute", "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
                      "WTF_CSRF_ENABLED": False})
    statements = [0]
    with app.app_context():
        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_args):
            statements[0] += 1

        email = None
        if args.who != "anon":
            email = db.session.scalar(select(User.email).where(User.role == args.who).order_by(User.id).limit(1))
        db.session.remove()

    client = app.test_client()
    if email:
        response = client.post("/login", data={"email": email, "password": args.password})
        if response.status_code != 302:
            print(f"cannot log in as {email}: {response.status_code}", file=sys.stderr)
            return 1

    rng = random.Random(15)

    def url() -> str:
        if args.random_pages:
            return args.url.split("?")[0] + f"?page={rng.randint(1, args.random_pages)}"
        return args.url

    for _ in range(20):
        status = client.get(url()).status_code
    if status != 200:
        print(f"{args.url} answered {status}", file=sys.stderr)
        return 1
    profiler = cProfile.Profile() if args.profile else None
    statements[0] = 0
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(args.n):
        client.get(url())
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{args.who} {args.url}{' random 1..%d' % args.random_pages if args.random_pages else ''}: "
          f"{args.n} requests, {1000 * wall / args.n:.2f} ms wall, {1000 * cpu / args.n:.2f} ms CPU per request, "
          f"{statements[0] / args.n:.1f} statements per request{' (profiled)' if profiler else ''}")
    if profiler:
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
