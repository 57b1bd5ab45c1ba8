"""Benchmark of the report pages' queries on a city-sized database (not a test).

    .venv/bin/python benchmarks/bench_reports.py                      # a fresh SQLite file, 5,000 needs
    .venv/bin/python benchmarks/bench_reports.py --needs 100000 --commitments 40000 \\
        --database-url postgresql+psycopg://h7c:h7c@127.0.0.1:5432/h7c_reports   # emptied and refilled

Fills the database with benchmarks/load/fill.py (kampung over the 45 kelurahan, organisations,
needs in a realistic status mix spread over two years, offers), adds commitments in every
status up to --commitments (declined, cancelled with Rp realised, awaiting, in progress,
completed) and "need.verify" audit events for most verified needs, then runs each measurement
of MEASUREMENTS and prints its name, seconds (best of --repeat) and the peak memory Python
allocated while it ran (tracemalloc), and at the end the process's peak resident memory.

--skip-fill measures what --database-url already holds. MEASUREMENTS is a plain list of (name, function(app, session)); append yours with @measurement.
"""
from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "load"))

MEASUREMENTS: list[tuple[str, object]] = []


def measurement(name: str):
    """Add a function(app, session) to MEASUREMENTS under `name`."""
    def register(function):
        MEASUREMENTS.append((name, function))
        return function
    return register


# --- the staff dashboard ------------------------------------------------------------------------

@measurement("dashboard figures(): all time, whole city")
def dashboard_all_time(app, session):
    from gandeng.reports.dashboard import figures
    from gandeng.reports.periods import Period

    figures(session, Period())


@measurement("dashboard figures(): one year")
def dashboard_year(app, session):
    from gandeng.reports.dashboard import figures
    from gandeng.reports.periods import Period

    figures(session, Period(date.today().year))


@measurement("dashboard figures(): one quarter, one kemantren")
def dashboard_quarter_kemantren(app, session):
    from gandeng.reports.dashboard import figures
    from gandeng.reports.periods import Period

    today = date.today()
    figures(session, Period(today.year, (today.month - 1) // 3 + 1), "34.71.10")


@measurement("GET /dashboard (whole page as staff)")
def dashboard_page(app, session):
    from sqlalchemy import select

    from gandeng.accounts.models import Role, User

    staff = session.scalars(select(User).where(User.role == Role.STAFF).limit(1)).one()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = staff.get_id(), True
    response = client.get("/dashboard")
    assert response.status_code == 200, response.status_code


# --- the data -----------------------------------------------------------------------------------

def add_commitments_and_verifications(url: str, target: int, seed: int) -> dict:
    """Commitments in every status until there are `target`, and need.verify audit events for
    70% of the needs staff verified (the rest count from their creation, as imported ones do)."""
    from sqlalchemy import create_engine, insert, select, text

    from fill import TABLES

    rng = random.Random(seed)
    engine = create_engine(url)
    need_table = TABLES["needs"]
    with engine.begin() as conn:
        needs = conn.execute(
            select(need_table.c.id, need_table.c.cost_rp, need_table.c.created_at, need_table.c.verified_at)
            .where(need_table.c.status.in_(("verified", "matched", "in_progress", "completed")))
        ).all()
        offers = [i for (i,) in conn.execute(text("SELECT id FROM offers WHERE status <> 'draft'"))]
        staff = conn.execute(text("SELECT id FROM users WHERE role = 'staff' ORDER BY id LIMIT 1")).scalar()
        have = conn.execute(text("SELECT COUNT(*) FROM commitments")).scalar()
        now = max(row[2] for row in needs) + timedelta(days=1)
        rows = []
        for _ in range(max(0, target - have)):
            need_id, cost, created, verified = rng.choice(needs)
            approved = min((verified or created) + timedelta(days=rng.randrange(1, 60), hours=rng.randrange(24)), now)
            amount = max(1000, cost // rng.choice((1, 2, 3, 4)))
            status = rng.choices(["declined", "cancelled", "awaiting_partner", "in_progress", "completed"],
                                 weights=[3, 2, 2, 2, 1])[0]
            realised = {"cancelled": amount // 3, "in_progress": amount // 2, "completed": amount}.get(status, 0)
            done = approved + timedelta(days=rng.randrange(10, 200))
            rows.append({
                "need_id": need_id, "offer_id": rng.choice(offers), "amount_rp": amount, "realised_rp": realised,
                "progress_percent": 100 if status == "completed" else 50 if realised else 0, "status": status,
                "status_reason": "", "created_by_id": staff, "created_at": approved, "updated_at": approved,
                "confirmed_at": approved + timedelta(days=2) if realised else None,
                "completed_at": done if status == "completed" else None,
                "closed_at": done if status in ("declined", "cancelled") else None,
                "beneficiaries_reached": rng.randrange(1, 80) if status == "completed" else None,
            })
        if rows:
            conn.execute(insert(TABLES["commitments"]), rows)
        events = [{"actor_id": staff, "action": "need.verify", "object_type": "needs", "object_id": need_id,
                   "before": {"status": "submitted"}, "after": {"status": "verified"}, "note": "",
                   "created_at": verified}
                  for need_id, _cost, _created, verified in needs if verified is not None and rng.random() < 0.7]
        conn.execute(insert(TABLES["audit_events"]), events)
        counts = {table: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
                  for table in ("needs", "offers", "organisations", "commitments", "audit_events")}
    engine.dispose()
    return counts


def build(url: str, args) -> dict:
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
    filler = Filler(url, seed=args.seed, password="bench-password", today=date.today())
    with filler.engine.begin() as conn:
        filler.reset(conn)
    filler.fill(args.needs, args.offers, kampung_per_kelurahan=4, n_orgs=args.organisations, n_staff=3,
                open_only=False)
    filler.engine.dispose()
    return add_commitments_and_verifications(url, args.commitments, args.seed)


def run(url: str, repeat: int) -> None:
    from gandeng.db import db
    from gandeng.factory import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        print(f"{'measurement':<48} {'seconds':>8} {'peak MB':>8}")
        for name, function in MEASUREMENTS:
            function(app, db.session)  # warm up: connections, compiled statements, templates
            db.session.rollback()
            best, peak = float("inf"), 0
            for _ in range(repeat):
                gc.collect()
                tracemalloc.start()
                began = time.perf_counter()
                function(app, db.session)
                best = min(best, time.perf_counter() - began)
                peak = max(peak, tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
                db.session.rollback()
            print(f"{name:<48} {best:>8.3f} {peak / 2**20:>8.1f}")
        db.engine.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="emptied and filled; default: a new SQLite file")
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=1500)
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--commitments", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-fill", action="store_true", help="measure what --database-url already holds")
    args = parser.parse_args(argv)
    folder = None
    url = args.database_url
    if not url:
        folder = tempfile.TemporaryDirectory(prefix="bench-reports-")
        url = f"sqlite:///{folder.name}/reports.sqlite"
    if not args.skip_fill:
        began = time.perf_counter()
        counts = build(url, args)
        print(f"database: {url.split('@')[-1]}; filled in {time.perf_counter() - began:.1f} s: "
              + ", ".join(f"{n} {table}" for table, n in counts.items()))
    run(url, args.repeat)
    print(f"process peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if folder:
        folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
