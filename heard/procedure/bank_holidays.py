"""England and Wales bank holidays, as data for the working calendar.

The calendar never looks holidays up itself: callers pass a mapping (as FixMyStreet's
WorkingDays.pm does), so tests, councils and a short-notice announcement such as the
State Funeral on 19 September 2022 can all supply their own.
"""

from collections.abc import Iterable
from datetime import date

import holidays


def england_and_wales_bank_holidays(years: Iterable[int]) -> dict[date, str]:
    """Bank holidays in England and Wales for `years`, date -> name, in date order.

    SI 2006/1738 reg 2 defines a working day as not a Saturday, Sunday, Christmas Day,
    Boxing Day, Good Friday or a bank holiday under the Banking and Financial Dealings
    Act 1971; the `holidays` package ("GB", subdivision "ENG") lists all of those,
    including one-off days (2022-09-19, 2023-05-08) and moved ones (2020-05-08).

    Where a holiday falls at a weekend the package lists both the day itself and the
    substitute ("New Year's Day (observed)"); the weekend entry is harmless because
    weekends are not working days anyway.
    """
    wanted = sorted(set(years))
    for year in wanted:
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError(f"years must be whole numbers, got {year!r}")
    found = holidays.country_holidays("GB", subdiv="ENG", years=wanted)
    return dict(sorted(found.items()))
