"""Benchmark of the list pages at depth, with keyset paging and search (not a test).

    .venv/bin/python benchmarks/bench_lists.py                        # a fresh SQLite file, 20,000 needs
    .venv/bin/python benchmarks/bench_lists.py \\
        --database-url postgresql+psycopg://gandeng_test:gandeng_test@127.0.0.1:5432/gandeng_test_lists

Builds the schema with the migrations (so the indexes are those of a real deployment), fills it with
benchmarks/load/fill.py (20,000 needs and 5,000 offers by default; the database is emptied first),
then, signed in as staff through the real login form, requests each page of PAGES and prints the
seconds to render it (median and best of --repeat, after one warm-up) and the number of SQL
statements it ran. "page 50" is read both as an old `?page=50` link (OFFSET) and as the `?after=`
cursor the page-49 "next" link carries (keyset).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "load"))

NEXT_LINK = re.compile(r'rel="next" href="([^"]+)"')


def build(url: str, needs: int, offers: int, seed: int) -> None:
    from fill import Filler
    from gandeng.db import db
    from gandeng.factory import create_app
    from gandeng.reference.services import load_reference_data
    from gandeng.schema import upgrade_to_head

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    with app.app_context():
        upgrade_to_head()
        load_reference_data(db.session)
        db.session.commit()
        db.engine.dispose()
    filler = Filler(url, seed=seed, password="bench-password", today=date.today())
    with filler.engine.begin() as conn:
        filler.reset(conn)
    filler.fill(needs, offers, kampung_per_kelurahan=4, n_orgs=100, n_staff=3, open_only=False)
    filler.engine.dispose()  # SQLite's triggers filled the FTS5 tables; PostgreSQL keeps its GIN index
    add_open_proposals(url, seed)


def add_open_proposals(url: str, seed: int, needs: int = 2_000, per_need: int = 2) -> None:
    """Open proposals for `needs` verified needs (the review queue a matching run leaves behind)."""
    import random

    from sqlalchemy import create_engine, insert, select

    from gandeng.db import db
    import gandeng.models  # noqa: F401

    proposals, needs_table, offers = (db.metadata.tables[t] for t in ("proposals", "needs", "offers"))
    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.begin() as conn:
        need_ids = list(conn.scalars(select(needs_table.c.id).where(needs_table.c.status == "verified")
                                     .order_by(needs_table.c.id).limit(needs)))
        offer_ids = list(conn.scalars(select(offers.c.id).where(offers.c.status == "active").limit(500)))
        rows = [{"need_id": n, "offer_id": rng.choice(offer_ids), "amount_rp": 1_000_000,
                 "score": round(rng.random(), 4), "breakdown": {}, "reasons": [], "status": "proposed",
                 "reason": ""} for n in need_ids for _ in range(per_need)]
        conn.execute(insert(proposals), rows)
    engine.dispose()


def cursor_of_page(client, path: str, page: int) -> str:
    """The address the "next" link of page `page - 1` points to (a keyset cursor)."""
    html = client.get(f"{path}{'&' if '?' in path else '?'}page={page - 1}").text
    found = NEXT_LINK.search(html)
    return found.group(1).replace("&amp;", "&") if found else path


def measure(client, engine, url: str, repeat: int) -> tuple[float, float, int, int]:
    """(median s, best s, statements, status) of GET url."""
    from sqlalchemy import event

    statements = []

    def count(*_args):
        statements.append(1)

    client.get(url)  # warm-up: templates, compiled statements, connections
    times = []
    for _ in range(repeat):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        began = time.perf_counter()
        answer = client.get(url)
        times.append(time.perf_counter() - began)
        event.remove(engine, "before_cursor_execute", count)
    return statistics.median(times), min(times), len(statements), answer.status_code


def run(url: str, repeat: int) -> None:
    from gandeng.db import db
    from gandeng.factory import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        engine = db.engine
        client = app.test_client()
        assert client.post("/login", data={"email": "staff1@bench.test", "password": "bench-password"}
                           ).status_code == 302, "login failed"
        pages = [
            ("/needs (page 1)", "/needs"),
            ("/needs?page=50 (old link, OFFSET)", "/needs?page=50"),
            ("/needs page 50 by cursor (keyset)", cursor_of_page(client, "/needs", 50)),
            ("/needs?page=500 (old link, OFFSET)", "/needs?page=500"),
            ("/needs page 500 by cursor (keyset)", cursor_of_page(client, "/needs", 500)),
            ("/needs?q=sumur (search, many hits)", "/needs?q=sumur"),
            ("/needs?q=septi (part of a word)", "/needs?q=septi"),
            ("/needs?q=rumah roboh (2 words)", "/needs?q=rumah+roboh"),
            ("/needs?q=kemarau page 5 by cursor", cursor_of_page(client, "/needs?q=kemarau", 5)),
            ("/offers page 50 by cursor", cursor_of_page(client, "/offers", 50)),
            ("/offers?q=pipa", "/offers?q=pipa"),
            ("/collaborations (page 1)", "/collaborations"),
            ("/collaborations?q=jamban", "/collaborations?q=jamban"),
            ("/review (page 1)", "/review"),
            ("/review page 50 by cursor", cursor_of_page(client, "/review", 50)),
            ("/review?q=sumur", "/review?q=sumur"),
            ("/audit (page 1)", "/audit"),
            ("/api/v1/needs?per_page=20 (page 1)", "/api/v1/needs?per_page=20"),
        ]
        print(f"{'page':<42} {'median s':>9} {'best s':>8} {'queries':>8} {'status':>7}")
        for name, address in pages:
            median, best, statements, status = measure(client, engine, address, repeat)
            print(f"{name:<42} {median:>9.4f} {best:>8.4f} {statements:>8} {status:>7}")
        engine.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="emptied and filled; default: a new SQLite file")
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--skip-fill", action="store_true", help="measure what --database-url already holds")
    args = parser.parse_args(argv)
    folder = None
    url = args.database_url
    if not url:
        folder = tempfile.TemporaryDirectory(prefix="bench-lists-")
        url = f"sqlite:///{folder.name}/lists.sqlite"
    if not args.skip_fill:
        began = time.perf_counter()
        build(url, args.needs, args.offers, args.seed)
        print(f"database: {url.split('@')[-1]}; {args.needs} needs, {args.offers} offers filled in "
              f"{time.perf_counter() - began:.1f} s")
    run(url, args.repeat)
    if folder:
        folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
