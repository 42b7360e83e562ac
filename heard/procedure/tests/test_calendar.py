from datetime import date, datetime

import numpy as np
import pytest

from heard.procedure.calendar import CountingRule, WorkingCalendar, format_date

CALENDAR = WorkingCalendar.for_england()
TRAINING_DAY = {date(2022, 9, 23): "Staff training day"}
WITH_CLOSURE = WorkingCalendar.for_england(closures=TRAINING_DAY)
DAY_ONE = CountingRule(receipt_day_counts_as=1)
NO_ROLL = CountingRule(roll_non_working_receipt=False)


# -- what is a working day ----------------------------------------------------------------


def test_weekends_bank_holidays_and_closures_are_not_working_days_and_say_why() -> None:
    assert WITH_CLOSURE.why_not_working(date(2022, 9, 17)) == "Saturday"
    assert WITH_CLOSURE.why_not_working(date(2022, 9, 18)) == "Sunday"
    assert WITH_CLOSURE.why_not_working(date(2023, 12, 25)) == "bank holiday: Christmas Day"
    assert WITH_CLOSURE.why_not_working(date(2022, 9, 23)) == "council closure: Staff training day"
    assert WITH_CLOSURE.why_not_working(date(2022, 9, 22)) is None
    assert WITH_CLOSURE.is_working_day(date(2022, 9, 22))
    assert not WITH_CLOSURE.is_working_day(date(2022, 9, 23))


def test_a_bank_holiday_at_a_weekend_is_explained_as_the_weekend() -> None:
    assert CALENDAR.why_not_working(date(2022, 1, 1)) == "Saturday"


def test_next_working_day_is_the_day_itself_when_it_is_a_working_day() -> None:
    assert CALENDAR.next_working_day(date(2022, 9, 15)) == date(2022, 9, 15)
    assert CALENDAR.next_working_day(date(2022, 9, 17)) == date(2022, 9, 20)  # Sat, Sun, funeral


def test_a_short_notice_bank_holiday_can_be_added_and_moves_deadlines() -> None:
    before = WorkingCalendar.for_england(years=[2022])
    without_funeral = WorkingCalendar({d: n for d, n in before.bank_holidays.items() if d.month != 9})
    assert without_funeral.add_working_days(date(2022, 9, 15), 10) == date(2022, 9, 29)
    announced = WorkingCalendar.for_england(
        years=[2022], extra_holidays={date(2022, 9, 19): "State Funeral of Queen Elizabeth II"}
    )
    assert announced.add_working_days(date(2022, 9, 15), 10) == date(2022, 9, 30)


# -- counting -----------------------------------------------------------------------------


def test_deadline_is_day_zero_plus_n_working_days_skipping_the_state_funeral() -> None:
    assert CALENDAR.add_working_days(date(2022, 9, 15), 10) == date(2022, 9, 30)


def test_deadline_with_nothing_to_skip_is_two_weeks_later() -> None:
    assert CALENDAR.add_working_days(date(2026, 1, 5), 10) == date(2026, 1, 19)


def test_christmas_boxing_day_and_new_year_are_skipped() -> None:
    assert CALENDAR.add_working_days(date(2023, 12, 22), 10) == date(2024, 1, 10)


def test_good_friday_and_easter_monday_are_skipped() -> None:
    assert CALENDAR.add_working_days(date(2024, 3, 28), 5) == date(2024, 4, 8)


def test_received_on_a_weekend_counts_from_the_next_working_day() -> None:
    assert CALENDAR.day_zero(date(2026, 1, 3)) == date(2026, 1, 5)
    assert CALENDAR.add_working_days(date(2026, 1, 3), 10) == date(2026, 1, 19)


def test_received_on_a_bank_holiday_counts_from_the_next_working_day() -> None:
    # Christmas Day 2023 (Mon) and Boxing Day: day zero is Wed 27 December.
    assert CALENDAR.day_zero(date(2023, 12, 25)) == date(2023, 12, 27)
    assert CALENDAR.add_working_days(date(2023, 12, 25), 10) == date(2024, 1, 11)


def test_received_on_a_council_closure_day_counts_from_the_next_working_day() -> None:
    assert WITH_CLOSURE.day_zero(date(2022, 9, 23)) == date(2022, 9, 26)


def test_zero_working_days_is_day_zero_itself() -> None:
    assert CALENDAR.add_working_days(date(2022, 9, 15), 0) == date(2022, 9, 15)
    assert CALENDAR.add_working_days(date(2022, 9, 17), 0) == date(2022, 9, 20)


def test_councils_that_count_receipt_as_day_one_get_a_deadline_one_working_day_sooner() -> None:
    assert CALENDAR.add_working_days(date(2022, 9, 15), 10, DAY_ONE) == date(2022, 9, 29)
    assert CALENDAR.add_working_days(date(2022, 9, 15), 1, DAY_ONE) == date(2022, 9, 15)
    assert CALENDAR.add_working_days(date(2022, 9, 15), 0, DAY_ONE) == date(2022, 9, 15)


def test_without_rolling_a_weekend_receipt_is_day_zero_and_day_one_is_the_next_working_day() -> None:
    assert CALENDAR.day_zero(date(2022, 9, 17), NO_ROLL) == date(2022, 9, 17)
    assert CALENDAR.add_working_days(date(2022, 9, 17), 1, NO_ROLL) == date(2022, 9, 20)
    assert CALENDAR.add_working_days(date(2022, 9, 17), 0, NO_ROLL) == date(2022, 9, 17)


def test_counting_rule_only_allows_receipt_as_day_zero_or_day_one() -> None:
    with pytest.raises(ValueError, match=r"0 .* or 1"):
        CountingRule(receipt_day_counts_as=2)


def test_working_days_between_counts_days_after_the_start_up_to_and_including_the_end() -> None:
    assert CALENDAR.working_days_between(date(2022, 9, 15), date(2022, 9, 30)) == 10
    assert CALENDAR.working_days_between(date(2022, 9, 15), date(2022, 9, 15)) == 0
    assert CALENDAR.working_days_between(date(2022, 9, 30), date(2022, 9, 15)) == 0
    assert CALENDAR.working_days_between(date(2022, 9, 16), date(2022, 9, 19)) == 0  # Sat, Sun, funeral


def test_panel_notice_must_go_at_least_ten_working_days_before_the_meeting() -> None:
    # Meeting Mon 3 Oct 2022: ten working days back is Tue 20 Sep; notice on the working day before
    # that, skipping the State Funeral, is Fri 16 Sep.
    latest = CALENDAR.working_days_before(date(2022, 10, 3), 10)
    assert latest == date(2022, 9, 16)
    assert CALENDAR.add_working_days(latest, 10) == date(2022, 10, 3)


# -- bad input ----------------------------------------------------------------------------


def test_negative_working_days_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="working days must be 0 or more, got -3"):
        CALENDAR.add_working_days(date(2022, 9, 15), -3)


def test_working_days_must_be_a_whole_number() -> None:
    with pytest.raises(TypeError, match="whole number"):
        CALENDAR.add_working_days(date(2022, 9, 15), 2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="whole number"):
        CALENDAR.add_working_days(date(2022, 9, 15), True)


def test_a_datetime_is_refused_because_its_time_and_zone_would_be_dropped() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date, not datetime"):
        CALENDAR.add_working_days(datetime(2022, 9, 15, 9, 30), 10)  # noqa: DTZ001
    with pytest.raises(TypeError, match=r"datetime\.date"):
        CALENDAR.is_working_day("2022-09-15")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"datetime\.date"):
        WorkingCalendar({datetime(2022, 9, 19): "State Funeral"})  # noqa: DTZ001


def test_a_holiday_needs_a_name() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        WorkingCalendar({}, closures={date(2022, 9, 23): " "})


# -- explanations -------------------------------------------------------------------------


def test_explanation_names_the_skipped_bank_holiday() -> None:
    explanation = CALENDAR.explain(date(2022, 9, 15), 10)
    assert explanation.text == (
        "received Thu 15 Sep 2022; 10 working days, skipping Mon 19 Sep "
        "(State Funeral of Queen Elizabeth II) → due Fri 30 Sep 2022"
    )
    assert explanation.day_zero == date(2022, 9, 15)
    assert explanation.due == date(2022, 9, 30)
    assert explanation.skipped == ((date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),)
    assert explanation.rolled_from_reason is None


def test_explanation_with_nothing_skipped() -> None:
    text = CALENDAR.explain(date(2026, 1, 5), 10).text
    assert text == "received Mon 5 Jan 2026; 10 working days → due Mon 19 Jan 2026"


def test_explanation_of_a_weekend_receipt_says_when_it_counts_as_received() -> None:
    explanation = CALENDAR.explain(date(2022, 9, 17), 10)
    assert explanation.text == (
        "received Sat 17 Sep 2022 (Saturday: counts as received Tue 20 Sep 2022); 10 working days → due Tue 4 Oct 2022"
    )
    assert explanation.rolled_from_reason == "Saturday"
    assert explanation.skipped == ()  # the funeral came before day zero


def test_explanation_lists_several_skipped_days_including_council_closures() -> None:
    text = WITH_CLOSURE.explain(date(2022, 9, 15), 10).text
    assert text == (
        "received Thu 15 Sep 2022; 10 working days, skipping Mon 19 Sep (State Funeral of Queen "
        "Elizabeth II), Fri 23 Sep (council closure: Staff training day) → due Mon 3 Oct 2022"
    )


def test_explanation_gives_the_year_of_a_skipped_day_in_the_next_year() -> None:
    text = CALENDAR.explain(date(2022, 12, 20), 10).text
    assert text == (
        "received Tue 20 Dec 2022; 10 working days, skipping Mon 26 Dec (Boxing Day), "
        "Tue 27 Dec (Christmas Day (observed)), Mon 2 Jan 2023 (New Year's Day (observed)) "
        "→ due Fri 6 Jan 2023"
    )


def test_explanation_says_when_receipt_counts_as_day_one() -> None:
    text = CALENDAR.explain(date(2026, 1, 5), 10, DAY_ONE).text
    assert text == (
        "received Mon 5 Jan 2026; 10 working days (the day of receipt counts as day 1) → due Fri 16 Jan 2026"
    )


def test_explanation_of_one_working_day_is_singular() -> None:
    assert "; 1 working day → due" in CALENDAR.explain(date(2026, 1, 5), 1).text


def test_explanation_lines_number_each_working_day_and_give_each_skipped_day_a_reason() -> None:
    lines = CALENDAR.explain(date(2022, 9, 15), 10).lines()
    assert lines[:5] == [
        "received Thu 15 Sep 2022",
        "day 0 = Thu 15 Sep 2022 (day of receipt)",
        "day 1 = Fri 16 Sep 2022",
        "  skip Sat 17 Sep 2022: Saturday",
        "  skip Sun 18 Sep 2022: Sunday",
    ]
    assert "  skip Mon 19 Sep 2022: bank holiday: State Funeral of Queen Elizabeth II" in lines
    assert lines[-1] == "day 10 = Fri 30 Sep 2022 → due (10 working days)"
    assert sum(line.startswith("day ") for line in lines) == 11


def test_explanation_lines_for_a_rolled_receipt_skip_to_day_zero() -> None:
    lines = CALENDAR.explain(date(2022, 9, 17), 10).lines()
    assert lines[0] == ("received Sat 17 Sep 2022: not a working day, so it counts as received on the next working day")
    assert lines[3] == "  skip Mon 19 Sep 2022: bank holiday: State Funeral of Queen Elizabeth II"
    assert lines[4] == "day 0 = Tue 20 Sep 2022 (counts as the day of receipt)"


def test_dates_are_written_the_same_whatever_the_locale() -> None:
    assert format_date(date(2026, 1, 5)) == "Mon 5 Jan 2026"
    assert format_date(date(2022, 9, 19), year=False) == "Mon 19 Sep"


# -- many at once -------------------------------------------------------------------------


def test_bulk_deadlines_match_the_examples() -> None:
    received = np.array(["2022-09-15", "2022-09-17", "2023-12-25", "2026-01-05"], dtype="datetime64[D]")
    due = CALENDAR.add_working_days_bulk(received, np.array([10, 10, 10, 0]))
    assert due.dtype == np.dtype("datetime64[D]")
    assert due.tolist() == [date(2022, 9, 30), date(2022, 10, 4), date(2024, 1, 11), date(2026, 1, 5)]


def test_bulk_deadlines_take_a_single_number_of_days() -> None:
    received = np.array(["2022-09-15", "2026-01-05"], dtype="datetime64[D]")
    assert CALENDAR.add_working_days_bulk(received, 10).tolist() == [date(2022, 9, 30), date(2026, 1, 19)]


def test_bulk_deadlines_of_nothing_are_nothing() -> None:
    empty = np.array([], dtype="datetime64[D]")
    assert CALENDAR.add_working_days_bulk(empty, 10).shape == (0,)


def test_bulk_deadlines_far_from_earlier_ones_extend_the_calendar() -> None:
    calendar = WorkingCalendar.for_england()
    calendar.add_working_days_bulk(np.array(["2022-09-15"], dtype="datetime64[D]"), 10)
    later = calendar.add_working_days_bulk(np.array(["2039-12-23"], dtype="datetime64[D]"), 65)
    assert later.tolist() == [calendar.add_working_days(date(2039, 12, 23), 65)]


def test_bulk_deadlines_refuse_bad_input_clearly() -> None:
    days = np.array(["2022-09-15"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="working days must be 0 or more, got -3"):
        CALENDAR.add_working_days_bulk(days, np.array([-3]))
    with pytest.raises(TypeError, match=r"datetime64\[D\]"):
        CALENDAR.add_working_days_bulk(days.astype("datetime64[s]"), 10)
    with pytest.raises(TypeError, match="whole numbers"):
        CALENDAR.add_working_days_bulk(days, np.array([2.5]))
    with pytest.raises(ValueError, match="NaT"):
        CALENDAR.add_working_days_bulk(np.array(["NaT"], dtype="datetime64[D]"), 10)
