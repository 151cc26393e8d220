"""The weeks of the calendar.

No streaks: counting a run of days, and setting one partner's beside the other's, is
scorekeeping, which a hurting couple needs least (issue 22).
"""

from __future__ import annotations

from datetime import date, timedelta


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())
