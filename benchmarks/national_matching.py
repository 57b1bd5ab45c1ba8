"""Matching at national scale through the RQ worker: 100,000 verified needs x 50,000 active offers.

    .venv/bin/python benchmarks/national_matching.py \\
        --database-url postgresql+psycopg://h7c:h7c@127.0.0.1:5432/h7c_bench \\
        --redis-url redis://127.0.0.1:6399/5 --needs 100000 --offers 50000

Not a test: it measures and prints. It brings the database to head (`flask init-db`), empties it
and fills it with benchmarks/load/fill.py (--open: every need verified, every offer active), then
starts a run the way the web page does (services.create_run by a staff user, then
jobs.start_run, which enqueues it on Redis), runs `flask --app app worker --burst` as a separate
process, and while it works polls the run's stage and the worker's memory. Prints the whole
run's time and its parts (load rows, engine, store proposals) as the run's stages show them,
the engine's own stage times, the number of proposals stored and the Rp proposed, and the
worker's peak resident memory. `--skip-fill` reuses what is in the database.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "load"))


def rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak (high-water mark) resident memory of a process, in MB."""
    now = peak = 0.0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    now = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    return now, peak


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--skip-fill", action="store_true", help="use the data already in the database")
    parser.add_argument("--timeout", type=float, default=1800, help="give up after this many seconds")
    args = parser.parse_args(argv)
    if not args.database_url or not args.redis_url:
        parser.error("--database-url and --redis-url (or DATABASE_URL and REDIS_URL) are required")

    env = dict(os.environ, DATABASE_URL=args.database_url, REDIS_URL=args.redis_url)
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "app"]
    subprocess.run(flask + ["init-db"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)

    if not args.skip_fill:
        from datetime import date

        from fill import Filler

        clock = time.perf_counter()
        filler = Filler(args.database_url, seed=7, password="bench-password", today=date.today())
        with filler.engine.begin() as conn:
            filler.reset(conn)
        filler.fill(args.needs, args.offers, kampung_per_kelurahan=4, n_orgs=150, n_staff=5, open_only=True)
        filler.engine.dispose()
        print(f"filled {args.needs} verified needs x {args.offers} active offers in "
              f"{time.perf_counter() - clock:.1f} s")

    os.environ.update(DATABASE_URL=args.database_url, REDIS_URL=args.redis_url)
    from redis import Redis
    from sqlalchemy import func, select

    from gandeng.accounts.models import User
    from gandeng.db import db
    from gandeng.factory import create_app
    from gandeng.proposals import jobs, services
    from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus

    Redis.from_url(args.redis_url).ping()  # a missing Redis would make start_run run it in-process
    app = create_app()
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.role == "staff").order_by(User.id).limit(1))
        run = services.create_run(db.session, staff)
        db.session.commit()
        where = jobs.start_run(db.session, run)
        if where != "queued":
            raise SystemExit(f"the run was not queued ({where})")
        run_id = run.id
        db.session.remove()
        print(f"run {run_id} queued on {args.redis_url} (queue {jobs.queue_name()}, job {run.job_id})")

        clock = time.perf_counter()
        worker = subprocess.Popen(flask + ["worker", "--burst"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seen: dict[str, float] = {}
        peak = 0.0
        while worker.poll() is None:
            now, high = rss_mb(worker.pid)
            peak = max(peak, now, high)
            stage = db.session.execute(select(MatchingRun.stage).where(MatchingRun.id == run_id)).scalar()
            db.session.rollback()  # a fresh snapshot next time
            seen.setdefault(stage, time.perf_counter() - clock)
            if time.perf_counter() - clock > args.timeout:
                worker.kill()
                raise SystemExit(f"gave up after {args.timeout:.0f} s in stage {stage}")
            time.sleep(0.1)
        wall = time.perf_counter() - clock
        output = worker.stdout.read()
        children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        run = db.session.get(MatchingRun, run_id)
        stored = db.session.scalar(select(func.count(Proposal.id)).where(
            Proposal.run_id == run_id, Proposal.status == ProposalStatus.PROPOSED))
        if run.status != RunStatus.DONE:
            print(output[-3000:])
            raise SystemExit(f"run {run_id} ended {run.status}: {run.error}")

    c = run.counts
    print(f"\nrun {run_id}: {c['needs']} needs x {c['offers']} offers, {c['candidates']} candidate pairs")
    print(f"proposals stored: {stored} ({c['proposals']} counted by the run); proposed Rp {run.proposed_rp:,}; "
          f"needs fully funded {c['needs_fully_funded']}, partly {c['needs_partly_funded']}; "
          f"offers left with money {c['unmatched_offers']}")
    print(f"\nwhole run (worker start to exit): {wall:.1f} s; the run's own duration (load -> engine -> store, "
          f"before the final commit): {run.duration_s:.1f} s")
    order = ["queued", "loading", "matching", "storing", "done"]
    marks = [(s, seen[s]) for s in order if s in seen]
    for (stage, start), (_, end) in zip(marks, marks[1:] + [("exit", wall)]):
        label = {"queued": "worker start-up", "loading": "load rows", "matching": "engine",
                 "storing": "store proposals + commit", "done": "worker exit"}[stage]
        print(f"  {label:<26}{end - start:8.1f} s   (stage '{stage}', seen every 0.1 s)")
    engine = c.get("engine_seconds") or {}
    if engine:
        print("  engine stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in engine.items())
              + f" (sum {sum(engine.values()):.1f} s)")
    print(f"\nworker peak resident memory: {max(peak, children_peak):.0f} MB "
          f"(VmHWM sampled {peak:.0f} MB, getrusage of children {children_peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
