"""The calendar against an independent oracle: a naive day-by-day count written here, from
the definitions in domain.md, sharing no code with heard.procedure.calendar."""

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.procedure.bank_holidays import england_and_wales_bank_holidays
from heard.procedure.calendar import CountingRule, WorkingCalendar

BANK_HOLIDAYS = england_and_wales_bank_holidays(range(2015, 2031))
BANK_HOLIDAY_ARRAY = np.array(sorted(BANK_HOLIDAYS), dtype="datetime64[D]")

dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2028, 12, 31))
working_days = st.integers(min_value=0, max_value=70)
rules = st.builds(CountingRule, st.sampled_from([0, 1]), st.booleans())
# A few closure days, clustered around Christmas and a random week so they meet deadlines.
closures = st.sets(
    st.one_of(
        st.dates(min_value=date(2016, 1, 1), max_value=date(2028, 12, 31)),
        st.builds(lambda y, d: date(y, 12, 27) + timedelta(days=d), st.integers(2016, 2027), st.integers(0, 4)),
    ),
    max_size=12,
).map(lambda days: {d: "closed" for d in days})


def oracle_is_working(d: date, closed: dict[date, str]) -> bool:
    return d.isoweekday() not in (6, 7) and d not in BANK_HOLIDAYS and d not in closed


def oracle_deadline(received: date, n: int, rule: CountingRule, closed: dict[date, str]) -> date:
    """Number the days as a caseworker would with a wall calendar, and read off day n."""
    day = received
    if rule.roll_non_working_receipt:
        while not oracle_is_working(day, closed):
            day += timedelta(days=1)
    number = rule.receipt_day_counts_as  # the number of day zero
    while number < n:
        day += timedelta(days=1)
        if oracle_is_working(day, closed):
            number += 1
    return day


def oracle_between(start: date, end: date, closed: dict[date, str]) -> int:
    span = (end - start).days
    return sum(oracle_is_working(start + timedelta(days=i), closed) for i in range(1, span + 1))


@settings(max_examples=300, deadline=None)
@given(dates, working_days, rules, closures)
def test_deadline_matches_counting_day_by_day(
    received: date, n: int, rule: CountingRule, closed: dict[date, str]
) -> None:
    calendar = WorkingCalendar(BANK_HOLIDAYS, closed)
    assert calendar.add_working_days(received, n, rule) == oracle_deadline(received, n, rule, closed)


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=-20, max_value=120), closures)
def test_working_days_between_matches_counting_day_by_day(start: date, length: int, closed: dict[date, str]) -> None:
    calendar = WorkingCalendar(BANK_HOLIDAYS, closed)
    end = start + timedelta(days=length)
    assert calendar.working_days_between(start, end) == oracle_between(start, end, closed)


@settings(max_examples=200, deadline=None)
@given(dates, working_days, closures)
def test_a_deadline_is_n_working_days_after_day_zero(received: date, n: int, closed: dict[date, str]) -> None:
    calendar = WorkingCalendar(BANK_HOLIDAYS, closed)
    due = calendar.add_working_days(received, n)
    assert oracle_between(calendar.day_zero(received), due, closed) == n
    assert oracle_is_working(due, closed)


@settings(max_examples=200, deadline=None)
@given(dates, working_days, closures)
def test_notice_day_is_the_latest_working_day_at_least_n_working_days_before(
    event: date, n: int, closed: dict[date, str]
) -> None:
    calendar = WorkingCalendar(BANK_HOLIDAYS, closed)
    latest = calendar.working_days_before(event, n)
    assert oracle_is_working(latest, closed)
    assert oracle_between(latest, event, closed) >= n
    later = latest + timedelta(days=1)
    while not oracle_is_working(later, closed):
        later += timedelta(days=1)
    # No later working day would do: the next one is after the event or too close to it.
    assert later > event or oracle_between(later, event, closed) < n


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(dates, working_days), min_size=1, max_size=40), rules, closures)
def test_bulk_deadlines_equal_one_at_a_time(
    cases: list[tuple[date, int]], rule: CountingRule, closed: dict[date, str]
) -> None:
    calendar = WorkingCalendar(BANK_HOLIDAYS, closed)
    received = np.array([r for r, _ in cases], dtype="datetime64[D]")
    n = np.array([d for _, d in cases], dtype=np.int64)
    bulk = calendar.add_working_days_bulk(received, n, rule).tolist()
    assert bulk == [calendar.add_working_days(r, d, rule) for r, d in cases]


def test_bulk_deadlines_equal_numpys_business_day_offset_for_the_default_rule() -> None:
    # numpy.busday_offset is a second, independent implementation of "roll forward, add n".
    rng = np.random.default_rng(20220919)
    received = np.datetime64("2016-01-01") + rng.integers(0, 13 * 365, 20_000).astype("timedelta64[D]")
    n = rng.integers(0, 66, 20_000)
    calendar = WorkingCalendar(BANK_HOLIDAYS)
    expected = np.busday_offset(received, n, roll="forward", holidays=BANK_HOLIDAY_ARRAY)
    assert np.array_equal(calendar.add_working_days_bulk(received, n), expected)
