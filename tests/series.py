"""Small builders for hand-computed series, shared by the statistics and chart tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from workbook.domain import CheckIn, Promise

D0 = date(2024, 3, 4)  # a Monday
NAMES = {"a": "Sam", "b": "Alex"}


def day(n: int) -> date:
    """The day `n` days after D0."""
    return D0 + timedelta(days=n)


def checkin(author: str, mood: int, trust: int, n: int, hour: int = 12) -> CheckIn:
    """A check-in at local wall-clock `hour` on day(n) (naive times are taken as local)."""
    d = day(n)
    return CheckIn(author, mood, trust, at=datetime(d.year, d.month, d.day, hour))  # type: ignore[arg-type]


def promise(author: str, status: str, made: int, resolved: int | None) -> Promise:
    """A promise made on day(made), resolved on day(resolved)."""
    return Promise(
        author,  # type: ignore[arg-type]
        "call when late",
        made=day(made),
        status=status,  # type: ignore[arg-type]
        resolved=None if resolved is None else day(resolved),
    )
