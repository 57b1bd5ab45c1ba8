"""Time `flask import needs` and `flask import offers` on large generated files.

    .venv/bin/python benchmarks/bench_import.py                       # SQLite in a temporary folder
    .venv/bin/python benchmarks/bench_import.py --needs 20000 --offers 10000 \\
        --database-url postgresql+psycopg://gandeng_test:gandeng_test@127.0.0.1:5432/DBNAME

Not a test: it writes two CSV files (Yogyakarta-like rows: the 45 kelurahan, up to 8 kampung in each,
300 organisations, every category, areas by kemantren and kelurahan name), builds a fresh
database (SQLite file, or the given PostgreSQL database emptied: DROP SCHEMA public), and runs
each import through the real CLI command in this process. Prints, per file: rows, file size,
seconds (and this process's CPU seconds), and the peak memory of the process (ru_maxrss) after it. Targets (issue 15): 20,000
needs <= 10 s, 10,000 offers <= 10 s, memory <= 300 MB.
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = ("jamban", "septictank", "atap", "dinding", "lantai", "sumur", "pipa", "tandon", "beasiswa", "seragam",
         "gizi", "posyandu", "pelatihan", "modal", "warung", "kursi roda", "lansia", "balita", "sanitasi", "listrik")


def cpu_seconds() -> float:
    """CPU this process used so far (user + system): less disturbed than wall time on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_needs(path: Path, count: int, kelurahan: list[str], categories: list[str], rng) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ref", "kelurahan", "kampung", "rw", "category", "title", "description", "households",
                         "kms_households", "cost_rp", "deadline", "urgency", "partial_ok"])
        for i in range(count):
            households = rng.randint(1, 40)
            words = " ".join(rng.sample(WORDS, 4))
            writer.writerow([
                f"BENCH-N-{i:06d}", rng.choice(kelurahan), f"Kampung Bench {rng.randint(1, 8)}",
                f"{rng.randint(1, 15):02d}", rng.choice(categories), f"Kebutuhan {i}: {words}",
                f"Warga RT {rng.randint(1, 20)} membutuhkan {words} untuk {households} keluarga.",
                households, rng.randint(0, households), f"Rp{rng.randint(1, 500) * 100_000:,}".replace(",", "."),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2030", rng.choice(("rendah", "sedang", "tinggi")),
                rng.choice(("ya", "tidak")),
            ])


def write_offers(path: Path, count: int, areas: list[str], categories: list[str], rng) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ref", "organisation", "org_type", "kind", "categories", "title", "description",
                         "capacity_rp", "areas", "valid_until"])
        for i in range(count):
            words = " ".join(rng.sample(WORDS, 4))
            writer.writerow([
                f"BENCH-O-{i:06d}", f"Mitra Bench {rng.randint(1, 300)}",
                rng.choice(("korporat", "kampus", "komunitas")), rng.choice(("dana", "barang", "jasa")),
                ";".join(rng.sample(categories, rng.randint(1, 3))), f"Penawaran {i}: {words}",
                f"Program {words} untuk kampung di Kota Yogyakarta.", rng.randint(5, 2000) * 1_000_000,
                ";".join(rng.sample(areas, rng.randint(0, 2))), "2030-12-31",
            ])


def fresh_database(url: str):
    """An app on an empty database at head, with the reference data."""
    from sqlalchemy import text

    from gandeng.db import db
    from gandeng.factory import create_app
    from gandeng.reference.services import load_reference_data
    from gandeng.schema import upgrade_to_head

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            upgrade_to_head()
        else:
            db.create_all()
        load_reference_data(db.session)
        db.session.commit()
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    app = fresh_database(url)
    from sqlalchemy import select

    from gandeng.db import db
    from gandeng.reference.models import Category, Kelurahan, Kemantren

    with app.app_context():
        kelurahan = list(db.session.scalars(select(Kelurahan.name)))
        kemantren = list(db.session.scalars(select(Kemantren.name)))
        categories = list(db.session.scalars(select(Category.code)))
    rng = random.Random(args.seed)
    needs_file, offers_file = folder / "needs.csv", folder / "offers.csv"
    write_needs(needs_file, args.needs, kelurahan, categories, rng)
    write_offers(offers_file, args.offers, kemantren + kelurahan, categories, rng)
    print(f"database: {url.split('@')[-1]}; peak memory before importing {peak_mb():.0f} MB")
    runner = app.test_cli_runner()
    failed = False
    for kind, path, count in (("needs", needs_file, args.needs), ("offers", offers_file, args.offers)):
        clock, cpu = time.perf_counter(), cpu_seconds()
        outcome = runner.invoke(args=["import", kind, str(path)])
        seconds, cpu = time.perf_counter() - clock, cpu_seconds() - cpu
        failed |= outcome.exit_code != 0
        if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
            raise outcome.exception
        print(f"import {kind}: {count} rows, {path.stat().st_size / 1e6:.1f} MB file, {seconds:.2f} s "
              f"(CPU of this process {cpu:.2f} s), peak memory {peak_mb():.0f} MB -> {(outcome.output or '').strip().splitlines()[-1:]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
