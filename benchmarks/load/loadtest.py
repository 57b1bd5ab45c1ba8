"""A bounded load test on loopback: virtual users browsing, posting needs and approving proposals.

    .venv/bin/python benchmarks/load/loadtest.py --start-server \\
        --database-url postgresql+psycopg://h7c:h7c@127.0.0.1:5432/h7c_bench

Not a test: it measures and prints. Standard library only for the load itself (threads and
http.client, one keep-alive connection and cookie jar per virtual user); SQLAlchemy only to
read ids from the filled database beforehand (see fill.py). With --start-server it runs
`gunicorn -w 4 --threads 4` on 127.0.0.1:PORT against that database and stops it afterwards.

Virtual users (default 50 for 60 s, each waiting --think seconds between requests):
- anonymous visitors (70%): home, /needs (pages, filters, now and then a deep page),
  /needs/<id>, /offers (pages, filters), /offers/<id>;
- coordinators (20%): their kampung's needs, /needs/<id>, and posting a need
  (GET /needs/new, POST with the form's CSRF token; must answer 302);
- staff (10%): /review (pages and filters), /admin/users, and approving open proposals
  (POST /review/proposals/<id>/approve as the htmx button sends it, with X-CSRFToken;
  409 = the proposal no longer fits, counted apart and not as an error).

Prints requests, req/s and p50/p95/p99 per kind of request and overall, errors (a status other
than 2xx/3xx, a connection failure, or a POST that did not do what it should), and 409s.
Log-ins happen before the clock starts.
"""
from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
PAGE_KINDS = ("home", "needs_list", "needs_filtered", "needs_deep", "need_show", "offers_list",
              "offers_filtered", "offer_show", "my_needs", "need_form", "review", "admin_users")


class Stats:
    """Response times per kind of request, errors and expected conflicts; thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.conflicts: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def add(self, kind: str, seconds: float, ok: bool, conflict: bool = False, detail: str = "") -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if conflict:
                self.conflicts[kind] += 1
            elif not ok:
                self.errors[kind] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {detail}")


class Client:
    """One virtual user's keep-alive connection and cookies."""

    def __init__(self, host: str, port: int, stats: Stats, timeout: float = 30.0) -> None:
        self.host, self.port, self.stats, self.timeout = host, port, stats, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def request(self, kind: str, method: str, path: str, form: dict | None = None,
                headers: dict | None = None, expect=None, record: bool = True) -> tuple[int, str, dict]:
        """Send one request, record its time; `expect(status, body)` says whether it did its job."""
        head = {"Host": f"{self.host}:{self.port}", "User-Agent": "gandeng-loadtest"}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        head.update(headers or {})
        t0 = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=head)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    cookie = http.cookies.SimpleCookie()
                    cookie.load(value)
                    for name, morsel in cookie.items():
                        self.cookies[name] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException) as error:
            elapsed = time.perf_counter() - t0
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            if record:
                self.stats.add(kind, elapsed, False, detail=f"{method} {path}: {type(error).__name__} {error}")
            return 0, "", {}
        elapsed = time.perf_counter() - t0
        # The approve button answers htmx with the decided card: green when committed, amber (and
        # no commitment) when the pair no longer fits, which is a conflict, not an error.
        conflict = kind == "approve" and status == 200 and "proposal-decided" in text and "border-success" not in text
        ok = (expect(status, text) if expect else 200 <= status < 400)
        if record:
            snippet = re.sub(r"\s+", " ", text)[:160]
            self.stats.add(kind, elapsed, ok, conflict, detail=f"{method} {path}: {status} {snippet}")
        return status, text, dict(response.getheaders())


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return (match.group(1) or match.group(2)) if match else ""


class World:
    """Ids and names read from the database before the run."""

    def __init__(self, url: str, proposals: int) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as conn:
            q = lambda sql: [row[0] for row in conn.execute(text(sql))]  # noqa: E731
            public = "('verified','matched','in_progress','completed')"
            self.need_ids = q(f"SELECT id FROM needs WHERE status IN {public} ORDER BY random() LIMIT 5000")
            self.public_needs = q(f"SELECT count(*) FROM needs WHERE status IN {public}")[0]
            self.offer_ids = q("SELECT id FROM offers WHERE status IN ('active','fully_committed','expired') "
                               "ORDER BY random() LIMIT 2000")
            self.public_offers = q("SELECT count(*) FROM offers WHERE status IN "
                                   "('active','fully_committed','expired')")[0]
            self.categories = q("SELECT code FROM categories ORDER BY position")
            self.kemantren = q("SELECT code FROM kemantren ORDER BY code")
            self.kelurahan = q("SELECT code FROM kelurahan ORDER BY code")
            self.coordinators = q("SELECT u.email FROM users u JOIN kampung k ON k.id = u.kampung_id "
                                  "WHERE u.role = 'coordinator' AND u.status = 'active' ORDER BY u.id")
            self.staff = q("SELECT email FROM users WHERE role = 'staff' AND status = 'active' ORDER BY id")
            # Best first, as staff meet them in the review queue: approvals then compete for offers.
            self.proposals = q("SELECT id FROM proposals WHERE status = 'proposed' "
                               f"ORDER BY score DESC, id LIMIT {int(proposals)}")
        engine.dispose()
        self.proposal_lock = threading.Lock()

    def next_proposal(self) -> int | None:
        with self.proposal_lock:
            return self.proposals.pop(0) if self.proposals else None


NEED_WORDS = ["Jamban rusak", "Atap bocor", "Balita gizi kurang", "Jalan gang berlubang", "Beasiswa anak",
              "Modal angkringan", "Sumur kering", "Lampu gang mati", "Pelatihan menjahit", "Lansia sebatang kara"]


class VirtualUser(threading.Thread):
    def __init__(self, role: str, index: int, args, world: World, stats: Stats, stop: threading.Event,
                 ready: threading.Barrier) -> None:
        super().__init__(daemon=True)
        self.role, self.index, self.args, self.world, self.stats = role, index, args, world, stats
        self.stop, self.ready = stop, ready
        self.rng = random.Random(1000 + index)
        self.client = Client("127.0.0.1", args.port, stats)
        self.login_ok = True
        self.posted = self.approved = 0

    # --- scenarios ----------------------------------------------------------------------------

    def login(self, email: str) -> None:
        status, html, _ = self.client.request("login_form", "GET", "/login")
        status, _, _ = self.client.request(
            "login", "POST", "/login", form={"email": email, "password": self.args.password,
                                             "csrf_token": csrf_of(html)},
            expect=lambda s, _b: s == 302)
        self.login_ok = status == 302

    def think(self) -> None:
        low, high = self.args.think
        self.stop.wait(self.rng.uniform(low, high))

    def browse_needs(self, kind_bias: float = 0.0) -> None:
        w, r = self.world, self.rng.random()
        pages = max(1, -(-w.public_needs // 20))
        if r < 0.45 - kind_bias:
            self.client.request("needs_list", "GET", f"/needs?page={self.rng.randint(1, 5)}")
        elif r < 0.90 - kind_bias:
            choice = self.rng.random()
            if choice < 0.4:
                query = {"category": self.rng.choice(w.categories)}
            elif choice < 0.7:
                query = {"kemantren": self.rng.choice(w.kemantren), "category": self.rng.choice(w.categories)}
            elif choice < 0.9:
                query = {"kelurahan": self.rng.choice(w.kelurahan)}
            else:
                query = {"status": self.rng.choice(["verified", "matched", "in_progress", "completed"])}
            query["page"] = str(self.rng.choice([1, 1, 1, 2, 3]))
            self.client.request("needs_filtered", "GET", "/needs?" + urllib.parse.urlencode(query))
        else:
            self.client.request("needs_deep", "GET", f"/needs?page={self.rng.randint(6, pages)}")

    def browse_offers(self) -> None:
        w = self.world
        if self.rng.random() < 0.5:
            pages = max(1, -(-w.public_offers // 20))
            page = self.rng.randint(1, 5) if self.rng.random() < 0.9 else self.rng.randint(6, pages)
            self.client.request("offers_list", "GET", f"/offers?page={page}")
        else:
            query = self.rng.choice([{"category": self.rng.choice(w.categories)},
                                     {"kind": self.rng.choice(["dana", "barang", "jasa", "pelatihan"])},
                                     {"status": "active", "category": self.rng.choice(w.categories)},
                                     {"org_type": self.rng.choice(["korporat", "kampus", "komunitas"])}])
            self.client.request("offers_filtered", "GET", "/offers?" + urllib.parse.urlencode(query))

    def anonymous_step(self) -> None:
        r = self.rng.random()
        if r < 0.15:
            self.client.request("home", "GET", "/")
        elif r < 0.50:
            self.browse_needs()
        elif r < 0.75:
            self.client.request("need_show", "GET", f"/needs/{self.rng.choice(self.world.need_ids)}")
        elif r < 0.90:
            self.browse_offers()
        else:
            self.client.request("offer_show", "GET", f"/offers/{self.rng.choice(self.world.offer_ids)}")

    def coordinator_step(self) -> None:
        r = self.rng.random()
        if r < 0.25:
            self.client.request("my_needs", "GET", "/needs?mine=1")
        elif r < 0.45:
            self.client.request("need_show", "GET", f"/needs/{self.rng.choice(self.world.need_ids)}")
        elif r < 0.60:
            self.browse_needs()
        else:
            status, html, _ = self.client.request("need_form", "GET", "/needs/new")
            if status != 200:
                return
            self.think()
            words = self.rng.choice(NEED_WORDS)
            form = {
                "csrf_token": csrf_of(html), "category": self.rng.choice(self.world.categories),
                "title": f"{words} RT {self.rng.randint(1, 20)}",
                "description": f"{words}; warga sudah swadaya tetapi belum cukup. Mohon dibantu.",
                "rw": str(self.rng.randint(1, 15)), "households": "12", "kms_households": "5",
                "cost_rp": f"{self.rng.randint(5, 150) * 100_000}", "urgency": "sedang",
            }
            status, _, _ = self.client.request(
                "need_post", "POST", "/needs/new", form=form,
                expect=lambda s, _b: s == 302)
            if status == 302:
                self.posted += 1

    def staff_step(self) -> None:
        r = self.rng.random()
        if r < 0.35:
            query = {"page": str(self.rng.randint(1, 5))}
            if self.rng.random() < 0.3:
                query["category"] = self.rng.choice(self.world.categories)
            status, html, _ = self.client.request("review", "GET", "/review?" + urllib.parse.urlencode(query))
            self.csrf = csrf_of(html) or getattr(self, "csrf", "")
        elif r < 0.45:
            self.client.request("admin_users", "GET", f"/admin/users?page={self.rng.randint(1, 3)}")
        else:
            proposal = self.world.next_proposal()
            if proposal is None:
                return
            if not getattr(self, "csrf", ""):
                _, html, _ = self.client.request("review", "GET", "/review")
                self.csrf = csrf_of(html)
            status, body, _ = self.client.request(
                "approve", "POST", f"/review/proposals/{proposal}/approve", form={},
                headers={"HX-Request": "true", "X-CSRFToken": self.csrf,
                         "Idempotency-Key": f"load-test-{proposal:08d}"},
                expect=lambda s, b: s == 200 and "proposal-decided" in b)
            if status == 200 and "border-success" in body:
                self.approved += 1

    def run(self) -> None:
        try:
            if self.role == "coordinator":
                self.login(self.world.coordinators[self.index % len(self.world.coordinators)])
            elif self.role == "staff":
                self.login(self.world.staff[self.index % len(self.world.staff)])
        finally:
            self.ready.wait()
        step = {"anonymous": self.anonymous_step, "coordinator": self.coordinator_step,
                "staff": self.staff_step}[self.role]
        if not self.login_ok:
            return
        while not self.stop.is_set():
            step()
            self.think()


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, int(-(-q * len(sorted_values) // 1)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def report(stats: Stats, seconds: float, users: list[VirtualUser], world_left: int) -> dict:
    kinds = sorted(stats.times, key=lambda k: (k in ("login_form", "login"), k))
    print(f"\n{'kind':<17}{'count':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"
          f"{'errors':>8}{'409':>6}")
    summary = {}

    def line(name, values, errors, conflicts, per_second=True):
        values = sorted(values)
        row = {"count": len(values), "p50": 1000 * percentile(values, .50), "p95": 1000 * percentile(values, .95),
               "p99": 1000 * percentile(values, .99), "max": 1000 * (values[-1] if values else 0),
               "errors": errors, "409": conflicts}
        rate = f"{len(values) / seconds:8.1f}" if per_second else f"{'':>8}"
        print(f"{name:<17}{row['count']:>7}{rate}{row['p50']:>8.0f}{row['p95']:>8.0f}{row['p99']:>8.0f}"
              f"{row['max']:>8.0f}{errors:>8}{conflicts:>6}")
        summary[name] = row

    for kind in kinds:
        line(kind, stats.times[kind], stats.errors[kind], stats.conflicts[kind],
             per_second=kind not in ("login_form", "login"))
    measured = [k for k in kinds if k not in ("login_form", "login")]
    print("-" * 78)
    line("pages (GET)", [t for k in measured if k in PAGE_KINDS for t in stats.times[k]],
         sum(stats.errors[k] for k in measured if k in PAGE_KINDS), 0)
    line("all (no log-in)", [t for k in measured for t in stats.times[k]],
         sum(stats.errors[k] for k in measured), sum(stats.conflicts[k] for k in measured))
    total = summary["all (no log-in)"]["count"]
    errors = sum(stats.errors.values())
    print(f"\n{total} requests in {seconds:.1f} s = {total / seconds:.1f} req/s; errors {errors} "
          f"(including log-ins); approvals: {sum(u.approved for u in users)} committed, "
          f"{sum(stats.conflicts.values())} answered 409 (no longer fits), {world_left} proposals left unused; "
          f"needs posted: {sum(u.posted for u in users)}")
    for sample in stats.samples:
        print("  error: " + sample)
    return summary


def cpu_seconds(match) -> float:
    """User + system CPU seconds of every process for which `match(pid, stat fields, cmdline)` holds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if match(int(entry), fields, cmdline):
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def server_cpu(server: subprocess.Popen | None, database: str) -> dict[str, float]:
    """CPU used so far by gunicorn (its process group) and by PostgreSQL backends of `database`."""
    out = {"postgres": cpu_seconds(lambda pid, f, cmd: cmd.startswith("postgres:") and f" {database} " in cmd)}
    if server is not None:
        out["gunicorn"] = cpu_seconds(lambda pid, f, cmd: int(f[2]) == server.pid)  # field 5: pgrp
    return out


def start_server(args) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=args.database_url, SECRET_KEY=os.environ.get("SECRET_KEY", "load-test-secret"),
               LOGIN_LIMIT_PER_IP="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT="100000 per minute")
    env.pop("REDIS_URL", None) if not args.redis_url else env.update(REDIS_URL=args.redis_url)
    command = [str(ROOT / ".venv/bin/gunicorn"), "-w", str(args.workers), "--threads", str(args.threads),
               "-b", f"127.0.0.1:{args.port}", "--access-logfile", "/dev/null", "--error-logfile", "-",
               "--log-level", "warning", "app:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        stop_server(server)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")
    # Every worker imports the app lazily: a few requests warm them all up before the clock starts.
    warm = Stats()
    for _ in range(4 * args.workers):
        for path in ("/", "/needs", "/offers"):
            Client("127.0.0.1", args.port, warm).request("warm", "GET", path)
    return server


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="the filled database (ids are read from it; the server uses it with --start-server)")
    parser.add_argument("--port", type=int, default=5871)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"),
                        help="seconds between one user's requests, uniform (default 0.5 1.5)")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("--start-server", action="store_true", help="run gunicorn for the duration")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--redis-url", default="", help="REDIS_URL for the server (limiter storage)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")

    world = World(args.database_url, proposals=5000)
    if not world.need_ids or not world.coordinators or not world.staff:
        raise SystemExit("the database looks empty: run benchmarks/load/fill.py first")
    if not world.proposals:
        print("warning: no open proposals: run `flask --app app match run` first; staff will not approve",
              file=sys.stderr)
    server = start_server(args) if args.start_server else None
    try:
        stats, stop = Stats(), threading.Event()
        n_staff = max(1, round(args.users * 0.1))
        n_coord = max(1, round(args.users * 0.2))
        roles = ["staff"] * n_staff + ["coordinator"] * n_coord + ["anonymous"] * (args.users - n_staff - n_coord)
        ready = threading.Barrier(len(roles) + 1)
        users = [VirtualUser(role, i, args, world, stats, stop, ready) for i, role in enumerate(roles)]
        print(f"{len(users)} users ({n_staff} staff, {n_coord} coordinators, {len(users) - n_staff - n_coord} "
              f"anonymous), {args.duration:.0f} s, think {args.think[0]}-{args.think[1]} s, "
              f"against http://127.0.0.1:{args.port}; load average before: {os.getloadavg()[0]:.2f}")
        for user in users:
            user.start()
        database = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
        ready.wait()
        cpu_before = server_cpu(server, database)
        own_before = time.process_time()
        started = time.perf_counter()
        stop.wait(args.duration)
        stop.set()
        seconds = time.perf_counter() - started
        cpu_after = server_cpu(server, database)
        own_cpu = time.process_time() - own_before
        for user in users:
            user.join(timeout=35)
        print(f"load average after: {os.getloadavg()[0]:.2f} (2 cores; other processes included)")
        summary = report(stats, seconds, users, len(world.proposals))
        requests = summary["all (no log-in)"]["count"] or 1
        used = {name: cpu_after[name] - cpu_before.get(name, 0.0) for name in cpu_after}
        if server is not None:
            per_request = 1000 * sum(used.values()) / requests
            print("server CPU during the run: " + ", ".join(f"{k} {v:.1f} s" for k, v in used.items())
                  + f" = {per_request:.1f} ms CPU per request (gunicorn + PostgreSQL); on 2 cores of its own "
                  f"the server would saturate near {2000 / per_request:.0f} req/s of this mix; "
                  f"this load generator used {own_cpu:.1f} s CPU")
            summary["server_cpu_s"] = used
        if args.json:
            Path(args.json).write_text(json.dumps({"seconds": seconds, "kinds": summary}, indent=2))
    finally:
        if server is not None:
            stop_server(server)
    pages = summary.get("pages (GET)", {})
    return 0 if sum(stats.errors.values()) == 0 and pages.get("p95", 0) <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
