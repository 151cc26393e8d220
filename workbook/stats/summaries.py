"""Plain-language sentences shown beside each chart (see the table in `workbook.charts`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from ..domain import CSI4_DISTRESS_CUTOFF, PARTNER_IDS, CheckIn, CSI4Answer, PartnerId, Promise
from .csi4 import csi4_series
from .daily import MEASURES, DailyPoint, Measure, daily_means, partner_gaps, partner_series
from .promises import promise_counts

#: Changes smaller than this (on the 1 to 10 scales) are described as "held steady".
STEADY_THRESHOLD = 0.5
#: Days whose values lie this far apart (or more) in the period, with the halves' means less
#: than `VARIED_SHIFT` apart, went up and down: neither "steady" nor a rise or fall (moods of
#: 1, 9, 3, 5, 7, 4 in a week were "held steady at about 4.8").
VARIED_SPREAD = 4
VARIED_SHIFT = 2.0

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


def _mean_between(
    series: Sequence[DailyPoint], measure: Measure, first: date, last: date
) -> tuple[float | None, int]:
    values = [p.value(measure) for p in series if first <= p.day <= last]
    if not values:
        return None, 0
    return math.fsum(values) / len(values), len(values)


def _name(names: Mapping[str, str], partner: PartnerId) -> str:
    return names.get(partner) or f"Partner {partner.upper()}"


def _possessive(name: str) -> str:
    # One form for every name ("Luis's", like the pages' "Luis's answer").
    return f"{name}'s"


def _weeks_words(weeks: int) -> str:
    if weeks == 1:
        return "the last week"
    return f"the last {_NUMBER_WORDS.get(weeks, str(weeks))} weeks"


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def private_only(
    names: Mapping[str, str], partner: PartnerId, count: int, *, viewer: str | None = None
) -> str:
    """What to say of a partner whose only check-ins in the period are private (left out).

    Said the same way by every summary, so that no page says "has not checked in" of a
    partner who has, privately. The writer (`viewer`) is told to unlock to include them.
    """
    noun, them = ("check-in", "it") if count == 1 else ("check-ins", "them")
    if partner == viewer:
        return f"You have {count} private {noun} in this period; unlock to include {them}."
    return (
        f"{_name(names, partner)} has {count} private {noun} in this period; "
        f"the charts leave {them} out."
    )


def _not_shown(
    names: Mapping[str, str],
    partner: PartnerId,
    private: Mapping[str, int] | None,
    viewer: str | None,
    otherwise: str,
) -> str:
    """`otherwise`, unless the partner has private check-ins the viewer cannot see."""
    count = (private or {}).get(partner, 0)
    return private_only(names, partner, count, viewer=viewer) if count else otherwise


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
    values = [p.value(measure) for p in in_period]
    low, high = min(values), max(values)
    if abs(late - early) < VARIED_SHIFT and high - low >= VARIED_SPREAD:
        mean = sum(values) / len(values)
        return (
            f"{_possessive(name)} {measure} went up and down over {period}, from {_fmt(low)} "
            f"to {_fmt(high)} (about {_fmt(mean)} on average), with no clear direction."
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
    private: Mapping[str, int] | None = None,
    viewer: str | None = None,
) -> str:
    """The companion text for the mood and trust chart: a trend sentence per partner and measure.

    `private` counts each partner's private check-ins in the period that `checkins` leaves out
    (the other partner's, or the viewer's own while locked); `viewer` is who reads it.
    """
    hidden = {pid: n for pid, n in (private or {}).items() if n}
    if not checkins and not hidden:
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
    lines += [
        _not_shown(names, pid, private, viewer, f"No check-ins from {_name(names, pid)} yet.")
        for pid in missing
    ]
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
    resolved = counts.resolved
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


def summarize_calendar(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    year: int,
    private: Mapping[str, int] | None = None,
    viewer: str | None = None,
) -> str:
    """The companion text for the mood calendar: days checked in and mean mood in `year`.

    `private` and `viewer` as for `summarize_mood_trust`.
    """
    points = [p for p in daily_means(checkins) if p.day.year == year]
    hidden = [pid for pid in PARTNER_IDS if (private or {}).get(pid)]
    if not points and not hidden:
        return f"No check-ins in {year} yet."
    lines = []
    for pid in PARTNER_IDS:
        mine = [p for p in points if p.partner == pid]
        if not mine:
            if pid in hidden:
                lines.append(_not_shown(names, pid, private, viewer, ""))
            continue
        mean = math.fsum(p.mood for p in mine) / len(mine)
        days = len(mine)
        lines.append(
            f"{_name(names, pid)} checked in on {days} day{'s' if days != 1 else ''} "
            f"in {year}; mood averaged {_fmt(mean)}."
        )
    return " ".join(lines)
