"""Benchmark of the staff exports (not a test): a city-year of needs exported as CSV and XLSX.

    .venv/bin/python benchmarks/bench_exports.py [--needs 10000] [--database-url URL]

Builds a throw-away database (SQLite in a temporary folder unless --database-url names an empty
PostgreSQL database, whose tables it DROPS), fills it with synthetic needs, offers and collaborations
by bulk insert, then downloads /exports/<dataset>.<fmt> through the real route as a signed-in staff
user. Prints, per file: rows, size, seconds (best of 3) and peak Python memory (tracemalloc, a
separate run: tracing slows the code down).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from gandeng.accounts.models import Kampung, Organisation  # noqa: E402
from gandeng.collaborations.models import Commitment  # noqa: E402
from gandeng.db import db  # noqa: E402
from gandeng.factory import create_app  # noqa: E402
from gandeng.needs.models import Need  # noqa: E402
from gandeng.offers.models import Offer, offer_categories  # noqa: E402
from gandeng.reference.models import Category, Kelurahan  # noqa: E402
from gandeng.reference.services import load_reference_data  # noqa: E402

STATUSES = ["verified"] * 5 + ["matched", "in_progress", "completed", "submitted", "draft"]


def fill(session, needs: int, rng: random.Random) -> None:
    """`needs` needs over 170 kampung, 100 organisations with 2 offers each, a collaboration for
    every second need."""
    kelurahan = session.scalars(select(Kelurahan.code)).all()
    categories = session.scalars(select(Category.code)).all()
    start = datetime(2026, 1, 1)
    session.execute(insert(Kampung), [
        {"name": f"Kampung {i}", "name_key": f"kampung {i}", "kelurahan_code": kelurahan[i % len(kelurahan)],
         "verified_at": start} for i in range(170)])
    session.execute(insert(Organisation), [
        {"name": f"Mitra {i}", "type": ("korporat", "kampus", "komunitas")[i % 3], "verified_at": start}
        for i in range(100)])
    kampung = session.execute(select(Kampung.id, Kampung.kelurahan_code)).all()
    orgs = session.scalars(select(Organisation.id)).all()
    session.execute(insert(Offer), [
        {"organisation_id": orgs[i % len(orgs)], "kind": "dana", "title": f"Program CSR {i}",
         "description": "Dana pembangunan jamban sehat, bedah rumah dan pelatihan UMKM. " * 3,
         "capacity_rp": 10_000_000_000, "status": "active", "valid_until": date(2026, 12, 31),
         "created_at": start} for i in range(200)])
    offers = session.scalars(select(Offer.id)).all()
    session.execute(insert(offer_categories), [
        {"offer_id": o, "category_code": c} for o in offers for c in rng.sample(categories, 3)])
    rows = []
    for i in range(needs):
        kampung_id, kel = kampung[i % len(kampung)]
        households = rng.randint(1, 30)
        rows.append({
            "ref": f"KBT-{i:06d}", "kampung_id": kampung_id, "kelurahan_code": kel, "rw": f"{rng.randint(1, 20):02d}",
            "category_code": rng.choice(categories), "title": f"Jamban sehat untuk {households} KK di RT {i % 12:02d}",
            "description": "Warga masih memakai kakus tanpa septictank di bantaran sungai; " * rng.randint(1, 6),
            "households": households, "kms_households": rng.randint(0, households),
            "cost_rp": rng.randint(1, 200) * 500_000, "deadline": date(2026, 6, 1) + timedelta(days=i % 300),
            "urgency": rng.choice(["rendah", "sedang", "tinggi", "darurat"]), "partial_ok": bool(i % 2),
            "beneficiaries": "Nama warga (tidak diekspor)", "contact_phone": "081200000000",
            "status": STATUSES[i % len(STATUSES)], "created_at": start + timedelta(minutes=50 * i),
            "verified_at": start + timedelta(minutes=50 * i + 600),
        })
    session.execute(insert(Need), rows)
    needs_rows = session.execute(select(Need.id, Need.cost_rp, Need.created_at)).all()
    session.execute(insert(Commitment), [
        {"need_id": need_id, "offer_id": offers[n % len(offers)], "amount_rp": cost, "realised_rp": cost // 2,
         "progress_percent": 50, "status": "in_progress", "created_at": created + timedelta(days=3),
         "confirmed_at": created + timedelta(days=4)}
        for n, (need_id, cost, created) in enumerate(needs_rows) if n % 2 == 0])
    session.commit()


def measure(client, path: str) -> tuple[int, int, float, float]:
    """(rows, bytes, best seconds of 3, peak MB)."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        response = client.get(path)
        best = min(best, time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    tracemalloc.start()
    client.get(path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    body = response.data
    rows = body.count(b"\r\n") - 1 if path.endswith(".csv") else None
    return rows, len(body), best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-exports-")
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_COST": "fast",
                      "RATELIMIT_STORAGE_URI": "memory://", "REDIS_URL": None, "UPLOAD_DIR": folder})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_reference_data(db.session)
        began = time.perf_counter()
        fill(db.session, args.needs, random.Random(7))
        print(f"database: {url.split(':', 1)[0]}, {args.needs} needs filled in {time.perf_counter() - began:.1f} s")
        from gandeng.accounts.models import Role, UserStatus
        from gandeng.accounts.services import create_user

        staff = create_user(db.session, None, email="bench@contoh.id", name="Bench", role=Role.STAFF,
                            password="rahasia-123", status=UserStatus.ACTIVE)
        db.session.commit()
        user_id = staff.get_id()
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = user_id
            sess["_fresh"] = True
        print(f"{'file':34} {'rows':>7} {'size':>9} {'seconds':>8} {'peak MB':>8}")
        for dataset in ("needs", "collaborations", "offers"):
            for fmt in ("csv", "xlsx"):
                rows, size, seconds, peak = measure(client, f"/exports/{dataset}.{fmt}")
                shown = "" if rows is None else rows
                print(f"/exports/{dataset}.{fmt:30}"[:34].ljust(34) +
                      f" {shown:>7} {size / 2**20:>7.2f}MB {seconds:>8.2f} {peak:>8.1f}")
        db.session.remove()
        if args.database_url:
            db.drop_all()
        db.engine.dispose()


if __name__ == "__main__":
    main()
