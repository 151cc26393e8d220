"""Which days were checked in: streaks of consecutive days, and the weeks of the calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain import PARTNER_IDS, CheckIn, PartnerId


@dataclass(frozen=True)
class Streak:
    """Runs of consecutive days with at least one check-in, for one partner."""

    partner: PartnerId
    current: int
    longest: int
    last_day: date | None


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def streaks(checkins: Iterable[CheckIn], *, today: date | None = None) -> dict[PartnerId, Streak]:
    """Current and longest runs of consecutive check-in days for both partners.

    The current streak is the run ending today, or ending yesterday while today's check-in may
    still come; otherwise it is 0. `today` defaults to the local date.
    """
    today = today or date.today()
    days: dict[PartnerId, set[date]] = {pid: set() for pid in PARTNER_IDS}
    for c in checkins:
        days[c.author].add(c.day)
    out: dict[PartnerId, Streak] = {}
    for pid in PARTNER_IDS:
        ordered = sorted(days[pid])
        longest = run = 0
        previous: date | None = None
        for d in ordered:
            run = run + 1 if previous is not None and (d - previous).days == 1 else 1
            longest = max(longest, run)
            previous = d
        last = ordered[-1] if ordered else None
        alive = last is not None and (today - last).days in (0, 1)
        out[pid] = Streak(pid, run if alive else 0, longest, last)
    return out
