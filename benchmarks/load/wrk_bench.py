"""The issue-15 load scenario with wrk: gunicorn -w 4 on loopback, 50 connections for 20 s, on
/public (anonymous) and on /needs?page=50 (signed in as staff), each run three times.

    .venv/bin/flask --app app init-db                      # with DATABASE_URL set
    .venv/bin/python benchmarks/load/fill.py --reset --needs 20000 --offers 10000 $DATABASE_URL
    .venv/bin/python benchmarks/load/wrk_bench.py --database-url $DATABASE_URL [--redis-url redis://…]

Needs the `wrk` binary (Debian package wrk). The server is started with deploy/gunicorn.conf.py
(GUNICORN_WORKERS=4, its defaults: the app preloaded in the master, the sync worker, a
worker replaced after 20,000 requests; no access log); the staff session cookie
comes from a real log-in (staff1@bench.test, fill.py's password) and is sent by wrk_staff.lua,
which also counts every answer that is not a 200 (an expired session would answer 302). Prints,
per run: requests/s, p50, p99, socket errors and timeouts, non-200 answers, and the CPU per request
of gunicorn (workers replaced during the run included) and of the database's backends (the figure
the neighbours on a shared machine disturb least); exit 1 on any error.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from loadtest import Client, Stats, cpu_seconds, csrf_of, stop_server  # noqa: E402

# (name, path, as staff, random pages: 0 = always the same URL; N = a random page 1..N each request,
# which the list cache mostly has not seen: the cost of a list page itself)
SCENARIOS = (("public", "/public", False, 0), ("needs_page_50_staff", "/needs?page=50", True, 0),
             ("needs_any_page_staff", "/needs?page=1", True, 1000))
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def start_server(args) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=args.database_url, SECRET_KEY="load-test-secret", GUNICORN_WORKERS="4",
               PORT=str(args.port), GUNICORN_ACCESS_LOG="off", GUNICORN_LOG_LEVEL="warning",
               LOGIN_LIMIT_PER_IP="100000 per minute", LOGIN_LIMIT_PER_ACCOUNT="100000 per minute")
    env.pop("REDIS_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", args.config, "app:app"],
                              cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        status, _, _ = Client("127.0.0.1", args.port, Stats()).request("warm", "GET", "/healthz", record=False)
        if status == 200:
            return server
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def staff_cookie(port: int, email: str, password: str) -> str:
    client = Client("127.0.0.1", port, Stats())
    _, html, _ = client.request("login", "GET", "/login", record=False)
    status, _, _ = client.request("login", "POST", "/login", record=False, form={
        "email": email, "password": password, "csrf_token": csrf_of(html)})
    if status != 302:
        raise SystemExit(f"log-in as {email} failed ({status})")
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def server_cpu(server: subprocess.Popen, database: str) -> tuple[float, float]:
    """CPU seconds used so far by gunicorn (its process group, with the workers it replaced: the
    master's children's time) and by the PostgreSQL backends of `database`."""
    tick = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{server.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    reaped = (int(fields[13]) + int(fields[14])) / tick  # cutime, cstime: workers that exited
    gunicorn = cpu_seconds(lambda pid, f, cmd: int(f[2]) == server.pid) + reaped  # field 5: pgrp
    postgres = cpu_seconds(lambda pid, f, cmd: cmd.startswith("postgres:") and f" {database} " in cmd)
    return gunicorn, postgres


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(args, server, path: str, cookie: str, pages: int = 0) -> dict:
    env = dict(os.environ, WRK_COOKIE=cookie, WRK_RANDOM_PAGES=str(pages))
    database = args.database_url.rsplit("/", 1)[-1].split("?")[0]
    cpu_before = server_cpu(server, database)
    done = subprocess.run(["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s", "--timeout", "2s",
                           "--latency", "-s", str(HERE / "wrk_staff.lua"), f"http://127.0.0.1:{args.port}{path}"],
                          capture_output=True, text=True, env=env, check=True)
    out = done.stdout
    cpu_after = server_cpu(server, database)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "app_cpu_ms": 1000 * (cpu_after[0] - cpu_before[0]) / max(requests, 1),
        "db_cpu_ms": 1000 * (cpu_after[1] - cpu_before[1]) / max(requests, 1),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": milliseconds(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": milliseconds(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": requests,
        "socket_errors": sum(int(n) for n in errors.groups()[:3]) if errors else 0,
        "timeouts": int(errors.group(4)) if errors else 0,
        "not_200": int(re.search(r"not_200 (\d+)", out).group(1)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--port", type=int, default=5873)
    parser.add_argument("--config", default="deploy/gunicorn.conf.py", help="gunicorn settings file (to compare two)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--staff", default="staff1@bench.test")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("--only", choices=[name for name, *_rest in SCENARIOS])
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    server = start_server(args)
    failed = False
    try:
        cookie = staff_cookie(args.port, args.staff, args.password)
        print(f"gunicorn -w 4 ({args.config}), wrk -t 2 -c {args.connections} -d {args.seconds}s, "
              f"redis {'on' if args.redis_url else 'off'}; load average {os.getloadavg()[0]:.1f}")
        print("| scenario | run | requests | req/s | p50 ms | p99 ms | socket errors | timeouts | non-200 "
              "| CPU ms/req gunicorn + PostgreSQL |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name, path, as_staff, pages in SCENARIOS:
            if args.only and name != args.only:
                continue
            for _ in range(40):  # every worker has the page's code, templates and data warm
                Client("127.0.0.1", args.port, Stats()).request("warm", "GET", path, record=False)
            for run in range(1, args.runs + 1):
                r = run_wrk(args, server, path, cookie if as_staff else "", pages)
                failed |= bool(r["socket_errors"] or r["timeouts"] or r["not_200"])
                shown = path.replace("page=1", f"page=1..{pages} (random)") if pages else path
                print(f"| `{shown}`{' (staff)' if as_staff else ''} | {run} | {r['requests']} | {r['rps']:.1f} | "
                      f"{r['p50']:.1f} | {r['p99']:.1f} | {r['socket_errors']} | {r['timeouts']} | {r['not_200']} | "
                      f"{r['app_cpu_ms']:.2f} + {r['db_cpu_ms']:.2f} |",
                      flush=True)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        stop_server(server)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
