"""Statistics behind the trends pages: pure functions from domain records to plain records.

Nothing here reads a file or a widget; functions that need "today" take it as a parameter
(defaulting to the local date). Inputs are the frozen dataclasses of `workbook.domain`;
outputs are small frozen dataclasses, numbers and plain sentences. Callers pass only the
entries the viewer may see (a partner's private check-ins are filtered out before they reach
this module).

Conventions:
- A check-in's day is `CheckIn.day`, the local calendar day. When a partner checks in several
  times on one day the day's figure is the mean of those check-ins.
- Means over a period or a rolling window are means of *daily* means, so a day with five
  check-ins weighs as much as a day with one.
- Days without a check-in are missing, never filled in: a window mean uses only the days that
  were measured, and a window with no measured day gives no value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np

from .domain import (
    CSI4_DISTRESS_CUTOFF,
    PARTNER_IDS,
    CheckIn,
    CSI4Answer,
    PartnerId,
    Promise,
)

Measure = Literal["mood", "trust"]
MEASURES: tuple[Measure, Measure] = ("mood", "trust")

# --- CSI-4 and reliable change --------------------------------------------------------------
#
# Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory: Increasing
# precision of measurement for relationship satisfaction with the Couples Satisfaction Index.
# Journal of Family Psychology, 21(4), 572-583. https://doi.org/10.1037/0893-3200.21.4.572
# Total 0 to 21; below 13.5 marks notable relationship dissatisfaction.
#
# The pages show change in points and the 13.5 band only. A reliable change index needs the
# standard deviation and reliability of CSI-4 totals in a reference sample; no stored source
# gives them, so this module assumes neither. `reliable_change` takes both as arguments, for a
# clinician who has values of their own.
#
# Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
# defining meaningful change in psychotherapy research. Journal of Consulting and Clinical
# Psychology, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12
# S_diff = sqrt(2) * SD * sqrt(1 - r); RCI = (x2 - x1) / S_diff; reliable when |RCI| > 1.96.
RCI_CRITERION = 1.96

#: Changes smaller than this (on the 1 to 10 scales) are described as "held steady".
STEADY_THRESHOLD = 0.5

_NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


# --- plain records --------------------------------------------------------------------------


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


@dataclass(frozen=True)
class KeepingPoint:
    """Promises kept and broken, cumulative up to `day`."""

    day: date
    kept: int
    broken: int

    @property
    def resolved(self) -> int:
        """Kept plus broken (open promises are never counted)."""
        return self.kept + self.broken

    @property
    def rate(self) -> float | None:
        """kept / (kept + broken), or None when nothing was resolved."""
        return self.kept / self.resolved if self.resolved else None


@dataclass(frozen=True)
class PromiseCounts:
    """How many promises are kept, broken and still open."""

    kept: int
    broken: int
    open: int

    @property
    def rate(self) -> float | None:
        """kept / (kept + broken), or None when nothing was resolved."""
        resolved = self.kept + self.broken
        return self.kept / resolved if resolved else None


@dataclass(frozen=True)
class Streak:
    """Runs of consecutive days with at least one check-in, for one partner."""

    partner: PartnerId
    current: int
    longest: int
    last_day: date | None


@dataclass(frozen=True)
class ReliableChange:
    """A Jacobson & Truax (1991) reliable change between two scores."""

    before: float
    after: float
    s_diff: float
    rci: float
    criterion: float = RCI_CRITERION

    @property
    def change(self) -> float:
        """`after - before`."""
        return self.after - self.before

    @property
    def reliable(self) -> bool:
        """True when |RCI| exceeds the criterion (1.96 by default)."""
        return abs(self.rci) > self.criterion

    @property
    def direction(self) -> Literal["improved", "worsened", "no reliable change"]:
        """Improved or worsened when the change is reliable; higher CSI-4 is better."""
        if not self.reliable:
            return "no reliable change"
        return "improved" if self.rci > 0 else "worsened"


@dataclass(frozen=True)
class CSI4Point:
    """One partner's CSI-4 total on one day, with its change in points since their first."""

    day: date
    partner: PartnerId
    total: int
    distressed: bool
    change: int | None


# --- daily means and rolling windows --------------------------------------------------------


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
    """
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


def _mean_between(
    series: Sequence[DailyPoint], measure: Measure, first: date, last: date
) -> tuple[float | None, int]:
    values = [p.value(measure) for p in series if first <= p.day <= last]
    if not values:
        return None, 0
    return math.fsum(values) / len(values), len(values)


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


# --- promises ---------------------------------------------------------------------------------


def _resolved(promises: Iterable[Promise], author: PartnerId | None) -> list[Promise]:
    return sorted(
        (
            p
            for p in promises
            if p.status != "open" and p.resolved is not None and author in (None, p.author)
        ),
        key=lambda p: p.resolved or date.min,
    )


def promise_counts(
    promises: Iterable[Promise], *, author: PartnerId | None = None, until: date | None = None
) -> PromiseCounts:
    """Kept, broken and open promises (of `author`, or both), as things stood on `until`.

    A promise resolved after `until` counts as open on `until`; one made after it is left out.
    """
    kept = broken = still_open = 0
    for p in promises:
        if author is not None and p.author != author:
            continue
        if until is not None and p.made > until:
            continue
        if p.status == "open" or (until is not None and p.resolved and p.resolved > until):
            still_open += 1
        elif p.status == "kept":
            kept += 1
        else:
            broken += 1
    return PromiseCounts(kept, broken, still_open)


def cumulative_keeping(
    promises: Iterable[Promise], *, author: PartnerId | None = None
) -> list[KeepingPoint]:
    """Running kept and broken counts, one point per day on which a promise was resolved."""
    out: list[KeepingPoint] = []
    kept = broken = 0
    for p in _resolved(promises, author):
        assert p.resolved is not None
        if p.status == "kept":
            kept += 1
        else:
            broken += 1
        if out and out[-1].day == p.resolved:
            out[-1] = KeepingPoint(p.resolved, kept, broken)
        else:
            out.append(KeepingPoint(p.resolved, kept, broken))
    return out


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


# --- streaks ----------------------------------------------------------------------------------


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


# --- CSI-4 ------------------------------------------------------------------------------------


def csi4_distressed(total: float, cutoff: float = CSI4_DISTRESS_CUTOFF) -> bool:
    """True when a CSI-4 total falls below the cutoff (13.5, Funk & Rogge 2007)."""
    return total < cutoff


def s_diff(sd: float, reliability: float) -> float:
    """Standard error of the difference, sqrt(2) * SD * sqrt(1 - r) (Jacobson & Truax 1991)."""
    if sd <= 0 or not 0 <= reliability < 1:
        raise ValueError("SD must be positive and reliability in [0, 1).")
    return math.sqrt(2) * sd * math.sqrt(1 - reliability)


def reliable_change(
    before: float,
    after: float,
    *,
    sd: float,
    reliability: float,
    criterion: float = RCI_CRITERION,
) -> ReliableChange:
    """Jacobson & Truax RCI = (after - before) / S_diff, for a reference SD and reliability.

    Give the SD and reliability of the measure in a sample that fits the people measured;
    the workbook's pages do not use this (see the module notes).
    """
    sdiff = s_diff(sd, reliability)
    return ReliableChange(before, after, sdiff, (after - before) / sdiff, criterion)


def reliable_change_threshold(
    *, sd: float, reliability: float, criterion: float = RCI_CRITERION
) -> float:
    """The smallest |change| in points that counts as reliable: criterion * S_diff."""
    return criterion * s_diff(sd, reliability)


def csi4_series(answers: Iterable[CSI4Answer]) -> list[CSI4Point]:
    """Every CSI-4 total by partner then day, with its change in points since their first.

    When a partner answered more than once on one day, the last answer given (highest id, or
    the later one in the input) stands for that day.
    """
    latest: dict[tuple[PartnerId, date], CSI4Answer] = {}
    for a in answers:
        key = (a.author, a.day)
        held = latest.get(key)
        if held is None or (a.id or 0) >= (held.id or 0):
            latest[key] = a
    out: list[CSI4Point] = []
    baseline: dict[PartnerId, int] = {}
    for (partner, day), a in sorted(latest.items()):
        total = a.total
        change = None
        if partner in baseline:
            change = total - baseline[partner]
        else:
            baseline[partner] = total
        out.append(CSI4Point(day, partner, total, csi4_distressed(total), change))
    return out


# --- plain-language summaries -----------------------------------------------------------------


def _name(names: Mapping[str, str], partner: PartnerId) -> str:
    return names.get(partner) or f"Partner {partner.upper()}"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _weeks_words(weeks: int) -> str:
    if weeks == 1:
        return "the last week"
    return f"the last {_NUMBER_WORDS.get(weeks, str(weeks))} weeks"


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def summarize_trend(
    checkins: Iterable[CheckIn],
    names: Mapping[str, str],
    partner: PartnerId,
    measure: Measure,
    *,
    today: date | None = None,
    weeks: int = 4,
    min_days: int = 2,
) -> str:
    """One sentence on how a partner's measure moved over the last `weeks` weeks up to `today`.

    The period is split in two halves; the sentence compares the mean of the measured days in
    the first half with the mean in the second half. Each half needs `min_days` measured days.
    `today` defaults to the local date.
    """
    today = today or date.today()
    name = _name(names, partner)
    series = partner_series(daily_means(checkins), partner)
    period = _weeks_words(weeks)
    if not series:
        return f"No check-ins from {name} yet, so there is no {measure} trend to show."
    first = today - timedelta(days=7 * weeks - 1)
    half = first + timedelta(days=(7 * weeks) // 2)
    in_period = [p for p in series if first <= p.day <= today]
    if not in_period:
        return (
            f"No check-ins from {name} in {period}; "
            f"the last one was on {_long_date(series[-1].day)}."
        )
    early, n_early = _mean_between(in_period, measure, first, half - timedelta(days=1))
    late, n_late = _mean_between(in_period, measure, half, today)
    if early is None or late is None or n_early < min_days or n_late < min_days:
        days = len(in_period)
        plural = "day" if days == 1 else "days"
        return (
            f"Not enough check-ins yet to show a trend in {_possessive(name)} {measure}: "
            f"{days} {plural} in {period}. A few more check-ins will show the direction."
        )
    if abs(late - early) < STEADY_THRESHOLD:
        return f"{_possessive(name)} {measure} held steady at about {_fmt(late)} over {period}."
    verb = "rose" if late > early else "fell"
    return f"{_possessive(name)} {measure} {verb} from {_fmt(early)} to {_fmt(late)} over {period}."


def summarize_mood_trust(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    today: date | None = None,
    weeks: int = 4,
) -> str:
    """The companion text for the mood and trust chart: a trend sentence per partner and measure."""
    if not checkins:
        return "No check-ins yet. Once you both check in, your mood and trust trends show here."
    present = {c.author for c in checkins}
    today = today or date.today()
    first = today - timedelta(days=7 * weeks - 1)
    lines: list[str] = []
    sparse = False
    for pid in PARTNER_IDS:
        if pid not in present:
            continue
        sentences = [
            summarize_trend(checkins, names, pid, m, today=today, weeks=weeks) for m in MEASURES
        ]
        if all(t.startswith("Not enough") for t in sentences):
            # One sentence per partner, not one per measure, while there is too little data.
            days = sum(first <= p.day <= today for p in partner_series(daily_means(checkins), pid))
            plural = "day" if days == 1 else "days"
            lines.append(
                f"Not enough check-ins yet to show {_possessive(_name(names, pid))} trends "
                f"({days} {plural} in {_weeks_words(weeks)})."
            )
            sparse = True
        else:
            lines += sentences
    if sparse:
        lines.append("A few more check-ins will show the direction.")
    missing = [pid for pid in PARTNER_IDS if pid not in present]
    lines += [f"No check-ins from {_name(names, pid)} yet." for pid in missing]
    return " ".join(lines)


def summarize_gap(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    today: date | None = None,
    weeks: int = 4,
    min_days: int = 3,
) -> str:
    """The companion text for the partner-gap chart: the mean gap over the last `weeks` weeks."""
    today = today or date.today()
    gaps = partner_gaps(daily_means(checkins))
    first = today - timedelta(days=7 * weeks - 1)
    recent = [g for g in gaps if first <= g.day <= today]
    period = _weeks_words(weeks)
    a, b = _name(names, "a"), _name(names, "b")
    if len(recent) < min_days:
        return (
            f"Not enough shared days yet: the gap needs at least {min_days} days in {period} "
            f"when both {a} and {b} checked in (so far {len(recent)})."
        )
    parts = []
    for m in MEASURES:
        mean_gap = math.fsum(g.gap(m) for g in recent) / len(recent)
        if abs(mean_gap) < STEADY_THRESHOLD:
            parts.append(f"your {m} was about the same")
        else:
            higher = a if mean_gap > 0 else b
            parts.append(f"{_possessive(higher)} {m} was {abs(mean_gap):.1f} points higher")
    return (
        f"On the {len(recent)} days in {period} when you both checked in, "
        f"{parts[0]} and {parts[1]} on average."
    )


def summarize_promises(
    promises: Sequence[Promise], names: Mapping[str, str], *, author: PartnerId | None = None
) -> str:
    """The companion text for the promise-keeping chart: kept out of resolved, and open ones."""
    counts = promise_counts(promises, author=author)
    whose = "" if author is None else f"{_possessive(_name(names, author))} "
    open_part = (
        ""
        if counts.open == 0
        else f" {counts.open} {'is' if counts.open == 1 else 'are'} still open."
    )
    if counts.rate is None:
        if counts.open:
            return f"None of {whose or 'your '}promises has been kept or broken yet.{open_part}"
        return "No promises yet. Promises you make and keep will show here."
    resolved = counts.kept + counts.broken
    return (
        f"Of {whose}{resolved} promise{'s' if resolved != 1 else ''} kept or broken, "
        f"{counts.kept} {'was' if counts.kept == 1 else 'were'} kept "
        f"({counts.rate:.0%}).{open_part}"
    )


def summarize_csi4(answers: Sequence[CSI4Answer], names: Mapping[str, str]) -> str:
    """The companion text for the CSI-4 chart: each partner's latest total, band and change."""
    series = csi4_series(answers)
    if not series:
        return "No relationship-satisfaction (CSI-4) answers yet."
    lines = []
    for pid in PARTNER_IDS:
        mine = [p for p in series if p.partner == pid]
        name = _name(names, pid)
        if not mine:
            lines.append(f"{name} has not answered the CSI-4 yet.")
            continue
        last = mine[-1]
        side = "below" if last.distressed else "above"
        text = (
            f"{_possessive(name)} latest CSI-4 total is {last.total} of 21 ({side} the "
            f"{CSI4_DISTRESS_CUTOFF} line)."
        )
        if last.change is None:
            text += " One answer so far; change shows after the next one."
        elif last.change == 0:
            text += " The same as the first answer."
        else:
            word = "up" if last.change > 0 else "down"
            unit = "point" if abs(last.change) == 1 else "points"
            text += f" That is {word} {abs(last.change)} {unit} from the first answer."
        lines.append(text)
    return " ".join(lines)


def summarize_calendar(checkins: Sequence[CheckIn], names: Mapping[str, str], *, year: int) -> str:
    """The companion text for the mood calendar: days checked in and mean mood in `year`."""
    points = [p for p in daily_means(checkins) if p.day.year == year]
    if not points:
        return f"No check-ins in {year} yet."
    lines = []
    for pid in PARTNER_IDS:
        mine = [p for p in points if p.partner == pid]
        if not mine:
            continue
        mean = math.fsum(p.mood for p in mine) / len(mine)
        days = len(mine)
        lines.append(
            f"{_name(names, pid)} checked in on {days} day{'s' if days != 1 else ''} "
            f"in {year}; mood averaged {_fmt(mean)}."
        )
    return " ".join(lines)


def summarize_streaks(
    checkins: Sequence[CheckIn], names: Mapping[str, str], *, today: date | None = None
) -> str:
    """Current and longest check-in streaks in a sentence per partner."""
    out = []
    for pid, s in streaks(checkins, today=today).items():
        name = _name(names, pid)
        if s.last_day is None:
            out.append(f"{name} has not checked in yet.")
            continue
        current = f"{s.current} day{'s' if s.current != 1 else ''}"
        out.append(f"{_possessive(name)} current streak is {current} (longest {s.longest}).")
    return " ".join(out)
