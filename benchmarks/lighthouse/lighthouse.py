"""Lighthouse (mobile: a mid-range phone on a slow 4G link, simulated) on the app's pages, as a
visitor and as each demo role: performance and accessibility scores, first and largest contentful
paint, total blocking time. The standard: accessibility 100 and performance >= 95 on every page.

    cd benchmarks/lighthouse && npm ci && cd ../..     # Lighthouse 12.2.3, pinned in package-lock.json
    export DATABASE_URL=sqlite:////tmp/lh.sqlite SECRET_KEY=lighthouse
    .venv/bin/flask --app app init-db && .venv/bin/flask --app app seed-demo
    GUNICORN_WORKERS=1 PORT=5880 .venv/bin/gunicorn -c deploy/gunicorn.conf.py app:app &
    .venv/bin/python benchmarks/lighthouse/lighthouse.py http://127.0.0.1:5880

Chromium is /usr/bin/chromium (CHROME_PATH to change it). Signed-in pages are audited with the
session cookie of a real log-in (sent as an extra header). Exit status 1 when a page misses the
standard. Lighthouse's performance score depends on the machine's load: run it on a quiet machine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "load"))

from loadtest import Client, Stats, csrf_of  # noqa: E402

DEMO = {  # the demo log-ins of `flask seed-demo` (gandeng/demo_data.py)
    "coordinator": ("koordinator@demo.gandeng.id", "demo-koordinator-123"),
    "partner": ("mitra@demo.gandeng.id", "demo-mitra-123"),
    "staff": ("petugas@demo.gandeng.id", "demo-petugas-123"),
    "admin": ("admin@demo.gandeng.id", "demo-admin-123"),
    "office": ("kantor@demo.gandeng.id", "demo-kantor-123"),
    "group": ("kelompok@demo.gandeng.id", "demo-kelompok-123"),
}
PAGES = {
    "visitor": ["/", "/public", "/public/data", "/public/collaborations", "/public/sister", "/needs", "/offers",
                "/login", "/register", "/privasi", "/privasi/permintaan", "/nglarisi/katalog",
                "/nglarisi/katalog/1"],
    "coordinator": ["/", "/needs?mine=1", "/needs/new", "/collaborations", "/profile"],
    "partner": ["/", "/offers/new", "/collaborations", "/partner"],
    "staff": ["/", "/review", "/dashboard", "/dashboard/equity", "/admin/users", "/sister", "/audit",
              "/sister/figures", "/nglarisi/groups", "/nglarisi/stats"],
    "admin": ["/privasi/antrian", "/privasi/insiden"],  # the data-protection officer's pages
    "office": ["/", "/nglarisi/orders", "/nglarisi/orders/new"],
    "group": ["/", "/nglarisi/orders", "/nglarisi/my-group"],
}
PERFORMANCE_MIN, ACCESSIBILITY_MIN = 95, 100


def log_in(base: str, email: str, password: str) -> str:
    url = urlparse(base)
    client = Client(url.hostname, url.port or 80, Stats())
    _, html, _ = client.request("login", "GET", "/login", record=False)
    status, _, _ = client.request("login", "POST", "/login", record=False,
                                  form={"email": email, "password": password, "csrf_token": csrf_of(html)})
    if status != 302:
        raise SystemExit(f"log-in as {email} failed ({status})")
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def audit(url: str, cookie: str | None) -> dict:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        raise SystemExit("Lighthouse is not installed: cd benchmarks/lighthouse && npm ci")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [str(binary), url, "--quiet", "--only-categories=performance,accessibility", "--form-factor=mobile",
                   "--chrome-flags=--headless=new --no-sandbox", "--output=json", f"--output-path={out}"]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
        subprocess.run(command, env=env, check=False, capture_output=True, timeout=240)
        if not out.exists():
            return {"error": "no report"}
        report = json.loads(out.read_text())
    audits, categories = report["audits"], report["categories"]
    if report.get("runtimeError") or "numericValue" not in audits["first-contentful-paint"]:
        return {"error": (report.get("runtimeError") or {}).get("code", "no paint")}
    return {
        "performance": round(100 * (categories["performance"]["score"] or 0)),
        "accessibility": round(100 * (categories["accessibility"]["score"] or 0)),
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl", url),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the running app, e.g. http://127.0.0.1:5880")
    parser.add_argument("--only", choices=list(PAGES), help="one role's pages")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| as | page | performance | accessibility | FCP ms | LCP ms | TBT ms |")
    print("|---|---|---|---|---|---|---|")
    missed = 0
    for role, paths in PAGES.items():
        if args.only and role != args.only:
            continue
        cookie = log_in(base, *DEMO[role]) if role in DEMO else None
        for path in paths:
            r = audit(base + path, cookie)
            if "error" in r:
                print(f"| {role} | `{path}` | {r['error']} | | | | |")
                missed += 1
                continue
            landed = urlparse(r["final_url"]).path
            note = "" if landed == urlparse(base + path).path else f" (→ {landed})"
            ok = r["performance"] >= PERFORMANCE_MIN and r["accessibility"] >= ACCESSIBILITY_MIN
            missed += not ok
            print(f"| {role} | `{path}`{note} | {r['performance']}{'' if ok else ' ✗'} | {r['accessibility']} | "
                  f"{r['fcp']:.0f} | {r['lcp']:.0f} | {r['tbt']:.0f} |", flush=True)
    print(f"{missed} page(s) below performance {PERFORMANCE_MIN} / accessibility {ACCESSIBILITY_MIN}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
