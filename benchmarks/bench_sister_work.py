"""Sister year's work benchmark (issue 17, points 4-5): the late-report reminders (run every minute by the
worker) and the year's figures (dashboard, open data, PDFs) over a published year.

    .venv/bin/python benchmarks/bench_sister_work.py                 # 169 and 2000 kampung, SQLite
    .venv/bin/python benchmarks/bench_sister_work.py --kampung 2000 --database postgresql+psycopg://...

Not a test: it measures. It builds a throw-away database (SQLite in a temporary folder unless
--database names an empty one), N verified kampung spread over the 45 kelurahan, N/3 campuses and N/2
companies, one published year with every kampung paired, a report for half of the pairs in quarters
1 and 2, and a coordinator per kampung and a member per partner; then it times, at 1 November of the
year: the first reminder round (queues the late quarter-3 reports), the next round (nothing new: what
the worker does every minute), the year's figures and the city PDF.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(session, n: int, year: int) -> None:
    from sqlalchemy import select

    from gandeng.accounts.models import Kampung, Organisation, Role, User
    from gandeng.reference.models import Kelurahan
    from gandeng.sister.models import RoundStatus, SisterPair, SisterReport, SisterRound

    codes = list(session.scalars(select(Kelurahan.code).order_by(Kelurahan.code)))
    now = datetime(year - 1, 12, 1)
    kampung = [Kampung(name=f"Kampung {i}", name_key=f"kampung {i}", kelurahan_code=codes[i % len(codes)],
                       verified_at=now) for i in range(n)]
    campuses = [Organisation(name=f"Kampus {i}", type="kampus", verified_at=now) for i in range(max(1, n // 3))]
    companies = [Organisation(name=f"PT {i}", type="korporat", verified_at=now) for i in range(max(1, n // 2))]
    session.add_all(kampung + campuses + companies)
    session.flush()
    users = [User(email=f"k{i}@bench.id", name=f"Koordinator {i}", role=Role.COORDINATOR, kampung_id=k.id,
                  password_hash="x", status="active") for i, k in enumerate(kampung)]
    users += [User(email=f"o{o.id}@bench.id", name=f"Mitra {o.id}", role=Role.PARTNER, organisation_id=o.id,
                   password_hash="x", status="active") for o in campuses + companies]
    session.add_all(users)
    sister_round = SisterRound(year=year, status=RoundStatus.PUBLISHED, published_at=now)
    session.add(sister_round)
    session.flush()
    pairs = [SisterPair(round_id=sister_round.id, kampung_id=k.id, campus_id=campuses[i % len(campuses)].id,
                        company_id=companies[i % len(companies)].id, campus_km=1.0 + i % 5, company_km=2.0,
                        campus_themes="sanitation" if i % 2 else "", company_themes="")
             for i, k in enumerate(kampung)]
    session.add_all(pairs)
    session.flush()
    session.add_all(SisterReport(pair_id=p.id, quarter=q, text="Kegiatan", households_reached=10, students=3,
                                 on_time=q == 1, created_at=datetime(year, 3 * q + 1, 10))
                    for p in pairs[::2] for q in (1, 2))
    session.commit()


def measure(database: str | None, n: int) -> None:
    from gandeng.factory import create_app

    year = 2027
    with tempfile.TemporaryDirectory() as folder:
        url = database or f"sqlite:///{folder}/bench.sqlite"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": folder,
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        runner = app.test_cli_runner()
        assert runner.invoke(args=["init-db"]).exit_code == 0
        with app.app_context(), app.test_request_context():
            from gandeng.db import db
            from gandeng.sister import documents, figures, work

            started = time.perf_counter()
            build(db.session, n, year)
            built = time.perf_counter() - started
            now = datetime(year, 11, 1, 3)
            started = time.perf_counter()
            first = work.remind_late_reports(db.session, now)
            db.session.commit()
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            again = work.remind_late_reports(db.session, now)
            db.session.commit()
            again_s = time.perf_counter() - started
            db.session.expire_all()
            started = time.perf_counter()
            found = figures.year_figures(db.session, year, date(year, 11, 1))
            figures_s = time.perf_counter() - started
            started = time.perf_counter()
            pdf = bytes(documents.city_pdf(found, now).output())
            pdf_s = time.perf_counter() - started
            db.session.remove()
            print(f"== {n} kampung ({url.split(':')[0]}; built in {built:.1f} s) ==")
            print(f"first reminder round: {first} late reports reminded in {first_s:.2f} s")
            print(f"next round (the worker's every minute): {again} reminded in {again_s:.3f} s")
            print(f"year figures: {found.city.kampung} pairs, reports on time {found.city.reports_on_time}/"
                  f"{found.city.reports_due}, in {figures_s:.2f} s")
            print(f"city PDF: {len(pdf) // 1024} KB in {pdf_s:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kampung", type=int, action="append")
    parser.add_argument("--database")
    args = parser.parse_args()
    for n in args.kampung or [169, 2000]:
        measure(args.database, n)


if __name__ == "__main__":
    main()
