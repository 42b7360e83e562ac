"""`heard import feedback` of 100,000 rows, on PostgreSQL and on SQLite.

Run: python bench/bench_import.py      (POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/heard_bench_import,
                                        which is created if missing and EMPTIED; SQLite in a temporary file)

Generates 100,000 valid rows (complaints at every stage, compliments, comments, enquiries; 2019-2025)
into a temporary CSV and times heard.feedback.importer.import_feedback on it (in-process: what
`heard import feedback FILE` runs), then a second load of the same file (every row unchanged).
Baseline, measured in the same run on the same database: Django's plain bulk_create of the Feedback
rows only, read from the same file (no checks, no stages, clocks or events: a lower bound), rolled back.
Target: under 60 s. Each database runs in its own process (Django has one configuration per process).
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import Unavailable, setup_django

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/heard_bench_import"
SIZE = 100_000
TARGET_SECONDS = 60.0
TODAY = date(2026, 3, 2)
COLUMNS = (
    "reference", "kind", "received_on", "service", "procedure", "theme", "complainant_role", "stage1_outcome",
    "stage1_responded_on", "stage2_requested_on", "stage2_outcome", "stage2_responded_on", "ombudsman_referred_on",
    "ombudsman_decision", "compliment_source", "enquiry_category", "enquiry_responded_on",
)  # fmt: skip
SERVICES = ["Children's Social Care", "Early Help", "SEN, Education and Psychology", "Fostering and Adoption"]
THEMES = ["Staff Conduct", "Quality of Service", "Lack of Communication", "Lack of Action", "Council Action"]
OUTCOMES = ["upheld", "partially_upheld", "not_upheld", "not_upheld", "withdrawn"]


def generate(path: Path, n: int) -> None:
    """n valid rows, realistic in mix; the same file every run (fixed seed)."""
    rng = random.Random(20260302)
    first = date(2019, 4, 1)
    span = (date(2025, 6, 30) - first).days  # so every answer is before TODAY
    numbers: dict[int, int] = {}
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for _ in range(n):
            received = first + timedelta(days=rng.randrange(span))
            numbers[received.year] = numbers.get(received.year, 0) + 1
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                reference=f"CS-{received.year}-{numbers[received.year]:05d}",
                received_on=received.isoformat(),
                service=rng.choice(SERVICES),
            )
            pick = rng.random()
            if pick < 0.45:
                _complaint(rng, row, received)
            elif pick < 0.65:
                row.update(kind="compliment", compliment_source=rng.choice(["internal", "external"]))
            elif pick < 0.75:
                row.update(kind="comment")
            else:
                row.update(
                    kind=rng.choice(["mp_enquiry", "councillor_enquiry"]),
                    enquiry_category=rng.choice(
                        ["information", "reasons_for_decision", "service_request", "case_review"]
                    ),
                )
                if rng.random() < 0.95:
                    row["enquiry_responded_on"] = (received + timedelta(days=rng.randrange(1, 15))).isoformat()
            out.writerow(row[c] for c in COLUMNS)


def _complaint(rng: random.Random, row: dict[str, str], received: date) -> None:
    row.update(
        kind="complaint",
        procedure=rng.choice(["statutory", "statutory", "corporate"]),
        theme=rng.choice(THEMES),
        complainant_role=rng.choice(["parent_or_carer", "child_or_young_person", "foster_carer", ""]),
    )
    if rng.random() < 0.05:
        return  # still open at stage 1
    s1 = received + timedelta(days=rng.randrange(3, 30))
    row.update(stage1_outcome=rng.choice(OUTCOMES), stage1_responded_on=s1.isoformat())
    if row["stage1_outcome"] != "withdrawn" and rng.random() < 0.08:
        s2 = s1 + timedelta(days=rng.randrange(1, 30))
        row["stage2_requested_on"] = s2.isoformat()
        if rng.random() < 0.9:
            row.update(
                stage2_outcome=rng.choice(OUTCOMES[:3]),
                stage2_responded_on=(s2 + timedelta(days=rng.randrange(20, 90))).isoformat(),
            )
            if rng.random() < 0.2:
                row["ombudsman_referred_on"] = (s2 + timedelta(days=rng.randrange(100, 200))).isoformat()
                row["ombudsman_decision"] = rng.choice(["not_upheld", "closed_after_initial_enquiries", ""])


def baseline_bulk_create(path: Path) -> float:
    """The same rows as bare Feedback objects, bulk_create'd and rolled back: a lower bound."""
    from django.db import transaction

    from heard.feedback.models import Feedback
    from heard.organisation.models import Service

    start = time.perf_counter()
    with transaction.atomic():
        services = {}
        with path.open(newline="", encoding="utf-8") as f:
            objs = []
            for row in csv.DictReader(f):
                if row["service"] not in services:
                    services[row["service"]] = Service.objects.get_or_create(name=row["service"])[0].pk
                objs.append(
                    Feedback(
                        reference=row["reference"],
                        kind=row["kind"],
                        procedure=row["procedure"] or "x",
                        channel="imported",
                        received_on=date.fromisoformat(row["received_on"]),
                        service_id=services[row["service"]],
                    )
                )
        Feedback.objects.bulk_create(objs, batch_size=2000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def measure(database_url: str, path: Path) -> dict:
    vendor = setup_django(database_url)
    from heard.feedback.importer import import_feedback
    from heard.feedback.models import Deadline, Event, Feedback

    baseline = baseline_bulk_create(path)
    data = path.read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    first = import_feedback(data, filename=path.name, today=TODAY)
    first_time, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    second = import_feedback(data, filename=path.name, today=TODAY)
    second_time = time.perf_counter() - start
    return {
        "vendor": vendor,
        "baseline": baseline,
        "import": first_time,
        "import_cpu": first_cpu,
        "reload": second_time,
        "created": first.created,
        "unchanged": second.unchanged,
        "feedback": Feedback.objects.count(),
        "deadlines": Deadline.objects.count(),
        "events": Event.objects.count(),
    }


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        try:
            print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]))))
        except Unavailable as e:
            print(json.dumps({"skipped": str(e)}))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feedback-100k.csv"
        start = time.perf_counter()
        generate(path, SIZE)
        print(f"{SIZE:,} rows generated in {time.perf_counter() - start:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")
        ok = True
        for url in (os.environ.get("POSTGRES_URL", DEFAULT_POSTGRES), f"sqlite:///{tmp}/bench.sqlite3"):
            done = subprocess.run([sys.executable, __file__, "--child", url, str(path)], capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stdout + done.stderr)
                return 1
            r = json.loads(done.stdout.strip().splitlines()[-1])
            if "skipped" in r:
                print(f"  SKIPPED: {r['skipped']}")
                continue
            correct = r["created"] == r["feedback"] == r["unchanged"] == SIZE and r["events"] == SIZE
            ok = ok and correct
            print(f"on {r['vendor']}: {r['feedback']:,} records, {r['deadlines']:,} deadlines, {r['events']:,} events")
            rows = [
                ("heard import feedback", f"{r['import']:8.1f} s {SIZE / r['import']:10,.0f} rows/s"),
                ("  of which Python CPU time", f"{r['import_cpu']:8.1f} s (the rest: waiting for the database)"),
                ("second load (all unchanged)", f"{r['reload']:8.1f} s {SIZE / r['reload']:10,.0f} rows/s"),
                ("baseline: bulk_create Feedback only", f"{r['baseline']:8.1f} s {SIZE / r['baseline']:10,.0f} rows/s"),
                ("ratio import/baseline (time)", f"{r['import'] / r['baseline']:8.2f}x"),
                ("every row loaded, reload unchanged", "PASS" if correct else "FAIL"),
                (f"under {TARGET_SECONDS:g} s", "PASS" if r["import"] < TARGET_SECONDS else "FAIL"),
            ]
            for label, value in rows:
                print(f"  {label:<38}: {value}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
