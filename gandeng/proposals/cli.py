"""`flask match run`, `flask match export FILE`, `flask match reap` and `flask worker` (the RQ worker for
matching runs)."""
import csv
import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from gandeng.api.serializers import proposal_csv_columns, proposal_to_csv_row, proposal_to_dict
from gandeng.cli_exit import fail
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.formatting import rupiah
from gandeng.proposals import jobs, queries
from gandeng.proposals.models import RunStatus


@click.group("match")
def match_group():
    """Run the matcher over all open needs and offers, or export the open proposals."""


@match_group.command("run")
@with_appcontext
def run_command():
    """One matching run in this process; prints counts, proposed Rp and seconds."""
    try:
        run = jobs.run_now(db.session, None)
    except DomainError as error:
        fail(f"match run: {error.message}")
    if run.status != RunStatus.DONE:
        fail(f"match run: run {run.id} failed: {run.error}")
    c = run.counts
    click.echo(
        f"run {run.id}: {c.get('needs', 0)} needs, {c.get('offers', 0)} offers, "
        f"{c.get('candidates', 0)} candidate pairs, {c.get('proposals', 0)} proposals, "
        f"{rupiah(run.proposed_rp)} proposed, {len(run.unmatched or [])} offers without a good match, "
        f"{run.duration_s:.2f} s"
    )
    stages = c.get("stage_seconds") or {}
    engine = c.get("engine_seconds") or {}
    if stages:
        click.echo("stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items())
                   + ("; engine: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in engine.items())
                      if engine else ""))


@match_group.command("export")
@click.argument("file")
@with_appcontext
def export_command(file):
    """The open (proposed) proposals of the latest run as FILE.json or FILE.csv."""
    path = Path(file)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        fail(f"match export: {path.name}: use a .json or .csv file name")
    run = queries.latest_done_run(db.session)
    if run is None:
        fail("match export: no finished matching run yet (run `match run` first)")
    proposals = queries.open_proposals_of_run(db.session, run.id)
    try:
        if suffix == ".json":
            items = [proposal_to_dict(p) for p in proposals]
            path.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=proposal_csv_columns())
                writer.writeheader()
                writer.writerows(proposal_to_csv_row(p) for p in proposals)
    except OSError as error:
        fail(f"match export: cannot write {file}: {error.strerror}")
    click.echo(f"exported {len(proposals)} open proposals of run {run.id} to {path}")


@match_group.command("reap")
@with_appcontext
def reap_command():
    """Fail the runs whose worker died (silent for a minute, or queued with the job gone); for cron."""
    failed = jobs.reap(db.session)
    click.echo(f"{len(failed)} matching run(s) failed: worker stopped" + (f" ({', '.join(map(str, failed))})"
                                                                         if failed else ""))


@click.command("worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@with_appcontext
def worker_command(burst):
    """Run an RQ worker for the "matching" queue on REDIS_URL; it also sends the outbox every minute."""
    from flask import current_app

    from gandeng.notifications.jobs import OutboxLoop, run_once

    if not current_app.config.get("REDIS_URL"):
        fail("worker: REDIS_URL is not set (without it matching runs execute in the web process)")
    app = current_app._get_current_object()
    if burst:  # one outbox round, then the queue until it is empty
        run_once(app)
        jobs.work(burst=True)
        return
    loop = OutboxLoop(app)
    loop.start()
    try:
        jobs.work(burst=False)
    finally:
        loop.stop()
