"""Fill a database with a large, realistic Yogyakarta-like data set for the load and scale benchmarks.

    .venv/bin/flask --app app init-db            # with DATABASE_URL set: schema + reference data
    .venv/bin/python benchmarks/load/fill.py --needs 100000 --offers 20000 DATABASE_URL

Not a test and not demo data: kampung across the 45 kelurahan, organisations, a few hundred
users with one known password, needs in a realistic status mix (with the commitments that make
`matched`, `in_progress` and `completed` true), offers with categories and areas. Rows go in
with COPY on PostgreSQL (SQLAlchemy Core executemany elsewhere), ids assigned here and the
sequences moved past them, so 100k needs take seconds. Seeded: the same arguments give the
same data. `--open` makes every need verified and every offer active (the matching benchmark);
`--reset` first empties every table but the reference data.

Users (all active, password --password, default "bench-password"):
  staff1..N@bench.test, admin1@bench.test, coord<kampung id>@bench.test (one per kampung),
  partner<organisation id>@bench.test (one per organisation). The list is printed at the end.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from bench_matching import FILLER_NEED, FILLER_OFFER, TOPICS  # noqa: E402  (realistic texts)
from gandeng.accounts.passwords import hash_password  # noqa: E402
from gandeng.db import db  # noqa: E402
from gandeng.reference.services import normalise_name  # noqa: E402
import gandeng.models  # noqa: E402,F401  (every table in the metadata)

TABLES = db.Model.metadata.tables
# Everything but the reference data (kemantren, kelurahan, categories), children first.
FILLED_TABLES = (
    "password_resets", "notification_preferences", "reminders_sent",
    "progress_photos", "progress_reports", "commitments", "proposals", "matching_runs",
    "need_attachments", "outbox_messages", "notifications", "outbox_emails", "audit_events", "offer_areas",
    "offer_categories", "offers", "needs", "users", "kampung", "organisations",
)

KAMPUNG_BASES = [
    "Jogoyudan", "Ledok Tukangan", "Gowongan", "Sosrowijayan", "Suryatmajan", "Tegalpanggung",
    "Code", "Jetisharjo", "Cokrokusuman", "Gondolayu", "Terban", "Sagan", "Karanganyar",
    "Ngampilan", "Notoprajan", "Pakuncen", "Kuncen", "Badran", "Bumijo", "Tukangan", "Juminahan",
    "Lempuyangan", "Kotabaru", "Prawirotaman", "Tirtodipuran", "Mantrijeron", "Gedongkiwo",
    "Suryodiningratan", "Minggiran", "Mergangsan", "Brontokusuman", "Sorosutan", "Giwangan",
    "Tahunan", "Pandeyan", "Rejowinangun", "Prenggan", "Purbayan", "Mujamuju", "Semaki",
    "Baciro", "Demangan", "Klitren", "Terban Taman", "Gondokusuman", "Patangpuluhan", "Wirobrajan",
    "Pakuncen", "Tegalrejo", "Bener", "Kricak", "Karangwaru", "Wirogunan", "Keparakan", "Kadipaten",
    "Panembahan", "Patehan", "Ngupasan", "Prawirodirjan", "Gunungketur", "Pringgokusuman",
]
SUFFIXES = ["Lor", "Kidul", "Wetan", "Kulon", "Tengah", "Baru"]
ORG_NAMES = {
    "korporat": ["Bank", "PT", "Hotel", "CV", "Koperasi", "Perum"],
    "kampus": ["Universitas", "Politeknik", "Institut", "Sekolah Tinggi", "Akademi"],
    "komunitas": ["Komunitas", "Yayasan", "Forum", "Paguyuban", "Gerakan"],
}
ORG_WORDS = ["Mataram", "Merapi", "Progo", "Malioboro", "Kaliurang", "Sentosa", "Nusantara", "Gadjah",
             "Lestari", "Makmur", "Sejahtera", "Peduli", "Bersama", "Mandiri", "Jaya", "Tugu", "Keraton",
             "Kotagede", "Bantul", "Sleman", "Prambanan", "Parangtritis", "Code", "Winongo", "Gajahwong"]
FIRST_NAMES = ["Sri", "Budi", "Siti", "Agus", "Endang", "Joko", "Wahyu", "Rini", "Bambang", "Dwi", "Tri",
               "Sutrisno", "Sumarni", "Heru", "Yuli", "Puji", "Eko", "Nur", "Ratna", "Slamet"]
LAST_NAMES = ["Rahayu", "Santoso", "Wibowo", "Lestari", "Prasetyo", "Handayani", "Susanto", "Wulandari",
              "Nugroho", "Purnomo", "Hartono", "Kurniawan", "Setiawan", "Maryati", "Widodo"]

# Need statuses (share) in a city that has run the programme for a while.
NEED_MIX = [("verified", .50), ("submitted", .10), ("draft", .06), ("returned", .03), ("matched", .10),
            ("in_progress", .06), ("completed", .08), ("rejected", .02), ("withdrawn", .05)]
OFFER_MIX = [("active", .82), ("draft", .05), ("expired", .08), ("withdrawn", .05)]
KINDS = [("dana", .5), ("barang", .25), ("jasa", .1), ("pelatihan", .1), ("pembelian", .05)]
URGENCY = [("rendah", .2), ("sedang", .45), ("tinggi", .28), ("darurat", .07)]


def pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


class Filler:
    """Generates rows and writes them table by table (COPY on PostgreSQL)."""

    def __init__(self, url: str, seed: int, password: str, today: date):
        self.engine = create_engine(url)
        self.is_pg = self.engine.dialect.name == "postgresql"
        self.rng = random.Random(seed)
        self.password_hash = hash_password(password)  # hashed once, reused for every user
        self.today = today
        self.now = datetime.combine(today, datetime.min.time()) + timedelta(hours=3)
        self.counts: dict[str, int] = {}

    # --- writing ------------------------------------------------------------------------------

    def write(self, conn, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.is_pg:
            raw = conn.connection.driver_connection  # psycopg 3
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            conn.execute(insert(TABLES[table]), [dict(zip(columns, row)) for row in rows])
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def next_id(self, conn, table: str) -> int:
        return int(conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar()) + 1

    def fix_sequences(self, conn) -> None:
        if not self.is_pg:
            return
        for table in ("kampung", "organisations", "users", "needs", "offers", "commitments"):
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            ))

    def bump_public_version(self, conn) -> None:
        """COPY goes around the session that notices writes: say here that the public figures
        changed, so no cached copy of an earlier fill is served (reports.public_version)."""
        if "public_versions" not in TABLES:
            return
        changed = conn.execute(text("UPDATE public_versions SET version = version + 1, changed_at = :now "
                                    "WHERE name = 'public'"), {"now": self.now})
        if not changed.rowcount:
            conn.execute(text("INSERT INTO public_versions (name, version, changed_at) VALUES ('public', 1, :now)"),
                         {"now": self.now})

    def reset(self, conn) -> None:
        if self.is_pg:
            conn.execute(text(f"TRUNCATE {', '.join(FILLED_TABLES)} RESTART IDENTITY CASCADE"))
        else:
            for table in FILLED_TABLES:
                conn.execute(TABLES[table].delete())

    # --- data ---------------------------------------------------------------------------------

    def when(self, days_back: int) -> datetime:
        """A moment within the last `days_back` days."""
        return self.now - timedelta(seconds=self.rng.randrange(days_back * 86400))

    def fill(self, n_needs: int, n_offers: int, kampung_per_kelurahan: int, n_orgs: int, n_staff: int,
             open_only: bool) -> None:
        rng = self.rng
        with self.engine.begin() as conn:
            kel = conn.execute(text("SELECT code, name, kemantren_code FROM kelurahan ORDER BY code")).all()
            cats = [c for (c,) in conn.execute(text("SELECT code FROM categories ORDER BY position"))]
            if not kel or not cats:
                raise SystemExit("fill: no reference data: run `flask --app app init-db` first")
            kemantren = sorted({k for _, _, k in kel})
            topics = {c: TOPICS.get(c) or TOPICS[rng.choice(sorted(TOPICS))] for c in cats}

            # kampung
            kampung, first = [], self.next_id(conn, "kampung")
            for code, kel_name, _ in kel:
                bases = rng.sample(KAMPUNG_BASES, kampung_per_kelurahan)
                for i, base in enumerate(bases):
                    name = f"{base} {SUFFIXES[i % len(SUFFIXES)]}"
                    kampung.append((first + len(kampung), name, normalise_name(name), code,
                                    self.when(900), self.when(900)))
            self.write(conn, "kampung", ["id", "name", "name_key", "kelurahan_code", "verified_at", "created_at"],
                       kampung)

            # organisations
            orgs, first, names = [], self.next_id(conn, "organisations"), set()
            for _ in range(n_orgs):
                kind = pick(rng, [("korporat", .5), ("kampus", .25), ("komunitas", .25)])
                while True:
                    name = f"{rng.choice(ORG_NAMES[kind])} {rng.choice(ORG_WORDS)} {rng.choice(ORG_WORDS)}"
                    if name not in names:
                        break
                names.add(name)
                oid = first + len(orgs)
                orgs.append((oid, name, kind, f"0274{rng.randrange(100000, 999999)}", f"csr{oid}@bench.test",
                             f"Jl. {rng.choice(ORG_WORDS)} No. {rng.randrange(1, 200)}, Yogyakarta",
                             self.when(900), self.when(900)))
            self.write(conn, "organisations",
                       ["id", "name", "type", "phone", "email", "address", "verified_at", "created_at"], orgs)

            # users: staff, one admin, a coordinator per kampung, a partner per organisation
            users, first = [], self.next_id(conn, "users")

            def user(email, role, kampung_id=None, organisation_id=None):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                created = self.when(900)
                users.append((first + len(users), email, name, f"08{rng.randrange(10**9, 10**10)}",
                              self.password_hash, role, "active", kampung_id, organisation_id, 1, "id",
                              created, created))
                return users[-1][0]

            for i in range(1, n_staff + 1):
                user(f"staff{i}@bench.test", "staff")
            user("admin1@bench.test", "admin")
            coordinator_of = {k[0]: user(f"coord{k[0]}@bench.test", "coordinator", kampung_id=k[0])
                              for k in kampung}
            partner_of = {o[0]: user(f"partner{o[0]}@bench.test", "partner", organisation_id=o[0]) for o in orgs}
            self.write(conn, "users", ["id", "email", "name", "phone", "password_hash", "role", "status",
                                       "kampung_id", "organisation_id", "session_version", "locale",
                                       "created_at", "verified_at"], users)

            # offers (before needs: commitments of matched needs take money from them)
            offers, offer_cats, offer_areas, first = [], [], [], self.next_id(conn, "offers")
            kel_codes = [k[0] for k in kel]
            for j in range(n_offers):
                oid = first + j
                org = rng.choice(orgs)
                c = rng.choice(cats)
                words = rng.sample(topics[c][rng.randrange(len(topics[c]))][1], 1)[0]
                status = "active" if open_only else pick(rng, OFFER_MIX)
                created = self.when(540)
                if status == "expired":
                    valid_until = self.today - timedelta(days=rng.randrange(1, 200))
                else:
                    valid_until = self.today + timedelta(days=rng.randrange(30, 400))
                capacity = max(2_000_000, min(2_000_000_000, int(rng.lognormvariate(16.3, 0.9)))) // 1000 * 1000
                fill = " ".join(rng.sample(FILLER_OFFER, 2)).format(org=org[1])
                offers.append([oid, f"B-O{oid:07d}", org[0], pick(rng, KINDS), f"{words.capitalize()} dari {org[1]}",
                               f"{words} untuk warga kampung {fill}.", capacity, 0, valid_until, status,
                               partner_of[org[0]], created, created])
                r = rng.random()
                chosen = [] if r < 0.1 else [c] if r < 0.8 else [c, rng.choice(cats)]
                offer_cats += [(oid, code) for code in dict.fromkeys(chosen)]
                r = rng.random()
                if r < 0.45:
                    areas = []
                elif r < 0.8:
                    areas = [rng.choice(kemantren)]
                elif r < 0.9:
                    areas = sorted(set(rng.sample(kemantren, 2)))
                else:
                    areas = sorted(set(rng.sample(kel_codes, 3)))
                offer_areas += [(oid, code) for code in areas]

            # needs, and commitments for those past verification
            needs, commitments = [], []
            first, first_commitment = self.next_id(conn, "needs"), self.next_id(conn, "commitments")
            active = [o for o in offers if o[9] == "active"]
            for i in range(n_needs):
                nid = first + i
                k = rng.choice(kampung)
                c = rng.choice(cats)
                topic = topics[c][rng.randrange(len(topics[c]))][0]
                words = rng.sample(topic, min(2, len(topic)))
                fill = " ".join(rng.sample(FILLER_NEED, 2)).format(rt=rng.randrange(1, 20), rw=rng.randrange(1, 15))
                hh = rng.randrange(3, 80)
                cost = max(500_000, min(200_000_000, int(rng.lognormvariate(16.0, 0.8)))) // 1000 * 1000
                status = "verified" if open_only else pick(rng, NEED_MIX)
                created = self.when(730)
                submitted = created + timedelta(hours=rng.randrange(1, 72)) if status != "draft" else None
                verified = (submitted + timedelta(days=rng.randrange(1, 14))
                            if status in ("verified", "matched", "in_progress", "completed") else None)
                partial = rng.random() < 0.3
                committed = 0
                if status in ("matched", "in_progress", "completed") and active:
                    offer = rng.choice(active)
                    amount = min(cost, offer[6] - offer[7])
                    if amount <= 0 or (amount < cost and not partial):
                        status = "verified"
                    else:
                        offer[7] += amount
                        committed = amount
                        cstatus = {"matched": "awaiting_partner", "in_progress": "in_progress",
                                   "completed": "completed"}[status]
                        done = cstatus == "completed"
                        at = min(verified + timedelta(days=rng.randrange(1, 30)), self.now)
                        commitments.append((first_commitment + len(commitments), nid, offer[0], amount,
                                            amount if done else (amount // 2 if cstatus == "in_progress" else 0),
                                            100 if done else (50 if cstatus == "in_progress" else 0),
                                            cstatus, "", hh if done else None, users[0][0], at, at,
                                            at if cstatus != "awaiting_partner" else None,
                                            at if done else None))
                reason = {"returned": "Mohon lengkapi foto kondisi.", "rejected": "Bukan kewenangan program.",
                          "withdrawn": "Sudah dibantu swadaya."}.get(status, "")
                needs.append((nid, f"B-N{nid:07d}", k[0], k[3], str(rng.randrange(1, 15)), c,
                              f"{words[0].capitalize()} di {k[1]}"[:160],
                              f"{words[0]}, {words[-1]} {fill}.", hh, rng.randrange(0, hh + 1), cost, committed,
                              self.today + timedelta(days=rng.randrange(-10, 365)) if rng.random() < 0.6 else None,
                              pick(rng, URGENCY), partial, "", f"08{rng.randrange(10**9, 10**10)}", status, reason,
                              coordinator_of[k[0]], created, verified or submitted or created, submitted, verified))
            for offer in offers:
                if offer[9] == "active" and offer[7] >= offer[6]:
                    offer[9] = "fully_committed"
            self.write(conn, "offers", ["id", "ref", "organisation_id", "kind", "title", "description",
                                        "capacity_rp", "committed_rp", "valid_until", "status", "created_by_id",
                                        "created_at", "updated_at"], [tuple(o) for o in offers])
            self.write(conn, "offer_categories", ["offer_id", "category_code"], offer_cats)
            self.write(conn, "offer_areas", ["offer_id", "code"], offer_areas)
            self.write(conn, "needs", ["id", "ref", "kampung_id", "kelurahan_code", "rw", "category_code", "title",
                                       "description", "households", "kms_households", "cost_rp", "committed_rp",
                                       "deadline", "urgency", "partial_ok", "beneficiaries", "contact_phone",
                                       "status", "status_reason", "created_by_id", "created_at", "updated_at",
                                       "submitted_at", "verified_at"], needs)
            self.write(conn, "commitments", ["id", "need_id", "offer_id", "amount_rp", "realised_rp",
                                             "progress_percent", "status", "status_reason",
                                             "beneficiaries_reached", "created_by_id", "created_at", "updated_at",
                                             "confirmed_at", "completed_at"], commitments)
            self.fix_sequences(conn)
            self.bump_public_version(conn)
        if self.is_pg:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                # Statistics for the planner and a visibility map for index-only scans, as a
                # database in steady state has them after autovacuum.
                for table in FILLED_TABLES:
                    conn.execute(text(f"VACUUM ANALYZE {table}"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="SQLAlchemy URL, e.g. postgresql+psycopg://u:p@127.0.0.1/db")
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--kampung-per-kelurahan", type=int, default=4)
    parser.add_argument("--organisations", type=int, default=150)
    parser.add_argument("--staff", type=int, default=30)
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--open", action="store_true", help="every need verified, every offer active")
    parser.add_argument("--reset", action="store_true", help="empty every non-reference table first")
    args = parser.parse_args(argv)
    clock = time.perf_counter()
    filler = Filler(args.database_url, args.seed, args.password, date.today())
    if args.reset:
        with filler.engine.begin() as conn:
            filler.reset(conn)
    filler.fill(args.needs, args.offers, args.kampung_per_kelurahan, args.organisations, args.staff, args.open)
    seconds = time.perf_counter() - clock
    print("rows: " + ", ".join(f"{table} {n}" for table, n in filler.counts.items()))
    print(f"filled in {seconds:.1f} s; users' password: {args.password!r} "
          f"(staff1..{args.staff}@bench.test, admin1@bench.test, coord<kampung id>@bench.test, "
          f"partner<organisation id>@bench.test)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
