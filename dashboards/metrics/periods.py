"""A period as whole years, whole months and single days: the buckets a
figure reads (docs/dashboards.md, "How the counts are kept")."""

import datetime

ONE_DAY = datetime.timedelta(days=1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - ONE_DAY


def grain_starts(day: datetime.date) -> tuple[tuple[str, datetime.date], ...]:
    """The day, month and year buckets a change on `day` is written to."""
    return (("D", day), ("M", day.replace(day=1)), ("Y", day.replace(month=1, day=1)))


Piece = tuple[str, datetime.date, datetime.date]


def pieces(
    start: datetime.date, end: datetime.date, *, years: bool = True
) -> list[Piece]:
    """Cover the days start..end (inclusive) with whole years, whole months and
    single days: (grain, first bucket start, last bucket start) ranges."""
    out: list[Piece] = []
    if end < start:
        return out
    day = start
    if day.day != 1:  # head days up to the month's end
        last = min(month_end(day), end)
        out.append(("D", day, last))
        day = last + ONE_DAY
    first_month = day
    while (
        day <= end
        and month_end(day) <= end
        and not (years and day.month == 1 and day.replace(month=12, day=31) <= end)
    ):
        day = month_end(day) + ONE_DAY
    if day > first_month:
        out.append(("M", first_month, month_start(day - ONE_DAY)))
    first_year = day
    while years and day.month == 1 and day.replace(month=12, day=31) <= end:
        day = day.replace(year=day.year + 1)
    if day > first_year:
        out.append(("Y", first_year, day.replace(year=day.year - 1)))
    first_month = day
    while day <= end and month_end(day) <= end:
        day = month_end(day) + ONE_DAY
    if day > first_month:
        out.append(("M", first_month, month_start(day - ONE_DAY)))
    if day <= end:
        out.append(("D", day, end))
    return out
