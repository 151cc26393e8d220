"""Plain-language sentences shown beside each chart (see the table in `workbook.charts`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from ..domain import PARTNER_IDS, CheckIn, PartnerId
from ..i18n import N_
from .daily import MEASURES, DailyPoint, Measure, daily_means, partner_gaps, partner_series
from .wording import (
    gettext_for,
    long_date,
    ngettext_for,
    one_decimal,
    weeks_words,
)

#: Changes smaller than this (on the 1 to 10 scales) are described as "held steady".
STEADY_THRESHOLD = 0.5
#: Days whose values lie this far apart (or more) in the period, with the halves' means less
#: than `VARIED_SHIFT` apart, went up and down: neither "steady" nor a rise or fall (moods of
#: 1, 9, 3, 5, 7, 4 in a week were "held steady at about 4.8").
VARIED_SPREAD = 4
VARIED_SHIFT = 2.0

#: Each trend sentence, one whole sentence per measure (the words around "mood" and "trust"
#: differ between languages: "el ánimo", "la confianza").
_TREND: dict[str, dict[str, str]] = {
    "mood": {
        "none": N_("No check-ins from %(name)s yet, so there is no mood trend to show."),
        "varied": N_(
            "%(name)s's mood went up and down over %(period)s, from %(low)s to %(high)s "
            "(about %(mean)s on average), with no clear direction."
        ),
        "steady": N_("%(name)s's mood held steady at about %(value)s over %(period)s."),
        "rose": N_("%(name)s's mood rose from %(start)s to %(end)s over %(period)s."),
        "fell": N_("%(name)s's mood fell from %(start)s to %(end)s over %(period)s."),
    },
    "trust": {
        "none": N_("No check-ins from %(name)s yet, so there is no trust trend to show."),
        "varied": N_(
            "%(name)s's trust went up and down over %(period)s, from %(low)s to %(high)s "
            "(about %(mean)s on average), with no clear direction."
        ),
        "steady": N_("%(name)s's trust held steady at about %(value)s over %(period)s."),
        "rose": N_("%(name)s's trust rose from %(start)s to %(end)s over %(period)s."),
        "fell": N_("%(name)s's trust fell from %(start)s to %(end)s over %(period)s."),
    },
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


def private_only(
    names: Mapping[str, str],
    partner: PartnerId,
    count: int,
    *,
    viewer: str | None = None,
    lang: str | None = None,
) -> str:
    """What to say of a partner whose only check-ins in the period are private (left out).

    Said the same way by every summary, so that no page says "has not checked in" of a
    partner who has, privately. The writer (`viewer`) is told to unlock to include them.
    """
    ngettext = ngettext_for(lang)
    if partner == viewer:
        return ngettext(
            "You have %(n)d private check-in in this period; unlock to include it.",
            "You have %(n)d private check-ins in this period; unlock to include them.",
            count,
        ) % {"n": count}
    return ngettext(
        "%(name)s has %(n)d private check-in in this period; the charts leave it out.",
        "%(name)s has %(n)d private check-ins in this period; the charts leave them out.",
        count,
    ) % {"name": _name(names, partner), "n": count}


def _not_shown(
    names: Mapping[str, str],
    partner: PartnerId,
    private: Mapping[str, int] | None,
    viewer: str | None,
    otherwise: str,
    lang: str | None = None,
) -> str:
    """`otherwise`, unless the partner has private check-ins the viewer cannot see."""
    count = (private or {}).get(partner, 0)
    return private_only(names, partner, count, viewer=viewer, lang=lang) if count else otherwise


def _trend(
    checkins: Iterable[CheckIn],
    names: Mapping[str, str],
    partner: PartnerId,
    measure: Measure,
    today: date,
    weeks: int,
    min_days: int,
    lang: str | None,
) -> tuple[str, bool]:
    """`summarize_trend`'s sentence, and whether it says there is not enough to show yet."""
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    said = _TREND[measure]
    name = _name(names, partner)
    series = partner_series(daily_means(checkins), partner)
    period = weeks_words(weeks, lang)
    if not series:
        return _(said["none"]) % {"name": name}, False
    first = today - timedelta(days=7 * weeks - 1)
    half = first + timedelta(days=(7 * weeks) // 2)
    in_period = [p for p in series if first <= p.day <= today]
    if not in_period:
        return _("No check-ins from %(name)s in %(period)s; the last one was on %(day)s.") % {
            "name": name,
            "period": period,
            "day": long_date(series[-1].day, lang),
        }, False
    early, n_early = _mean_between(in_period, measure, first, half - timedelta(days=1))
    late, n_late = _mean_between(in_period, measure, half, today)
    if early is None or late is None or n_early < min_days or n_late < min_days:
        days = len(in_period)
        counted = {"name": name, "days": days, "period": period}
        if measure == "mood":
            text = ngettext(
                "Not enough check-ins yet to show a trend in %(name)s's mood: %(days)d day in "
                "%(period)s. A few more check-ins will show the direction.",
                "Not enough check-ins yet to show a trend in %(name)s's mood: %(days)d days in "
                "%(period)s. A few more check-ins will show the direction.",
                days,
            )
        else:
            text = ngettext(
                "Not enough check-ins yet to show a trend in %(name)s's trust: %(days)d day in "
                "%(period)s. A few more check-ins will show the direction.",
                "Not enough check-ins yet to show a trend in %(name)s's trust: %(days)d days in "
                "%(period)s. A few more check-ins will show the direction.",
                days,
            )
        return text % counted, True
    values = [p.value(measure) for p in in_period]
    low, high = min(values), max(values)
    if abs(late - early) < VARIED_SHIFT and high - low >= VARIED_SPREAD:
        mean = sum(values) / len(values)
        return _(said["varied"]) % {
            "name": name,
            "period": period,
            "low": one_decimal(low, lang),
            "high": one_decimal(high, lang),
            "mean": one_decimal(mean, lang),
        }, False
    if abs(late - early) < STEADY_THRESHOLD:
        return _(said["steady"]) % {
            "name": name,
            "value": one_decimal(late, lang),
            "period": period,
        }, False
    return _(said["rose" if late > early else "fell"]) % {
        "name": name,
        "start": one_decimal(early, lang),
        "end": one_decimal(late, lang),
        "period": period,
    }, False


def summarize_trend(
    checkins: Iterable[CheckIn],
    names: Mapping[str, str],
    partner: PartnerId,
    measure: Measure,
    *,
    today: date | None = None,
    weeks: int = 4,
    min_days: int = 2,
    lang: str | None = None,
) -> str:
    """One sentence on how a partner's measure moved over the last `weeks` weeks up to `today`.

    The period is split in two halves; the sentence compares the mean of the measured days in
    the first half with the mean in the second half. Each half needs `min_days` measured days.
    `today` defaults to the local date; `lang` is the reader's language (English by default).
    """
    today = today or date.today()
    return _trend(checkins, names, partner, measure, today, weeks, min_days, lang)[0]


def summarize_mood_trust(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    today: date | None = None,
    weeks: int = 4,
    private: Mapping[str, int] | None = None,
    viewer: str | None = None,
    lang: str | None = None,
) -> str:
    """The companion text for the mood and trust chart: a trend sentence per partner and measure.

    `private` counts each partner's private check-ins in the period that `checkins` leaves out
    (the other partner's, or the viewer's own while locked); `viewer` is who reads it.
    """
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    hidden = {pid: n for pid, n in (private or {}).items() if n}
    if not checkins and not hidden:
        return _("No check-ins yet. Once you both check in, your mood and trust trends show here.")
    present = {c.author for c in checkins}
    today = today or date.today()
    first = today - timedelta(days=7 * weeks - 1)
    lines: list[str] = []
    sparse = False
    for pid in PARTNER_IDS:
        if pid not in present:
            continue
        said = [_trend(checkins, names, pid, m, today, weeks, 2, lang) for m in MEASURES]
        if all(too_few for _text, too_few in said):
            # One sentence per partner, not one per measure, while there is too little data.
            days = sum(first <= p.day <= today for p in partner_series(daily_means(checkins), pid))
            lines.append(
                ngettext(
                    "Not enough check-ins yet to show %(name)s's trends (%(days)d day in "
                    "%(period)s).",
                    "Not enough check-ins yet to show %(name)s's trends (%(days)d days in "
                    "%(period)s).",
                    days,
                )
                % {"name": _name(names, pid), "days": days, "period": weeks_words(weeks, lang)}
            )
            sparse = True
        else:
            lines += [text for text, _too_few in said]
    if sparse:
        lines.append(_("A few more check-ins will show the direction."))
    missing = [pid for pid in PARTNER_IDS if pid not in present]
    lines += [
        _not_shown(
            names,
            pid,
            private,
            viewer,
            _("No check-ins from %(name)s yet.") % {"name": _name(names, pid)},
            lang,
        )
        for pid in missing
    ]
    return " ".join(lines)


#: The gap sentence, whole, for each way it can go: (mood, trust), each "same" or "higher".
_GAP = {
    ("same", "same"): N_(
        "On the %(days)d days in %(period)s when you both checked in, your mood was about the "
        "same and your trust was about the same on average."
    ),
    ("same", "higher"): N_(
        "On the %(days)d days in %(period)s when you both checked in, your mood was about the "
        "same and %(trust_name)s's trust was %(trust_gap)s points higher on average."
    ),
    ("higher", "same"): N_(
        "On the %(days)d days in %(period)s when you both checked in, %(mood_name)s's mood was "
        "%(mood_gap)s points higher and your trust was about the same on average."
    ),
    ("higher", "higher"): N_(
        "On the %(days)d days in %(period)s when you both checked in, %(mood_name)s's mood was "
        "%(mood_gap)s points higher and %(trust_name)s's trust was %(trust_gap)s points higher "
        "on average."
    ),
}


def summarize_gap(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    today: date | None = None,
    weeks: int = 4,
    min_days: int = 3,
    lang: str | None = None,
) -> str:
    """The companion text for the partner-gap chart: the mean gap over the last `weeks` weeks."""
    _ = gettext_for(lang)
    today = today or date.today()
    gaps = partner_gaps(daily_means(checkins))
    first = today - timedelta(days=7 * weeks - 1)
    recent = [g for g in gaps if first <= g.day <= today]
    period = weeks_words(weeks, lang)
    a, b = _name(names, "a"), _name(names, "b")
    if len(recent) < min_days:
        return _(
            "Not enough shared days yet: the gap needs at least %(least)d days in %(period)s "
            "when both %(a)s and %(b)s checked in (so far %(so_far)d)."
        ) % {"least": min_days, "period": period, "a": a, "b": b, "so_far": len(recent)}
    values: dict[str, object] = {"days": len(recent), "period": period}
    way = []
    for m in MEASURES:
        mean_gap = math.fsum(g.gap(m) for g in recent) / len(recent)
        if abs(mean_gap) < STEADY_THRESHOLD:
            way.append("same")
        else:
            way.append("higher")
            values[f"{m}_name"] = a if mean_gap > 0 else b
            values[f"{m}_gap"] = one_decimal(abs(mean_gap), lang)
    return _(_GAP[way[0], way[1]]) % values


def summarize_calendar(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    year: int,
    private: Mapping[str, int] | None = None,
    viewer: str | None = None,
    lang: str | None = None,
) -> str:
    """The companion text for the mood calendar: days checked in and mean mood in `year`.

    `private`, `viewer` and `lang` as for `summarize_mood_trust`.
    """
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    points = [p for p in daily_means(checkins) if p.day.year == year]
    hidden = [pid for pid in PARTNER_IDS if (private or {}).get(pid)]
    if not points and not hidden:
        return _("No check-ins in %(year)d yet.") % {"year": year}
    lines = []
    for pid in PARTNER_IDS:
        mine = [p for p in points if p.partner == pid]
        if not mine:
            if pid in hidden:
                lines.append(_not_shown(names, pid, private, viewer, "", lang))
            continue
        mean = math.fsum(p.mood for p in mine) / len(mine)
        days = len(mine)
        lines.append(
            ngettext(
                "%(name)s checked in on %(days)d day in %(year)d; mood averaged %(mean)s.",
                "%(name)s checked in on %(days)d days in %(year)d; mood averaged %(mean)s.",
                days,
            )
            % {
                "name": _name(names, pid),
                "days": days,
                "year": year,
                "mean": one_decimal(mean, lang),
            }
        )
    return " ".join(lines)
