"""Bulk deadlines: WorkingCalendar.add_working_days_bulk against numpy.busday_offset.

Run: python bench/bench_calendar.py

One million random receipt dates (2016-2028) and working-day counts (3-65), timed in the same
run against numpy's own business-day arithmetic with the same bank holidays, best of 3 each.
Targets: more than 1,000,000 deadlines a second, and no slower than twice numpy.
Prints only: timing targets never live in tests (engineering.md).
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heard.procedure.calendar import WorkingCalendar

SIZE = 1_000_000
REPEATS = 3
TARGET_RATE = 1_000_000
TARGET_RATIO = 2.0


def best_of(repeats: int, run: Callable[[], npt.NDArray[np.datetime64]]) -> tuple[float, npt.NDArray[np.datetime64]]:
    best = float("inf")
    result = run()  # warm up: the calendar builds its arrays on first use
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    rng = np.random.default_rng(2022_09_19)
    first, last = np.datetime64("2016-01-01"), np.datetime64("2028-12-31")
    span = int((last - first).astype(int)) + 1
    received = first + rng.integers(0, span, SIZE).astype("timedelta64[D]")
    n = rng.integers(3, 66, SIZE)

    calendar = WorkingCalendar.for_england(years=range(2015, 2031))
    holidays = np.array(sorted(calendar.bank_holidays), dtype="datetime64[D]")

    heard_time, heard_due = best_of(REPEATS, lambda: calendar.add_working_days_bulk(received, n))
    numpy_time, numpy_due = best_of(REPEATS, lambda: np.busday_offset(received, n, roll="forward", holidays=holidays))

    identical = bool(np.array_equal(heard_due, numpy_due))
    heard_rate = SIZE / heard_time
    numpy_rate = SIZE / numpy_time
    ratio = heard_time / numpy_time

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    print(f"{SIZE:,} deadlines, receipt 2016-2028, 3-65 working days, best of {REPEATS}")
    rows = [
        ("heard add_working_days_bulk", f"{heard_time * 1000:8.1f} ms {heard_rate:14,.0f} deadlines/s"),
        ("numpy busday_offset", f"{numpy_time * 1000:8.1f} ms {numpy_rate:14,.0f} deadlines/s"),
        ("ratio heard/numpy (time)", f"{ratio:8.2f}"),
        ("identical results", verdict(identical)),
        (f"more than {TARGET_RATE:,} deadlines/s", verdict(heard_rate > TARGET_RATE)),
        (f"within {TARGET_RATIO:g}x of numpy", verdict(ratio <= TARGET_RATIO)),
    ]
    for label, value in rows:
        print(f"  {label:<34}: {value}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
