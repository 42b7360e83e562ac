from datetime import date

import pytest

from heard.procedure.bank_holidays import england_and_wales_bank_holidays

HOLIDAYS = england_and_wales_bank_holidays(range(2016, 2029))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2020, 5, 8), "May Day"),  # moved from Mon 4 May for the 75th anniversary of VE day
        (date(2022, 6, 2), "Spring Bank Holiday"),  # moved from Mon 30 May for the Platinum Jubilee
        (date(2022, 6, 3), "Platinum Jubilee of Elizabeth II"),
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of Charles III"),
    ],
)
def test_one_off_and_moved_bank_holidays_are_known_by_name(day: date, name: str) -> None:
    assert HOLIDAYS[day] == name


def test_moved_bank_holidays_are_not_also_kept_on_their_usual_day() -> None:
    assert date(2020, 5, 4) not in HOLIDAYS
    assert date(2022, 5, 30) not in HOLIDAYS


def test_christmas_boxing_day_and_good_friday_are_bank_holidays() -> None:
    # SI 2006/1738 reg 2 names them separately from "bank holidays"; they must be here too.
    assert HOLIDAYS[date(2023, 12, 25)] == "Christmas Day"
    assert HOLIDAYS[date(2023, 12, 26)] == "Boxing Day"
    assert HOLIDAYS[date(2024, 3, 29)] == "Good Friday"


def test_a_weekend_holiday_is_listed_with_its_weekday_substitute() -> None:
    assert HOLIDAYS[date(2022, 1, 1)] == "New Year's Day"  # a Saturday
    assert HOLIDAYS[date(2022, 1, 3)] == "New Year's Day (observed)"


@pytest.mark.parametrize("year", range(2016, 2029))
def test_each_year_has_eight_weekday_bank_holidays_plus_the_one_off_days(year: int) -> None:
    extra = {2022: 2, 2023: 1}.get(year, 0)  # Jubilee and State Funeral; Coronation
    weekdays = [d for d in HOLIDAYS if d.year == year and d.weekday() < 5]
    assert len(weekdays) == 8 + extra


def test_holidays_come_back_in_date_order_for_the_years_asked() -> None:
    only_2024 = england_and_wales_bank_holidays([2024])
    assert list(only_2024) == sorted(only_2024)
    assert {d.year for d in only_2024} == {2024}


def test_years_must_be_whole_numbers() -> None:
    with pytest.raises(TypeError, match="whole numbers"):
        england_and_wales_bank_holidays(["2024"])  # type: ignore[list-item]
