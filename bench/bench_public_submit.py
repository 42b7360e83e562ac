"""20 people submitting complaints through the public journey at once, for 60 seconds, on loopback.

    .venv/bin/python bench/bench_public_submit.py [--seconds 60] [--users 20] [--database postgres|sqlite]

Starts Heard (gunicorn, else runserver --noreload) on 127.0.0.1 on a free port against a fresh database
(PostgreSQL `heard_bench_public` by default, at postgres://postgres@127.0.0.1:5432), with
HEARD_BENCH_NO_RATE_LIMIT=1 (bench only: every simulated person shares one address). Each person walks the
whole adult complaint journey page by page (GET and POST each question, check answers, send, confirmation).

Prints: journeys completed, confirmation pages vs records created (must be equal), errors (must be 0),
p50/p95 per request and per journey, and a baseline measured in the same run (one person alone doing the
same journey) with the ratio, then PASS/FAIL against p95 per request < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv/bin/python"
HEARD = ROOT / ".venv/bin/heard"
GUNICORN = ROOT / ".venv/bin/gunicorn"
PG = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        path = ROOT / "var/bench_public.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS heard_bench_public WITH (FORCE)")
        conn.execute("CREATE DATABASE heard_bench_public")
    return f"{PG}/heard_bench_public"


def count_records(env: dict) -> int:
    out = subprocess.run(
        [str(HEARD), "shell", "-c", "from heard.feedback.models import Feedback; print(Feedback.objects.count())"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


class Person:
    def __init__(self, base: str):
        self.base = base
        self.s = requests.Session()
        self.latencies: list[float] = []

    def _req(self, method: str, path: str, data: dict | None = None) -> requests.Response:
        t = time.perf_counter()
        r = self.s.request(method, self.base + path, data=data, allow_redirects=False, timeout=30)
        self.latencies.append(time.perf_counter() - t)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {r.status_code}")
        return r

    def post(self, path: str, data: dict) -> str:
        data = {**data, "csrfmiddlewaretoken": self.s.cookies.get("csrftoken", "")}
        r = self._req("POST", path, data)
        if r.status_code != 302:
            raise RuntimeError(f"POST {path} did not move on ({r.status_code})")
        return r.headers["Location"]

    def journey(self, n: int) -> str:
        html = self._req("GET", "/complaint/service").text
        service = re.search(r'name="service"[^>]*value="(\d+)"', html).group(1)
        answers = {
            "service": {"service": service},
            "what-happened": {"summary_text": f"Bench complaint {n}: visits keep being cancelled."},
            "when": {"matter_date_day": "10", "matter_date_month": "2", "matter_date_year": "2026"},
            "outcome": {"desired_outcome": "Visits as agreed"},
            "who": {"complainant_role": "parent_or_carer"},
            "someone-else": {"for_someone_else": "no"},
            "contact": {"preferred_contact": "email"},
            "your-details": {"name": "Bench Person", "email": "bench@example.com"},
            "advocate": {"advocacy": "no"},
            "adjustments": {"adjustments": ""},
            "documents": {"action": "continue"},
        }
        url = self.post("/complaint/service", answers["service"])
        while not url.endswith("check-your-answers"):
            slug = url.rsplit("/", 1)[-1]
            self._req("GET", url)
            url = self.post(url, answers[slug])
        check = self._req("GET", url).text
        key = re.search(r'name="key" value="([0-9a-f]+)"', check).group(1)
        sent = self.post(url, {"key": key})
        page = self._req("GET", sent).text
        ref = re.search(r"<strong>([A-Z]+-\d{4}-\d+)</strong>", page)
        if not ref:
            raise RuntimeError("no reference on the confirmation page")
        self.s.cookies.clear()  # the next complaint is a new person
        return ref.group(1)


def run(base: str, users: int, seconds: float) -> dict:
    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    result = {"confirmations": set(), "errors": [], "requests": [], "journeys": []}

    def worker(i: int) -> None:
        p = Person(base)
        n = 0
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                ref = p.journey(i * 100000 + n)
            except Exception as e:
                with lock:
                    result["errors"].append(str(e)[:200])
                p = Person(base)
                continue
            with lock:
                result["confirmations"].add(ref)
                result["journeys"].append(time.perf_counter() - t)
            n += 1
        with lock:
            result["requests"].extend(p.latencies)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000
        if len(values) > 1
        else values[0] * 1000
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--baseline-seconds", type=float, default=8)
    ap.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument("--workers", type=int, default=4)
    args = ap.parse_args()
    seconds = min(args.seconds, 300)  # bounded

    db = fresh_database(args.database)
    env = {
        **os.environ,
        "DATABASE_URL": db,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret",
        "HEARD_BENCH_NO_RATE_LIMIT": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "HEARD_SECURE_COOKIES": "0",
    }
    subprocess.run([str(HEARD), "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([str(HEARD), "collectstatic", "--no-input", "-v", "0"], env=env, check=False)
    create = 'from heard.organisation.models import Service; Service.objects.create(name="Children\'s Social Care")'
    subprocess.run([str(HEARD), "shell", "-c", create], env=env, check=True)
    port = free_port()
    if GUNICORN.exists():
        server_cmd = [
            str(GUNICORN),
            "heard.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
        ]
        server = "gunicorn"
    else:
        server_cmd = [str(HEARD), "runserver", f"127.0.0.1:{port}", "--noreload"]
        server = "runserver"
    server_log = open(ROOT / "var/bench_public_server.log", "w")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen(server_cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=server_log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.3)
        baseline = run(base, 1, args.baseline_seconds)
        load = run(base, args.users, seconds)
        records = count_records(env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    confirmations = len(baseline["confirmations"]) + len(load["confirmations"])
    errors = baseline["errors"] + load["errors"]
    b95, l50, l95 = pct(baseline["requests"], 95), pct(load["requests"], 50), pct(load["requests"], 95)
    print(
        f"server: {server} ({args.workers} workers), database: {args.database}, users: {args.users}, "
        f"seconds: {seconds:g}"
    )
    print(
        f"baseline (1 person, same run): {len(baseline['journeys'])} journeys, request p50 "
        f"{pct(baseline['requests'], 50):.1f} ms p95 {b95:.1f} ms, journey p50 "
        f"{pct(baseline['journeys'], 50):.0f} ms"
    )
    print(
        f"load ({args.users} people): {len(load['journeys'])} journeys in {seconds:g} s "
        f"({len(load['journeys']) / seconds:.1f}/s), {len(load['requests'])} requests"
    )
    print(
        f"  request p50 {l50:.1f} ms, p95 {l95:.1f} ms; journey p50 {pct(load['journeys'], 50):.0f} ms, "
        f"p95 {pct(load['journeys'], 95):.0f} ms"
    )
    print(f"  ratio p95 under load / baseline p95: {l95 / b95:.2f}")
    print(f"confirmation pages: {confirmations}, records created: {records}, errors: {len(errors)}")
    for e in errors[:5]:
        print("  error:", e)
    ok = not errors and confirmations == records and l95 < 300
    print(("PASS" if ok else "FAIL") + f": errors 0, confirmations == records, request p95 {l95:.1f} ms < 300 ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
