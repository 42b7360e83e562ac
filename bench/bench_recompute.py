"""Recomputing 100,000 open deadlines after a bank holiday is announced, on PostgreSQL.

Run: python bench/bench_recompute.py        (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/heard_bench;
                                             the database is created if missing and EMPTIED)

Creates 100,000 open complaints, each with an open 25-working-day clock that runs over Wed 12 Jun
2030, then times services.add_non_working_day for that day: it adds the day and calls
clock.recompute_open_deadlines(affected=day), which moves every one of them (a case's next date is
read from its deadlines, so nothing else is rewritten: ADR 0008).
Baselines, measured in the same run: the SQL floor (one UPDATE of all 100,000 deadlines, rolled back:
what any implementation must at least do), and the naive way, one
deadline at a time (clock.deadline_due and save()) on a sample of 500, extrapolated and rolled back.
Target: under 2 s for the 100,000. Prints only: timing targets never live in tests (engineering.md).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import DEFAULT_POSTGRES, Unavailable, setup_django

SIZE = 100_000
SAMPLE = 500
TARGET_SECONDS = 2.0
DAY = date(2030, 6, 12)  # a Wednesday, not a bank holiday


def create_open_deadlines(n: int) -> None:
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from heard.feedback import clock
    from heard.feedback.importer import _insert
    from heard.feedback.models import Deadline, Feedback
    from heard.organisation.models import Service

    service = Service.objects.create(name="Children's Social Care")
    rng = np.random.default_rng(2030)
    # Received up to 20 calendar days before the new holiday: a 25-working-day clock spans it.
    received = np.datetime64(DAY) - rng.integers(1, 21, n).astype("timedelta64[D]")
    due = clock.working_calendar().add_working_days_bulk(received, np.full(n, 25))
    received_dates, due_dates = received.astype(object), due.astype(object)
    now = timezone.now()
    with transaction.atomic():
        # The importer's bulk writer (COPY on PostgreSQL): the set-up is not what is measured.
        _insert(
            Feedback,
            [
                {
                    "reference": f"BENCH-{i:06d}",
                    "kind": "complaint",
                    "procedure": "statutory",
                    "channel": "email",
                    "received_on": received_dates[i],
                    "status": "open",
                    "stage": 1,
                    "service_id": service.pk,
                }
                for i in range(n)
            ],
            now,
        )
        ids = dict(Feedback.objects.values_list("reference", "id"))
        _insert(
            Deadline,
            [
                {
                    "feedback_id": ids[f"BENCH-{i:06d}"],
                    "procedure": "statutory",
                    "step": "stage1_response",
                    "stage": 1,
                    "starts_on": received_dates[i],
                    "working_days": 25,
                    "rule_working_days": 25,
                    "due_on": due_dates[i],
                    "original_due_on": due_dates[i],
                    "citation": "SI 2006/1738 reg 14",
                }
                for i in range(n)
            ],
            now,
        )


def naive_per_row(sample: int) -> float:
    """One deadline at a time, as a loop over the ORM would do it; rolled back."""
    from django.db import transaction

    from heard.feedback import clock
    from heard.feedback.models import Deadline

    start = time.perf_counter()
    with transaction.atomic():
        for d in Deadline.objects.select_related("feedback").order_by("id")[:sample]:
            d.due_on = clock.deadline_due(d, d.feedback)
            d.save(update_fields=["due_on"])
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def sql_floor() -> float:
    """The least any implementation must do: one UPDATE of every deadline (rolled back). On a loaded
    machine this dominates; the ratio heard/floor is Heard's own overhead."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE feedback_deadline SET due_on = due_on + 1")
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES)
    try:
        vendor = setup_django(url)
    except Unavailable as e:
        print(f"bench_recompute: SKIPPED: {e}")
        return 0
    import numpy as np

    from heard.feedback import clock
    from heard.feedback.models import Deadline, Feedback
    from heard.feedback.services import add_non_working_day

    start = time.perf_counter()
    create_open_deadlines(SIZE)
    created = time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    moved = add_non_working_day(actor=None, day=DAY, name="A newly announced bank holiday", kind="bank_holiday")
    heard_time, heard_cpu = time.perf_counter() - start, time.process_time() - cpu

    expected = clock.working_calendar().add_working_days_bulk(
        np.array(Feedback.objects.order_by("id").values_list("received_on", flat=True), dtype="datetime64[D]"),
        np.full(SIZE, 25),
    )
    stored = np.array(Deadline.objects.order_by("feedback_id").values_list("due_on", flat=True), dtype="datetime64[D]")
    all_moved = moved == SIZE and bool((stored == expected).all()) and bool((stored > np.datetime64(DAY)).all())
    floor = sql_floor()
    per_row = naive_per_row(SAMPLE)
    naive_time = per_row * SIZE / SAMPLE

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    print(f"{SIZE:,} open deadlines over Wed 12 Jun 2030 on {vendor}; a bank holiday is added that day")
    rows = [
        ("set-up (COPY)", f"{created:8.2f} s"),
        ("heard add_non_working_day", f"{heard_time:8.2f} s {SIZE / heard_time:12,.0f} deadlines/s  ({moved:,} moved)"),
        ("  of which Python CPU time", f"{heard_cpu:8.2f} s (the rest: waiting for PostgreSQL)"),
        (f"naive per-row save ({SAMPLE:,} → {SIZE:,})", f"{naive_time:8.2f} s {SIZE / naive_time:12,.0f} deadlines/s"),
        ("SQL floor: one UPDATE of every deadline", f"{floor:8.2f} s"),
        ("ratio heard/floor (time)", f"{heard_time / floor:8.2f}x"),
        ("ratio naive/heard (time)", f"{naive_time / heard_time:8.1f}x"),
        ("every deadline moved, each as recomputed", verdict(all_moved)),
        (f"under {TARGET_SECONDS:g} s", verdict(heard_time < TARGET_SECONDS)),
    ]
    for label, value in rows:
        print(f"  {label:<40}: {value}")
    return 0 if all_moved else 1


if __name__ == "__main__":
    sys.exit(main())
