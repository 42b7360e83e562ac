"""Reporting periods: a financial year (1 April – 31 March), a quarter of one, or any date range, and the
same period in earlier years for comparison. Pure: no database, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year without one
        return d.replace(year=d.year + years, day=28)


def financial_year_of(d: date) -> int:
    """The first calendar year of the financial year containing d: 15 March 2019 is in 2018/19."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str
    year: int | None = None  # set for a whole financial year: narratives are kept per year

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The end of a period cannot be before its start.")

    @classmethod
    def financial_year(cls, year: int) -> Period:
        return cls(date(year, 4, 1), date(year + 1, 3, 31), financial_year_label(year), year)

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        """Quarter 1 is April to June of the financial year `year`."""
        if number not in (1, 2, 3, 4):
            raise ValueError("A quarter is 1, 2, 3 or 4.")
        start = [date(year, 4, 1), date(year, 7, 1), date(year, 10, 1), date(year + 1, 1, 1)][number - 1]
        end = _shift_months(start, 3) - timedelta(days=1)
        return cls(start, end, f"{financial_year_label(year)} quarter {number}")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        if start == date(start.year, 4, 1) and end == date(start.year + 1, 3, 31):
            return cls.financial_year(start.year)
        return cls(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}")

    @classmethod
    def year_to_date(cls, today: date) -> Period:
        """This financial year so far, up to and including today."""
        year = financial_year_of(today)
        return cls(date(year, 4, 1), today, f"{financial_year_label(year)} to {today:%-d %B %Y}")

    def earlier(self, years: int) -> Period:
        """The same dates `years` years before, labelled as the reference labels its comparison years."""
        start, end = _shift_years(self.start, -years), _shift_years(self.end, -years)
        if self.year is not None:
            return Period.financial_year(self.year - years)
        if self.start.month == 4 and self.start.day == 1:
            return Period(start, end, f"{financial_year_label(financial_year_of(start))} to {end:%-d %B %Y}")
        return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}")

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end


def _shift_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    return d.replace(year=d.year + month // 12, month=month % 12 + 1, day=1)
