"""What a workshop's facilitator may see: progress counts and consented, anonymised trends.

What a facilitator may see is deliberately narrow:

* `progress_table`: how many steps each partner has marked done and the day of the last shared
  activity. No entry text, no partner names, nothing private.
* `aggregate_trends`: daily mean mood and trust across couples where *both* partners consented,
  from shared check-ins only, with no names, and nothing at all while fewer than three couples
  consented. Days to which fewer than `min_couples` couples contributed are left out too, so
  one couple's numbers can never be read off a day on which only they checked in.

The group chart is `workbook.charts.aggregate_chart`. This module is domain level: it reads
the store and returns plain data, never widgets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import stats
from .domain import PARTNER_IDS, CheckIn, ValidationError
from .i18n import N_
from .paths import default_data_dir, list_names
from .stats.wording import gettext_for, one_decimal
from .store import Workbook, WorkbookError, open_workbook
from .workshop import couple_codes

#: Fewer consenting couples than this and no aggregate is shown at all.
MIN_COUPLES = 3


# --- progress, without any entry text -----------------------------------------------------------


@dataclass(frozen=True)
class CoupleProgress:
    """One couple's progress as a facilitator sees it: counts and a date, never entry text."""

    name: str
    steps_a: int
    steps_b: int
    last_activity: date | None
    code: str | None = None
    problem: str = ""


def _last_activity(wb: Workbook) -> date | None:
    """The local day of the latest *shared* activity (private entries are not looked at)."""
    times = [c.at for c in wb.checkins(viewer=None)]
    times += [r.at for r in wb.reflections(viewer=None)]
    times += [p.at for p in wb.progress()]
    return max(times).astimezone().date() if times else None


def progress_table(data_dir: Path | str | None = None) -> list[CoupleProgress]:
    """Progress of every workbook in the workshop folder, sorted by name.

    A workbook that cannot be read is listed with a short `problem` instead of failing the
    whole table.
    """
    folder = Path(data_dir) if data_dir else default_data_dir()
    try:
        codes = {c.name: c.code for c in couple_codes(folder)}
    except ValidationError:
        codes = {}
    rows = []
    for name in list_names(folder):
        try:
            with open_workbook(name, data_dir=folder) as wb:
                done = {p: {s for s in wb.steps_done(p) if s >= 1} for p in PARTNER_IDS}
                rows.append(
                    CoupleProgress(
                        name=name,
                        steps_a=len(done["a"]),
                        steps_b=len(done["b"]),
                        last_activity=_last_activity(wb),
                        code=codes.get(name),
                    )
                )
        except (WorkbookError, ValidationError):
            rows.append(
                CoupleProgress(
                    name=name,
                    steps_a=0,
                    steps_b=0,
                    last_activity=None,
                    code=codes.get(name),
                    problem="cannot be read",
                )
            )
    return rows


# --- consented, anonymised aggregate trends --------------------------------------------------


@dataclass(frozen=True)
class AggregatePoint:
    """The mean mood and trust on one day across the consenting couples who checked in."""

    day: date
    mood: float
    trust: float
    couples: int


@dataclass(frozen=True)
class AggregateTrends:
    """`points` (None when too few couples consented) and a plain sentence saying why or what.

    It unpacks as ``points, message = aggregate_trends(folder)``.
    """

    points: list[AggregatePoint] | None
    message: str
    consenting: int = 0

    def __iter__(self) -> Iterator[object]:
        return iter((self.points, self.message))


def _couple_days(checkins: list[CheckIn]) -> dict[date, tuple[float, float]]:
    """A couple's mood and trust per day: the mean of the partners' daily means."""
    per_day: dict[date, list[tuple[float, float]]] = {}
    for p in stats.daily_means(checkins):
        per_day.setdefault(p.day, []).append((p.mood, p.trust))
    return {
        d: (sum(m for m, _ in v) / len(v), sum(t for _, t in v) / len(v))
        for d, v in per_day.items()
    }


def aggregate_trends(
    data_dir: Path | str | None = None,
    *,
    min_couples: int = MIN_COUPLES,
    lang: str | None = None,
) -> AggregateTrends:
    """Daily mean mood and trust across couples where both partners consented.

    Only shared check-ins are read (`checkins(viewer=None)`); every couple counts equally on a
    day (the mean of its partners' daily means), and no names or workbook names are kept. With
    fewer than `min_couples` consenting couples `points` is None and `message` says why. A day
    to which fewer than `min_couples` couples contributed is left out as well. `message` is
    in `lang` (English by default).
    """
    if isinstance(min_couples, bool) or not isinstance(min_couples, int) or min_couples < 1:
        raise ValidationError("The smallest group must be a whole number of at least 1.")
    folder = Path(data_dir) if data_dir else default_data_dir()
    days: dict[date, list[tuple[float, float]]] = {}
    consenting = 0
    for name in list_names(folder):
        try:
            with open_workbook(name, data_dir=folder) as wb:
                if not all(wb.consent(p) for p in PARTNER_IDS):
                    continue
                shared = [c for c in wb.checkins(viewer=None) if c.visibility == "shared"]
        except (WorkbookError, ValidationError):
            continue
        consenting += 1
        for d, values in _couple_days(shared).items():
            days.setdefault(d, []).append(values)
    if consenting < min_couples:
        _ = gettext_for(lang)
        least = _(COUNT_WORDS[min_couples]) if min_couples in COUNT_WORDS else str(min_couples)
        return AggregateTrends(
            None,
            _(
                "Fewer than %(least)s couples have agreed to share their mood and trust "
                "(%(so_far)d so far), so no group trend is shown. This keeps every couple's "
                "numbers anonymous."
            )
            % {"least": least, "so_far": consenting},
            consenting,
        )
    points = [
        AggregatePoint(
            day=d,
            mood=sum(m for m, _ in v) / len(v),
            trust=sum(t for _, t in v) / len(v),
            couples=len(v),
        )
        for d, v in sorted(days.items())
        if len(v) >= min_couples
    ]
    return AggregateTrends(points, summarize_aggregate(points, consenting, lang=lang), consenting)


#: The smallest groups said in words (the catalogue's "two", "three", ...).
COUNT_WORDS = {n: stats.NUMBER_WORDS[n] for n in (2, 3, 4, 5)}

#: Each sentence of the group trend whole, per measure and direction.
_GROUP_TREND = {
    ("mood", "steady"): N_("Average mood held steady at about %(after)s."),
    ("mood", "rose"): N_(
        "Average mood rose from %(before)s to %(after)s over the last four weeks."
    ),
    ("mood", "fell"): N_(
        "Average mood fell from %(before)s to %(after)s over the last four weeks."
    ),
    ("trust", "steady"): N_("Average trust held steady at about %(after)s."),
    ("trust", "rose"): N_(
        "Average trust rose from %(before)s to %(after)s over the last four weeks."
    ),
    ("trust", "fell"): N_(
        "Average trust fell from %(before)s to %(after)s over the last four weeks."
    ),
}


def summarize_aggregate(
    points: list[AggregatePoint], consenting: int, *, lang: str | None = None
) -> str:
    """A plain sentence on the group trend: who is included and how the last weeks moved."""
    _ = gettext_for(lang)
    head = _(
        "%(n)d couples agreed to share; each day shows the average of the couples who "
        "checked in that day (days with too few couples are left out)."
    ) % {"n": consenting}
    if not points:
        return head + " " + _("There are no days with enough check-ins yet.")
    last = points[-1].day
    recent = [p for p in points if (last - p.day).days < 14]
    earlier = [p for p in points if 14 <= (last - p.day).days < 28]

    def mean(ps: list[AggregatePoint], attr: str) -> float:
        return sum(getattr(p, attr) for p in ps) / len(ps)

    parts = [head]
    if recent and earlier:
        for attr in ("mood", "trust"):
            before, after = mean(earlier, attr), mean(recent, attr)
            if abs(after - before) < stats.STEADY_THRESHOLD:
                way = "steady"
            else:
                way = "rose" if after > before else "fell"
            parts.append(
                _(_GROUP_TREND[attr, way])
                % {"before": one_decimal(before, lang), "after": one_decimal(after, lang)}
            )
    else:
        parts.append(
            _(
                "Over the last two weeks average mood was %(mood)s and average trust %(trust)s "
                "(1 to 10)."
            )
            % {
                "mood": one_decimal(mean(recent, "mood"), lang),
                "trust": one_decimal(mean(recent, "trust"), lang),
            }
        )
    return " ".join(parts)
