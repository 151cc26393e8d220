"""Small builders for hand-computed series, shared by the statistics and chart tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from workbook.domain import CheckIn

D0 = date(2024, 3, 4)  # a Monday
NAMES = {"a": "Sam", "b": "Alex"}


def day(n: int) -> date:
    """The day `n` days after D0."""
    return D0 + timedelta(days=n)


def checkin(author: str, mood: int, trust: int, n: int, hour: int = 12) -> CheckIn:
    """A check-in at local wall-clock `hour` on day(n) (naive times are taken as local)."""
    d = day(n)
    return CheckIn(author, mood, trust, at=datetime(d.year, d.month, d.day, hour))  # type: ignore[arg-type]
