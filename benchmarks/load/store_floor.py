"""What the database itself spends on a matching run's rows, without any Python of ours: the floor
under `match run`'s loading and storing stages (issue 15).

On a database where `flask match run` has finished at least once (e.g. 20,000 needs x 10,000 offers
from `fill.py --open`), it takes the latest run's proposals as PostgreSQL sends them (COPY TO) and,
each time in a transaction that is rolled back (nothing changes):

- `supersede`: the run's UPDATE of every open proposal to `superseded`;
- `copy`: COPY of those bytes back into `proposals`: its 5 indexes, 4 foreign keys, 2 checks;
- `copy, no alternatives`: the same without the `alternatives` column (a need's next-best offers);
- `copy, no foreign keys`: the same rows with the foreign keys dropped inside the transaction;
- `copy into a bare table`: into a temporary table without index, key or check (no WAL either);
- `read needs` / `read offers`: the loading stage's two big SELECTs, fetched by psycopg alone.

    .venv/bin/python benchmarks/load/store_floor.py postgresql://bench:bench@127.0.0.1:5432/gandeng_bench4

Prints seconds per repetition and the median. The run's own figures are in its `counts`
(`stage_seconds`, `engine_seconds`), printed by `match run`.
"""
from __future__ import annotations

import argparse
import statistics
import time

import psycopg

COLUMNS = ("run_id", "need_id", "offer_id", "amount_rp", "score", "breakdown", "reasons", "status", "reason",
           "created_at", "alternatives")
NARROW = COLUMNS[:-1]
FOREIGN_KEYS = ("fk_proposals_need_id_needs", "fk_proposals_offer_id_offers", "fk_proposals_run_id_matching_runs")
READS = {
    "read needs": "SELECT id, kelurahan_code, category_code, title, description, households, kms_households, "
                  "cost_rp, deadline, urgency, partial_ok, committed_rp FROM needs "
                  "WHERE status IN ('verified', 'matched', 'in_progress') ORDER BY id",
    "read offers": "SELECT id, organisation_id, kind, title, description, capacity_rp, valid_until, committed_rp "
                   "FROM offers WHERE status = 'active' ORDER BY id",
}


def exported(connection, run_id: int, columns) -> bytes:
    """The run's proposals in COPY text format, as PostgreSQL writes them."""
    out = bytearray()
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY (SELECT {', '.join(columns)} FROM proposals WHERE run_id = {run_id} ORDER BY id) "
                         "TO STDOUT") as copy:
            for block in copy:
                out += block
    return bytes(out)


def copied(connection, table: str, columns, data: bytes) -> None:
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(data)


def timed_in_rollback(connection, work) -> float:
    """Seconds `work(connection)` takes inside a transaction that is then rolled back."""
    with connection.transaction(force_rollback=True):
        connection.execute("SET LOCAL synchronous_commit TO OFF")
        start = time.perf_counter()
        work(connection)
        return time.perf_counter() - start


def bare_copy(data: bytes):
    def work(connection):
        connection.execute("CREATE TEMPORARY TABLE bare (run_id int, need_id int, offer_id int, amount_rp bigint, "
                           "score float8, breakdown json, reasons json, status text, reason text, "
                           "created_at timestamp, alternatives json) ON COMMIT DROP")
        copied(connection, "bare", COLUMNS, data)
    return work


def without_foreign_keys(data: bytes):
    def work(connection):
        connection.execute("ALTER TABLE proposals " + ", ".join(f"DROP CONSTRAINT {k}" for k in FOREIGN_KEYS))
        copied(connection, "proposals", COLUMNS, data)
    return work


def read(sql: str):
    def work(connection):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="postgresql://user:password@host:port/database (no +psycopg)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with psycopg.connect(args.database_url, autocommit=True) as connection:
        run_id = connection.execute("SELECT max(run_id) FROM proposals").fetchone()[0]
        if run_id is None:
            raise SystemExit("no proposals yet: run `flask --app app match run` first")
        full, narrow = exported(connection, run_id, COLUMNS), exported(connection, run_id, NARROW)
        rows = full.count(b"\n")
        open_rows = connection.execute("SELECT count(*) FROM proposals WHERE status = 'proposed'").fetchone()[0]
        print(f"run {run_id}: {rows:,} proposals, {len(full) / 1e6:.1f} MB as COPY text "
              f"({len(narrow) / 1e6:.1f} MB without alternatives); {open_rows:,} open proposals to supersede")
        steps = {
            "supersede": lambda c: c.execute("UPDATE proposals SET status = 'superseded' WHERE status = 'proposed'"),
            "copy": lambda c: copied(c, "proposals", COLUMNS, full),
            "copy, no alternatives": lambda c: copied(c, "proposals", NARROW, narrow),
            "copy, no foreign keys": without_foreign_keys(full),
            "copy into a bare table": bare_copy(full),
            **{name: read(sql) for name, sql in READS.items()},
        }
        seconds = {name: [] for name in steps}
        for _ in range(args.repeat):  # interleaved: the machine's drift spreads over every step alike
            for name, work in steps.items():
                seconds[name].append(timed_in_rollback(connection, work))
        width = max(map(len, steps))
        for name, values in seconds.items():
            runs = "  ".join(f"{v:.3f}" for v in values)
            print(f"{name:<{width}}  median {statistics.median(values):.3f} s   ({runs})")


if __name__ == "__main__":
    main()
