"""The mood calendar, a "year in pixels" (summary: `stats.summarize_calendar`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure

from .. import stats
from ..domain import PARTNER_IDS, CheckIn
from .style import (
    _NOTE,
    _SMALL,
    _TITLE_SIZE,
    CALENDAR_CMAP,
    CALENDAR_MISSING,
    DEFAULT_DPI,
    PAGE_WIDTH,
    PARTNER_COLORS,
    _gettext,
    _name,
    _new_figure,
    day_abbr,
    message_figure,
    month_abbr,
)


def calendar_grid(points: Sequence[stats.DailyPoint], year: int) -> tuple[np.ndarray, np.ndarray]:
    """A 7 x weeks grid of daily mood for `year` (rows Monday..Sunday, columns weeks).

    Returns (mood, in_year): mood is NaN where nothing was measured; in_year marks the cells
    that are days of `year` (the first and last columns are partly outside it).
    """
    jan1 = date(year, 1, 1)
    origin = stats.week_start(jan1)
    n_weeks = (date(year, 12, 31) - origin).days // 7 + 1
    mood = np.full((7, n_weeks), np.nan)
    in_year = np.zeros((7, n_weeks), dtype=bool)
    offsets = np.arange((date(year, 12, 31) - jan1).days + 1) + (jan1 - origin).days
    in_year[offsets % 7, offsets // 7] = True
    for p in points:
        if p.day.year == year:
            k = (p.day - origin).days
            mood[k % 7, k // 7] = p.mood
    return mood, in_year


def mood_calendar_chart(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    year: int | None = None,
    figsize: tuple[float, float] | None = None,
    dpi: float = DEFAULT_DPI,
    lang: str | None = None,
) -> Figure:
    """A "year in pixels": one square per day, coloured by daily mean mood, one row per partner.

    `year` defaults to the year of the latest check-in. Grey squares are days without a
    check-in. Its words, month and day names are in `lang` (English by default). Summary:
    `stats.summarize_calendar`.
    """
    _ = _gettext(lang)
    points = stats.daily_means(checkins)
    if not points:
        return message_figure(
            _("Mood by day"), _("No check-ins yet.\nEach day you check in fills one square.")
        )
    year = year or max(p.day for p in points).year
    title = _("Mood by day, %(year)d") % {"year": year}
    present = [
        pid for pid in PARTNER_IDS if any(p.partner == pid and p.day.year == year for p in points)
    ]
    if not present:
        return message_figure(title, _("No check-ins in %(year)d.") % {"year": year})
    fig = _new_figure(figsize or (PAGE_WIDTH, 1.05 + 0.8 * len(present)), dpi)
    axes = fig.subplots(len(present), 1, squeeze=False)[:, 0]
    # At page width a month is about as wide as its name: name every other month, and put
    # the colour scale below the squares so that they get the whole width.
    narrow = fig.get_size_inches()[0] < 5
    months = range(1, 13, 2) if narrow else range(1, 13)
    cmap = colormaps[CALENDAR_CMAP]
    norm = Normalize(1, 10)
    missing = np.array(to_rgba(CALENDAR_MISSING))
    month_cols = [
        (stats.week_start(date(year, m, 1)) - stats.week_start(date(year, 1, 1))).days // 7
        for m in months
    ]
    for ax, pid in zip(axes, present, strict=True):
        mood, in_year = calendar_grid([p for p in points if p.partner == pid], year)
        rgba = np.ones((*mood.shape, 4))
        rgba[in_year] = missing
        measured = ~np.isnan(mood)
        rgba[measured] = cmap(norm(mood[measured]))
        ax.imshow(rgba, aspect="equal", interpolation="nearest", gid=f"calendar-{pid}")
        ax.set_xticks(np.arange(-0.5, mood.shape[1], 1), minor=True)
        ax.set_yticks(np.arange(-0.5, 7, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.8)
        ax.tick_params(which="minor", length=0)
        ax.tick_params(which="major", length=0, labelsize=_NOTE)
        ax.set_yticks([0, 3, 6], [day_abbr(d, lang) for d in (0, 3, 6)])
        ax.set_xticks(month_cols, [month_abbr(m, lang) for m in months])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(_name(names, pid), fontsize=_SMALL, loc="left", color=PARTNER_COLORS[pid])
    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap),
        ax=list(axes),
        **(
            {"orientation": "horizontal", "shrink": 0.6, "aspect": 30, "pad": 0.04}
            if narrow
            else {"shrink": 0.9, "aspect": 12, "pad": 0.02}
        ),
    )
    bar.set_label(_("Mood"), fontsize=_NOTE)
    bar.set_ticks([1, 4, 7, 10])
    bar.ax.tick_params(labelsize=_NOTE)
    fig.suptitle(title, fontsize=_TITLE_SIZE)
    return fig
