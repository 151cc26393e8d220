"""Daily means per partner, rolling windows over them, and the gap between partners."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from ..domain import CheckIn, PartnerId

if TYPE_CHECKING:
    import numpy as np

Measure = Literal["mood", "trust"]
MEASURES: tuple[Measure, Measure] = ("mood", "trust")


@dataclass(frozen=True)
class DailyPoint:
    """One partner's mean mood and trust on one local day, from `n` check-ins."""

    day: date
    partner: PartnerId
    mood: float
    trust: float
    n: int

    def value(self, measure: Measure) -> float:
        """The day's mean of `measure` ("mood" or "trust")."""
        return self.mood if measure == "mood" else self.trust


@dataclass(frozen=True)
class GapPoint:
    """Both partners' daily means on a day when both checked in; gaps are a minus b."""

    day: date
    mood_a: float
    mood_b: float
    trust_a: float
    trust_b: float

    @property
    def mood_gap(self) -> float:
        """Partner a's mood minus partner b's."""
        return self.mood_a - self.mood_b

    @property
    def trust_gap(self) -> float:
        """Partner a's trust minus partner b's."""
        return self.trust_a - self.trust_b

    def gap(self, measure: Measure) -> float:
        """Partner a minus partner b for `measure`."""
        return self.mood_gap if measure == "mood" else self.trust_gap


def daily_means(checkins: Iterable[CheckIn]) -> list[DailyPoint]:
    """Each partner's mean mood and trust per local day, sorted by partner then day."""
    sums: dict[tuple[PartnerId, date], list[int]] = {}
    for c in checkins:
        key = (c.author, c.day)
        acc = sums.get(key)
        if acc is None:
            sums[key] = [c.mood, c.trust, 1]
        else:
            acc[0] += c.mood
            acc[1] += c.trust
            acc[2] += 1
    return [
        DailyPoint(day=day, partner=partner, mood=m / n, trust=t / n, n=n)
        for (partner, day), (m, t, n) in sorted(sums.items())
    ]


def partner_series(points: Iterable[DailyPoint], partner: PartnerId) -> list[DailyPoint]:
    """The daily points of one partner, sorted by day."""
    return sorted((p for p in points if p.partner == partner), key=lambda p: p.day)


def rolling_arrays(
    offsets: np.ndarray,
    values: np.ndarray,
    window: int = 7,
    *,
    min_days: int = 1,
    every_day: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The numpy core of `rolling_values`: day offsets in, (offsets, means, n_days) out.

    `offsets` are distinct, non-negative whole days from some start day; one value each.
    numpy is imported here, not with the package: the pages that show a summary and no chart
    (the start page's weekly check) never load it.
    """
    import numpy as np

    if window < 1:
        raise ValueError("window must be at least one day")
    offsets = np.asarray(offsets, dtype=np.int64)
    vals = np.asarray(values, dtype=np.float64)
    if offsets.shape != vals.shape:
        raise ValueError("offsets and values must have the same length")
    if offsets.size == 0:
        return np.empty(0, np.int64), np.empty(0), np.empty(0, np.int64)
    if offsets.min() < 0:
        raise ValueError("offsets must not be negative")
    span = int(offsets.max()) + 1 + (window - 1 if every_day else 0)
    sums = np.zeros(span)
    counts = np.zeros(span, dtype=np.int64)
    sums[offsets] = vals
    counts[offsets] = 1
    if int(counts.sum()) != offsets.size:
        raise ValueError("days must be distinct")
    csum = np.concatenate(([0.0], np.cumsum(sums)))
    ccount = np.concatenate(([0], np.cumsum(counts)))
    idx = np.arange(span)
    low = np.maximum(0, idx - window + 1)
    wsum = csum[idx + 1] - csum[low]
    wcount = ccount[idx + 1] - ccount[low]
    keep = wcount >= max(min_days, 1)
    if not every_day:
        keep &= counts > 0
    kept = np.flatnonzero(keep)
    return kept, wsum[kept] / wcount[kept], wcount[kept]


def rolling_values(
    days: Sequence[date],
    values: Sequence[float],
    window: int = 7,
    *,
    min_days: int = 1,
    every_day: bool = False,
) -> list[tuple[date, float, int]]:
    """Trailing `window`-calendar-day means of one value per day, as (day, mean, n_days).

    `days` must be distinct. Each window covers `window` calendar days ending on its day and
    averages only the days measured in it; windows with fewer than `min_days` measured days
    give nothing. By default results are given only on measured days; with `every_day=True`
    also on unmeasured days whose window still holds enough measured days.
    """
    if len(days) != len(values):
        raise ValueError("days and values must have the same length")
    if not days:
        return []
    import numpy as np

    start = min(days)
    offsets = np.fromiter(((d - start).days for d in days), dtype=np.int64, count=len(days))
    idx, means, counts = rolling_arrays(
        offsets,
        np.asarray(values, dtype=np.float64),
        window,
        min_days=min_days,
        every_day=every_day,
    )
    return [
        (start + timedelta(days=int(i)), float(m), int(n))
        for i, m, n in zip(idx, means, counts, strict=True)
    ]


def partner_gaps(points: Iterable[DailyPoint]) -> list[GapPoint]:
    """Daily means of both partners on the days when both checked in, sorted by day."""
    by_partner: dict[PartnerId, dict[date, DailyPoint]] = {"a": {}, "b": {}}
    for p in points:
        by_partner[p.partner][p.day] = p
    both = sorted(set(by_partner["a"]) & set(by_partner["b"]))
    return [
        GapPoint(
            day=d,
            mood_a=by_partner["a"][d].mood,
            mood_b=by_partner["b"][d].mood,
            trust_a=by_partner["a"][d].trust,
            trust_b=by_partner["b"][d].trust,
        )
        for d in both
    ]
