"""Staff pages under load: the work queue, a case page and a search, with 100,000 cases on PostgreSQL.

Run: .venv/bin/python bench/bench_staff_pages.py   (PostgreSQL at 127.0.0.1:5432; databases
     heard_bench_staff (100,000 cases) and heard_bench_staff_base (100 cases) are created if missing,
     built once and reused; set BENCH_REBUILD=1 to build them again)

For each database it starts gunicorn on a free loopback port (DEBUG off), signs in 10 users as
customer relations (who sees every case), and drives them concurrently for a bounded number of
requests per page, timing each response. Prints p50/p95 per page for 100,000 cases and for the
baseline of 100 cases measured in the same run, their ratio, and PASS/FAIL against p95 < 150 ms.
Query counts per page do not grow with the number of cases: that is held in the tests
(test_queue.py, test_search.py), not here. Timing targets live only here (engineering.md).
"""

from __future__ import annotations

import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import Unavailable, _create_postgres_database

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432/"
BIG, BASE = ("heard_bench_staff", 100_000), ("heard_bench_staff_base", 100)
USERS, REQUESTS_PER_USER, TARGET_MS = 10, 30, 150.0
# Between two pages a user reads for 0.5 to 1.5 s: far quicker than a caseworker reads a case, so 10 such
# users put about ten times the load of 10 real ones on the server. The stress run has no pause at all.
THINK_SECONDS = (0.5, 1.5)
SERIAL_REQUESTS = 20
TODAY = date(2026, 3, 10)
PASSWORD = "bench password not secret 42"
FIRST = ["Jo", "Sam", "Alex", "Chris", "Kim", "Lee", "Pat", "Robin", "Jamie", "Taylor", "Morgan", "Casey"]
LAST = [
    "Bloggs",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
    "Hughes",
    "Edwards",
    "Turner",
    "Hill",
]


def build(url: str, n: int) -> None:
    """The council, a customer relations officer, and n complaints over five years: those received in
    the last 40 days are open with their clocks, the rest closed (as a real archive is)."""
    env_setup(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.db import transaction

    from heard.accounts.models import User
    from heard.feedback import clock
    from heard.feedback.models import Deadline, Feedback, Person, Stage
    from heard.organisation.models import Service, Theme

    if Feedback.objects.count() == n and os.environ.get("BENCH_REBUILD") != "1":
        print(f"  reusing {url.rsplit('/', 1)[1]} ({n:,} cases)")
        return
    call_command("flush", verbosity=0, interactive=False)
    t0 = time.perf_counter()
    rng = random.Random(42)
    services = [
        Service.objects.create(name=name)
        for name in ("Children's Social Care", "Early Help", "SEN, Education and Psychology", "Business Support")
    ]
    themes = [
        Theme.objects.create(name=name)
        for name in ("Staff Conduct", "Quality of Service", "Lack of Communication", "Lack of Action")
    ]
    for i in range(USERS):
        User.objects.create_user(username=f"cr{i}", password=PASSWORD, role=User.Role.CUSTOMER_RELATIONS)
    calendar = clock.working_calendar()
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [Person(name=f"{rng.choice(FIRST)} {rng.choice(LAST)}-{i}") for i in range(n)], batch_size=5000
        )
        cases = []
        for i in range(n):
            received = TODAY - timedelta(days=int(n and (i * 1826) // n))
            open_ = (TODAY - received).days <= 40
            cases.append(
                Feedback(
                    reference=f"CS-{received.year}-{i + 1:06d}",
                    kind="complaint",
                    procedure="statutory",
                    channel="email",
                    received_on=received,
                    status="received" if open_ else "closed",
                    stage=1,
                    service=rng.choice(services),
                    theme=rng.choice(themes),
                    summary="Bench complaint",
                    complainant=people[i],
                    closed_on=None if open_ else received + timedelta(days=20),
                )
            )
        cases = Feedback.objects.bulk_create(cases, batch_size=5000)
        Stage.objects.bulk_create(
            [Stage(feedback=fb, number=1, requested_on=fb.received_on) for fb in cases], batch_size=5000
        )
        deadlines = []
        for fb in cases:
            if fb.status != "received":
                continue
            for step, days, cite in (("acknowledge", 3, "Council standard"), ("stage1_response", 10, "reg 14")):
                due = calendar.add_working_days(fb.received_on, days)
                deadlines.append(
                    Deadline(
                        feedback=fb,
                        procedure="statutory",
                        step=step,
                        stage=1,
                        starts_on=fb.received_on,
                        working_days=days,
                        rule_working_days=days,
                        due_on=due,
                        original_due_on=due,
                        citation=cite,
                    )
                )
        Deadline.objects.bulk_create(deadlines, batch_size=5000)
        open_ids = [fb.pk for fb in cases if fb.status == "received"]
    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"  built {url.rsplit('/', 1)[1]}: {n:,} cases ({len(open_ids):,} open) in {time.perf_counter() - t0:.0f} s")


def env_setup(url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-a-secret",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "heard.settings",
        "HEARD_SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    os.environ.update(env)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = env_setup(url)
    # Static files are not what is measured; collectstatic keeps whitenoise quiet.
    subprocess.run(
        [sys.executable, "-m", "heard", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "heard.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "5",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(base + "/staff/sign-in", timeout=30)  # the first request loads the app
            return proc, base
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])


def sign_in(base: str, username: str) -> requests.Session:
    s = requests.Session()
    s.get(base + "/staff/sign-in")
    r = s.post(
        base + "/staff/sign-in",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": base + "/staff/sign-in"},
        allow_redirects=False,
    )
    assert r.status_code == 302, f"sign-in failed for {username}: {r.status_code}"
    return s


def search_url(base: str, session: requests.Session) -> str:
    data = {"name": "Bloggs", "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    r = session.post(
        base + "/staff/search", data=data, headers={"Referer": base + "/staff/search"}, allow_redirects=False
    )
    assert r.status_code == 302, r.status_code
    return base + r.headers["Location"] if r.headers["Location"].startswith("/") else r.headers["Location"]


def measure(url: str) -> dict[str, list[float]]:
    proc, base = serve(url)
    try:
        sessions = [sign_in(base, f"cr{i}") for i in range(USERS)]
        first = sessions[0].get(base + "/staff/").text
        refs = re.findall(r'href="/staff/cases/([A-Z]+-\d{4}-\d+)/"', first)
        pages = {"work queue": lambda s: base + "/staff/"}
        if refs:
            pages["case page"] = lambda s, ref=refs[0]: f"{base}/staff/cases/{ref}/"
        else:
            print("  (no case link on the queue: case page skipped)")
        searches = {id(s): search_url(base, s) for s in sessions}
        pages["search (name)"] = lambda s: searches[id(s)]
        times: dict[str, list[float]] = {name: [] for name in pages}
        lock = threading.Lock()

        def user(s: requests.Session, think: bool, into: dict[str, list[float]]) -> None:
            rng = random.Random(id(s))
            for _ in range(REQUESTS_PER_USER):
                for name, page in pages.items():
                    if think:
                        time.sleep(rng.uniform(*THINK_SECONDS))
                    target = page(s)
                    t = time.perf_counter()
                    r = s.get(target, timeout=30)
                    ms = (time.perf_counter() - t) * 1000
                    assert r.status_code == 200, (name, r.status_code)
                    with lock:
                        into[name].append(ms)

        for s in sessions:  # warm each worker's caches (calendar, rule book, templates)
            for page in pages.values():
                s.get(page(s))
        # One user alone first: the server's own time per page, without queueing behind the others.
        alone: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(SERIAL_REQUESTS):
            for name, page in pages.items():
                t = time.perf_counter()
                sessions[0].get(page(sessions[0]), timeout=30)
                alone[name].append((time.perf_counter() - t) * 1000)
        stress: dict[str, list[float]] = {name: [] for name in pages}
        with ThreadPoolExecutor(USERS) as pool:
            list(pool.map(lambda s: user(s, True, times), sessions))
        with ThreadPoolExecutor(USERS) as pool:
            list(pool.map(lambda s: user(s, False, stress), sessions))
        return times, alone, stress
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def main() -> None:
    try:
        for name, _n in (BASE, BIG):
            _create_postgres_database(PG + name, name)
    except Unavailable as e:
        print(f"SKIP: {e}")
        return
    for name, n in (BASE, BIG):
        # Each build in its own process: Django is configured once per process.
        subprocess.run([sys.executable, __file__, "--build", PG + name, str(n)], check=True)
    print(
        f"{USERS} concurrent users, {REQUESTS_PER_USER} requests each per page, gunicorn 2 workers x 5 threads; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start (other work on the machine "
        "inflates every figure; the ratio to the baseline, measured in the same run, is the fairer one)"
    )
    base_times, base_alone, base_stress = measure(PG + BASE[0])
    big_times, big_alone, big_stress = measure(PG + BIG[0])
    print("one user alone (server time without queueing), p50:")
    for page, values in big_alone.items():
        b = base_alone.get(page, [float("nan")])
        big, small = statistics.median(values), statistics.median(b)
        print(f"  {page:<16} 100 cases {small:7.1f} ms   100,000 cases {big:7.1f} ms   ratio {big / small:.2f}x")
    verdicts = []
    for label, base_run, big_run in (
        (
            f"{USERS} users at once, each pausing {THINK_SECONDS[0]:g}-{THINK_SECONDS[1]:g} s between pages",
            base_times,
            big_times,
        ),
        (
            f"stress: {USERS} users at once with no pause (every user always waiting on the server)",
            base_stress,
            big_stress,
        ),
    ):
        print(label + ":")
        ok = True
        print(f"{'page':<16}{'base p50':>10}{'base p95':>10}{'100k p50':>10}{'100k p95':>10}{'ratio p95':>11}  target")
        for page, values in big_run.items():
            b = base_run.get(page, [float("nan")])
            p95 = pct(values, 95)
            passed = p95 < TARGET_MS
            ok &= passed
            print(
                f"{page:<16}{pct(b, 50):>8.1f}ms{pct(b, 95):>8.1f}ms{pct(values, 50):>8.1f}ms{p95:>8.1f}ms"
                f"{p95 / pct(b, 95):>10.2f}x  {'PASS' if passed else 'FAIL'} (p95 < {TARGET_MS:.0f} ms, "
                f"n={len(values)})"
            )
        verdicts.append("PASS" if ok else "FAIL")
    print(f"10 users: {verdicts[0]}; stress: {verdicts[1]}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        build(sys.argv[2], int(sys.argv[3]))
    else:
        main()
