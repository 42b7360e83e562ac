"""Working days: what counts, how deadlines are counted, and why.

Pure: no clock, no database. The caller passes the bank holidays and the council's closure
days; a deadline is "day zero plus N working days" (see CountingRule), and every deadline
can be explained step by step (Explanation).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from heard.procedure.bank_holidays import england_and_wales_bank_holidays

__all__ = [
    "DEFAULT_COUNTING",
    "CountingRule",
    "Explanation",
    "WorkingCalendar",
    "format_date",
]

_ONE_DAY: Final = timedelta(days=1)
_DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ABBR: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Our own month names rather than strftime("%b"), which follows the process locale.
_MONTH_ABBR: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NO_DAYS: Final[Mapping[date, str]] = MappingProxyType({})


def format_date(d: date, *, year: bool = True) -> str:
    """'Thu 15 Sep 2022' (or 'Mon 19 Sep' without the year), as letters and the CLI print dates."""
    text = f"{_DAY_ABBR[d.weekday()]} {d.day} {_MONTH_ABBR[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def _check_date(value: object, what: str) -> date:
    # datetime is a subclass of date; accepting one would silently drop its time and zone.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


def _check_working_days(value: object) -> int:
    if isinstance(value, bool):
        raise TypeError("working days must be a whole number, not a bool")
    try:
        n = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"working days must be a whole number, not {type(value).__name__}") from None
    if n < 0:
        raise ValueError(f"working days must be 0 or more, got {n}")
    return n


def _check_days_mapping(days: Mapping[date, str], what: str) -> dict[date, str]:
    checked: dict[date, str] = {}
    for d, name in days.items():
        _check_date(d, f"each date in {what}")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{what}: {d.isoformat()} needs a name, got {name!r}")
        checked[d] = name.strip()
    return checked


@dataclass(frozen=True)
class CountingRule:
    """How a council counts working days from receipt.

    Default (Heard's domain rule): the day of receipt is day 0, and something received on
    a non-working day counts as received on the next working day.
    """

    receipt_day_counts_as: int = 0
    roll_non_working_receipt: bool = True

    def __post_init__(self) -> None:
        if self.receipt_day_counts_as not in (0, 1):
            raise ValueError(
                f"receipt_day_counts_as must be 0 (receipt is day 0) or 1 (receipt is day 1), "
                f"got {self.receipt_day_counts_as!r}"
            )

    def working_days_after_day_zero(self, n: int) -> int:
        # Counting receipt as day 1 uses up one of the N days; N = 0 still means "on the day".
        return max(n - self.receipt_day_counts_as, 0)


DEFAULT_COUNTING: Final = CountingRule()


@dataclass(frozen=True)
class Explanation:
    """Why a deadline falls where it does, for caseworkers, letters and the CLI."""

    received: date
    day_zero: date
    working_days: int
    due: date
    # The non-working weekdays (bank holidays, closures) skipped after day zero, with why.
    skipped: tuple[tuple[date, str], ...]
    # Set when receipt was on a non-working day and counting rolled it forward.
    rolled_from_reason: str | None
    counting: CountingRule
    # Every day from receipt to due, with why_not_working() (None for a working day).
    days: tuple[tuple[date, str | None], ...]

    @property
    def text(self) -> str:
        """One line, e.g. 'received Thu 15 Sep 2022; 10 working days, skipping Mon 19 Sep
        (State Funeral of Queen Elizabeth II) → due Fri 30 Sep 2022'."""
        head = f"received {format_date(self.received)}"
        if self.rolled_from_reason is not None:
            head += f" ({self.rolled_from_reason}: counts as received {format_date(self.day_zero)})"
        unit = "working day" if self.working_days == 1 else "working days"
        middle = f"{self.working_days} {unit}"
        if self.counting.receipt_day_counts_as == 1:
            middle += " (the day of receipt counts as day 1)"
        if self.skipped:
            # The year is implied by the receipt date unless the span crosses into a new year.
            middle += ", skipping " + ", ".join(
                f"{format_date(d, year=d.year != self.received.year)} ({reason})" for d, reason in self.skipped
            )
        return f"{head}; {middle} → due {format_date(self.due)}"

    def lines(self) -> list[str]:
        """Step by step, one line per day, for the CLI's `explain` command."""
        first = self.counting.receipt_day_counts_as
        out = [f"received {format_date(self.received)}"]
        if self.rolled_from_reason is not None:
            out[0] += ": not a working day, so it counts as received on the next working day"
        number: int | None = None
        for d, why in self.days:
            if d == self.day_zero:
                number = first
                role = "day of receipt" if d == self.received else "counts as the day of receipt"
                label = f"day {number} = {format_date(d)} ({role})"
                if why is not None:
                    label += f", not a working day: {why}"
            elif why is not None:
                out.append(f"  skip {format_date(d)}: {why}")
                continue
            else:
                assert number is not None  # working days after receipt come after day zero
                number += 1
                label = f"day {number} = {format_date(d)}"
            if d == self.due:
                label += f" → due ({self.working_days} working days)"
            out.append(label)
        return out


class _Grid:
    """Working days over a range of dates as arrays, for vectorised deadlines.

    `workdays` holds the working days in order (as days since 1970-01-01); `first_at_or_after[i]`
    is the index in `workdays` of the first working day on or after `start + i`.
    """

    def __init__(self, start: int, stop: int, nonworking: npt.NDArray[np.int64]) -> None:
        days = np.arange(start, stop, dtype=np.int64)
        # 1970-01-01 was a Thursday: (days + 3) % 7 gives Monday = 0 ... Sunday = 6.
        working = (days + 3) % 7 < 5
        inside = nonworking[(nonworking >= start) & (nonworking < stop)]
        working[inside - start] = False
        self.start = start
        self.stop = stop
        self.workdays: npt.NDArray[np.int64] = days[working]
        counts = np.cumsum(working, dtype=np.int64)
        self.first_at_or_after: npt.NDArray[np.int64] = counts - working
        self.is_working: npt.NDArray[np.bool_] = working


class WorkingCalendar:
    """Which days are working days, and deadlines counted in them.

    A working day is not a Saturday, Sunday, bank holiday (SI 2006/1738 reg 2) or a day the
    council is closed. Deadlines are counted by a CountingRule.
    """

    def __init__(self, bank_holidays: Mapping[date, str], closures: Mapping[date, str] = _NO_DAYS) -> None:
        self._bank_holidays = MappingProxyType(_check_days_mapping(bank_holidays, "bank holidays"))
        self._closures = MappingProxyType(_check_days_mapping(closures, "closures"))
        self._grid: _Grid | None = None

    @classmethod
    def for_england(
        cls,
        closures: Mapping[date, str] = _NO_DAYS,
        extra_holidays: Mapping[date, str] = _NO_DAYS,
        years: Iterable[int] = range(2000, 2041),
    ) -> WorkingCalendar:
        """England and Wales bank holidays for `years`, plus holidays announced since the
        `holidays` package was released (`extra_holidays`), plus the council's closures."""
        known = england_and_wales_bank_holidays(years)
        known.update(_check_days_mapping(extra_holidays, "extra holidays"))
        return cls(known, closures)

    @property
    def bank_holidays(self) -> Mapping[date, str]:
        return self._bank_holidays

    @property
    def closures(self) -> Mapping[date, str]:
        return self._closures

    def __repr__(self) -> str:
        return f"<WorkingCalendar: {len(self._bank_holidays)} bank holidays, {len(self._closures)} closures>"

    # -- single dates ---------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        _check_date(d, "the date")
        return d.weekday() < 5 and d not in self._bank_holidays and d not in self._closures

    def why_not_working(self, d: date) -> str | None:
        """'Saturday', 'Sunday', 'bank holiday: Christmas Day', 'council closure: …'; None if working."""
        _check_date(d, "the date")
        if d.weekday() >= 5:
            return _DAY_NAMES[d.weekday()]
        if d in self._bank_holidays:
            return f"bank holiday: {self._bank_holidays[d]}"
        if d in self._closures:
            return f"council closure: {self._closures[d]}"
        return None

    def next_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def day_zero(self, received: date, rule: CountingRule = DEFAULT_COUNTING) -> date:
        """The day the count starts from: receipt, rolled forward past non-working days
        when the rule says so."""
        _check_date(received, "the date received")
        return self.next_working_day(received) if rule.roll_non_working_receipt else received

    def add_working_days(self, received: date, n: int, rule: CountingRule = DEFAULT_COUNTING) -> date:
        """The deadline: day zero plus `n` working days (n - 1 when receipt counts as day 1)."""
        n = _check_working_days(n)
        d = self.day_zero(received, rule)
        left = rule.working_days_after_day_zero(n)
        while left:
            d += _ONE_DAY
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d there are with start < d <= end (0 if end <= start):
        how long something took, or how long a clock was suspended."""
        _check_date(start, "the start date")
        _check_date(end, "the end date")
        count = 0
        d = start + _ONE_DAY
        while d <= end:
            count += self.is_working_day(d)
            d += _ONE_DAY
        return count

    def working_days_before(self, d: date, n: int) -> date:
        """The latest working day that is at least `n` working days before `d`: the last day
        to give notice of something on `d` (the panel's date: at least 10 working days)."""
        _check_date(d, "the date")
        n = _check_working_days(n)
        counted = 0
        while True:
            working = self.is_working_day(d)
            if working and counted >= n:
                return d
            counted += working
            d -= _ONE_DAY

    def explain(self, received: date, n: int, rule: CountingRule = DEFAULT_COUNTING) -> Explanation:
        due = self.add_working_days(received, n, rule)
        start = self.day_zero(received, rule)
        days: list[tuple[date, str | None]] = []
        d = received
        while d <= due:
            days.append((d, self.why_not_working(d)))
            d += _ONE_DAY
        skipped = tuple((d, self._short_reason(d)) for d, why in days if why and start < d and d.weekday() < 5)
        return Explanation(
            received=received,
            day_zero=start,
            working_days=n,
            due=due,
            skipped=skipped,
            rolled_from_reason=self._short_reason(received) if start != received else None,
            counting=rule,
            days=tuple(days),
        )

    def _short_reason(self, d: date) -> str:
        # In a sentence the holiday's name says enough: "skipping Mon 19 Sep (State Funeral …)".
        if d.weekday() >= 5:
            return _DAY_NAMES[d.weekday()]
        if d in self._bank_holidays:
            return self._bank_holidays[d]
        return f"council closure: {self._closures[d]}"

    # -- many dates at once ---------------------------------------------------------------

    def add_working_days_bulk(
        self,
        received: npt.NDArray[np.datetime64],
        n: npt.NDArray[np.integer[Any]] | int,
        rule: CountingRule = DEFAULT_COUNTING,
    ) -> npt.NDArray[np.datetime64]:
        """add_working_days for arrays: `received` is datetime64[D], `n` an integer array of
        the same shape (or one int). Returns datetime64[D]; equal element-wise to the scalar."""
        received = np.asarray(received)
        if received.dtype != np.dtype("datetime64[D]"):
            raise TypeError(f"received must be a datetime64[D] array, not {received.dtype}")
        r = received.view(np.int64)
        if r.size and np.isnat(received).any():
            raise ValueError("received contains NaT (not a date)")
        if isinstance(n, bool):
            raise TypeError("working days must be whole numbers, not bools")
        days = np.asarray(n)
        if not np.issubdtype(days.dtype, np.integer):
            raise TypeError(f"working days must be whole numbers, not {days.dtype}")
        if days.size and int(days.min()) < 0:
            raise ValueError(f"working days must be 0 or more, got {int(days.min())}")
        left = np.maximum(days.astype(np.int64) - rule.receipt_day_counts_as, 0)
        r, left = np.broadcast_arrays(r, left)
        if r.size == 0:
            return np.empty(r.shape, dtype="datetime64[D]")

        low, high = int(r.min()), int(r.max())
        # Enough calendar to cover the latest deadline; extended (rarely) if closures need more.
        reach = int(left.max()) * 2 + 30
        while True:
            grid = self._grid_covering(low - 10, high + reach)
            offset = r - grid.start
            first = grid.first_at_or_after[offset]
            if rule.roll_non_working_receipt:
                index = first + left
            else:
                # Day zero is the receipt itself; if that is not a working day, day 1 is the
                # first working day after it (index `first`), so one fewer step is needed.
                on_working = grid.is_working[offset]
                index = first + left - (~on_working & (left > 0))
            if int(index.max()) < grid.workdays.size:
                break
            reach *= 2
        due = grid.workdays[index]
        if not rule.roll_non_working_receipt:
            # "Day zero plus 0 working days" from a non-working receipt is the receipt itself.
            due = np.where(left == 0, r, due)
        return due.view("datetime64[D]")

    def _grid_covering(self, start: int, stop: int) -> _Grid:
        grid = self._grid
        if grid is None or start < grid.start or stop > grid.stop:
            if grid is not None:
                # Grow generously so a run of slightly different inputs does not rebuild each time.
                start = min(start, grid.start - 366)
                stop = max(stop, grid.stop + 366)
            nonworking = np.array(sorted({*self._bank_holidays, *self._closures}), dtype="datetime64[D]").view(np.int64)
            grid = self._grid = _Grid(start, stop, nonworking)
        return grid
