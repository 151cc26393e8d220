"""Mood and trust over time, and the gap between partners (summaries: `stats.summarize_mood_trust`
and `stats.summarize_gap`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from .. import stats
from ..domain import PARTNER_IDS, CheckIn
from .style import (
    _NOTE,
    _SMALL,
    _TITLE_SIZE,
    DEFAULT_DPI,
    MAX_GAP_DAYS,
    MILESTONE_COLOR,
    PAGE_WIDTH,
    PARTNER_COLORS,
    PARTNER_LINESTYLES,
    _date_axis,
    _day_range,
    _epoch_offset,
    _finish,
    _gettext,
    _label,
    _name,
    _new_figure,
    _single_axes,
    _style,
    _xnum,
    break_gaps,
    measure_style,
    message_figure,
    partner_style,
)

#: Which side of its line a milestone label's text is aligned to.
Side = Literal["left", "right"]


def _dot_alpha(n: int) -> float:
    """Daily dots are faint behind a line, but stay visible while there are only a few."""
    if n < 7:
        return 0.8
    return 0.3 if n <= 365 else 0.15


def _daily_dots(
    ax: Axes, x: ArrayLike, y: ArrayLike, style: dict[str, Any], markersize: float, gid: str
) -> None:
    """Unjoined daily dots in `style`'s colour and marker, faint behind the rolling line."""
    ax.plot(
        x,
        y,
        **{**style, "linestyle": "none"},
        markersize=markersize,
        markeredgewidth=0,
        alpha=_dot_alpha(len(np.asarray(y))),
        gid=gid,
    )


def _merge_milestones(
    milestones: Sequence[tuple[date, str]], first: date, last: date, lang: str | None = None
) -> list[tuple[date, str]]:
    """Milestones within `first`..`last`, one per day: "Step 5" and "Step 8" marked on the
    same day become "Steps 5, 8" (other labels on one day are joined with " · "); the steps'
    labels are said in `lang` ("Paso 5", "Pasos 5, 8")."""
    _ = _gettext(lang)
    by_day: dict[date, list[str]] = {}
    for d, text in sorted(milestones):
        if first <= d <= last and text not in by_day.setdefault(d, []):
            by_day[d].append(text)
    merged = []
    for d, texts in sorted(by_day.items()):
        steps = [t.removeprefix("Step ") for t in texts]
        if len(texts) > 1 and all(
            t.startswith("Step ") and n.isdigit() for t, n in zip(texts, steps, strict=True)
        ):
            merged.append(
                (d, _("Steps %(steps)s") % {"steps": _step_ranges(sorted(int(n) for n in steps))})
            )
        else:
            merged.append(
                (
                    d,
                    " · ".join(
                        _("Step %(n)s") % {"n": n} if t.startswith("Step ") and n.isdigit() else t
                        for t, n in zip(texts, steps, strict=True)
                    ),
                )
            )
    return merged


def _step_ranges(numbers: Sequence[int]) -> str:
    """Step numbers as short as they can be read: [1, 2, 3, 5, 8] -> "1–3, 5, 8"."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _rolling_window(first: date, last: date) -> int:
    """A week for up to four months of data, four weeks beyond."""
    return 7 if (last - first).days <= 120 else 28


def _draw_milestones(
    fig: Figure,
    ax_mood: Axes,
    ax_trust: Axes,
    milestones: Sequence[tuple[date, str]],
    first: date,
    last: date,
    lang: str | None = None,
) -> None:
    """Milestones within `first`..`last` as dotted lines on both axes, labelled in a strip
    above 10 on the mood axes (rows of labels, so that no label covers a point or another)."""
    shown = _merge_milestones(milestones, first, last, lang)
    span = max(1, (last - first).days)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined] # Agg canvas
    rows: list[list[tuple[float, float]]] = []  # the labels' spans in pixels, per row
    placed = []
    for d, text in shown:
        x = _xnum([d])[0]
        for ax in (ax_mood, ax_trust):
            ax.axvline(x, color=MILESTONE_COLOR, linestyle=":", linewidth=1, gid="milestone")
        label = ax_mood.text(
            x,
            1.0,  # moved to its row below
            f" {_label(text, 26)} ",
            transform=ax_mood.get_xaxis_transform(),
            va="top",
            fontsize=_NOTE,
            color=MILESTONE_COLOR,
            gid="milestone-label",
        )
        # Right of its line (left of it late in the period), or else the other side, in the
        # first row where it covers no other label; a new row when no row has room.
        preferred: tuple[Side, Side] = (
            ("right", "left") if (d - first).days > 0.6 * span else ("left", "right")
        )
        chosen = None
        for row, taken in enumerate([*rows, []]):
            for ha in preferred:
                label.set_horizontalalignment(ha)
                box = label.get_window_extent(renderer)
                inside = box.x0 >= ax_mood.bbox.x0 - 1 and box.x1 <= ax_mood.bbox.x1 + 1
                if inside and all(box.x1 <= lo or box.x0 >= hi for lo, hi in taken):
                    chosen = row, ha, (box.x0, box.x1)
                    break
            if chosen:
                break
        row, ha, extent = chosen or (len(rows), preferred[0], (0.0, 0.0))
        if row == len(rows):
            rows.append([])
        rows[row].append(extent)
        label.set_horizontalalignment(ha)
        placed.append((label, row))
    if placed:
        # A strip above 10 holds the milestone labels, one line per row, so they never cover
        # a data point or each other: rows are a label's height apart, in pixels.
        height = ax_mood.bbox.height
        line = 1.15 * max(label.get_window_extent(renderer).height for label, _ in placed)
        strip = (len(rows) * line + 4) / height  # as a fraction of the axes' height
        ax_mood.set_ylim(0.5, 0.5 + 10.2 / (1 - strip))
        for label, row in placed:
            label.set_y(1 - (2 + row * line) / height)


# --- (1) mood and trust over time -------------------------------------------------------------


def mood_trust_chart(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    milestones: Sequence[tuple[date, str]] = (),
    *,
    window: int | None = None,
    max_gap_days: int = MAX_GAP_DAYS,
    figsize: tuple[float, float] = (PAGE_WIDTH, 4.6),
    dpi: float = DEFAULT_DPI,
    titled: bool = True,
    lang: str | None = None,
) -> Figure:
    """Mood (top) and trust (bottom) per partner: faint daily dots, rolling means, milestones.

    `window` is the rolling window in days (7 when the data spans up to 120 days, else 28).
    Milestones are (day, label) pairs drawn as labelled vertical lines when they fall within
    the data's date range. Its words are in `lang` (English by default). Summary:
    `stats.summarize_mood_trust`.
    """
    _ = _gettext(lang)
    title = _("Mood and trust over time")
    points = stats.daily_means(checkins)
    if not points:
        return message_figure(
            title,
            _("No check-ins yet.\nOnce you check in, your mood and trust show here."),
            titled=titled,
        )
    first, last = _day_range(p.day for p in points)
    win = window or _rolling_window(first, last)

    # Fixed margins (in inches) instead of a layout engine: this chart may hold years of data
    # and a layout engine would draw it twice per render.
    fig = _new_figure(figsize, dpi, layout=None)
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=0.62 / width,
        right=1 - 0.15 / width,
        top=1 - (0.42 if titled else 0.12) / height,
        bottom=1.0 / height,
        hspace=0.12,
    )
    ax_mood, ax_trust = fig.subplots(2, 1, sharex=True)
    x0 = _epoch_offset()
    present = [pid for pid in PARTNER_IDS if any(p.partner == pid for p in points)]
    for pid in present:
        series = stats.partner_series(points, pid)
        ordinals = np.fromiter((p.day.toordinal() for p in series), np.int64, len(series))
        x = ordinals + x0
        color = PARTNER_COLORS[pid]
        for ax, measure in zip((ax_mood, ax_trust), stats.MEASURES, strict=True):
            y = np.fromiter((p.value(measure) for p in series), np.float64, len(series))
            _daily_dots(
                ax, x, y, partner_style(pid), 2.5 if len(series) > 200 else 4, f"daily-{pid}"
            )
            idx, means, _n = stats.rolling_arrays(ordinals - ordinals[0], y, win)
            rx, ry = break_gaps(idx + ordinals[0] + x0, means, max_gap_days)
            ax.plot(
                rx,
                ry,
                color=color,
                linestyle=PARTNER_LINESTYLES[pid],
                linewidth=1.8,
                gid=f"rolling-{pid}",
            )
    for ax, label in ((ax_mood, _("Mood (1–10)")), (ax_trust, _("Trust (1–10)"))):
        _style(ax)
        ax.set_ylim(0.5, 10.5)
        ax.set_yticks([1, 4, 7, 10])  # none in the milestone strip above 10
        ax.set_ylabel(label, fontsize=_SMALL)

    _date_axis(ax_trust, first, last, lang)
    ax_mood.tick_params(labelbottom=False)
    _draw_milestones(fig, ax_mood, ax_trust, milestones, first, last, lang)

    handles = [
        Line2D(
            [],
            [],
            **partner_style(pid),
            markersize=4,
            label=_name(names, pid),
        )
        for pid in present
    ]
    if titled:  # a page whose card already names the chart leaves it out
        fig.suptitle(title, fontsize=_TITLE_SIZE, y=1 - 0.08 / fig.get_size_inches()[1], va="top")
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=len(handles) + 1,
        fontsize=_SMALL,
        frameon=False,
        title=_("dots: each day · lines: %(days)d-day average") % {"days": win},
        title_fontsize=_NOTE,
    )
    return fig


# --- (2) the gap between partners ------------------------------------------------------------


def partner_gap_chart(
    checkins: Sequence[CheckIn],
    names: Mapping[str, str],
    *,
    window: int | None = None,
    max_gap_days: int = MAX_GAP_DAYS,
    figsize: tuple[float, float] = (PAGE_WIDTH, 3.4),
    dpi: float = DEFAULT_DPI,
    titled: bool = True,
    lang: str | None = None,
) -> Figure:
    """Partner a minus partner b, for mood and trust, on days when both checked in.

    Faint dots are the daily gaps, lines their rolling mean over the shared days. Summary:
    `stats.summarize_gap`. Its words are in `lang` (English by default).
    """
    _ = _gettext(lang)
    title = _("How far apart you are")
    gaps = stats.partner_gaps(stats.daily_means(checkins))
    name_a, name_b = _name(names, "a"), _name(names, "b")
    if not gaps:
        return message_figure(
            title,
            _(
                "No days yet when both %(a)s and %(b)s checked in.\n"
                "The gap shows once you both check in on the same day."
            )
            % {"a": name_a, "b": name_b},
            titled=titled,
        )
    first, last = gaps[0].day, gaps[-1].day
    win = window or _rolling_window(first, last)
    fig, ax = _single_axes(figsize, dpi)
    ax.axhline(0, color="#333333", linewidth=0.8, gid="zero")
    days = [g.day for g in gaps]
    x = _xnum(days)
    biggest = 0.0
    legend = {"mood": _("Mood"), "trust": _("Trust")}
    for measure in stats.MEASURES:
        values = [g.gap(measure) for g in gaps]
        biggest = max(biggest, max(abs(v) for v in values))
        _daily_dots(ax, x, values, measure_style(measure), 3, f"daily-{measure}")
        rolled = stats.rolling_values(days, values, win)
        rx, ry = break_gaps(_xnum([r[0] for r in rolled]), [r[1] for r in rolled], max_gap_days)
        ax.plot(
            rx,
            ry,
            **measure_style(measure),
            markevery=max(1, len(rx) // 12),
            markersize=4,
            linewidth=1.8,
            label=legend[measure],
            gid=f"rolling-{measure}",
        )
    limit = max(3.0, math.ceil(biggest) + 0.5)
    ax.set_ylim(-limit, limit)
    ax.set_ylabel(_("%(a)s minus %(b)s") % {"a": name_a, "b": name_b}, fontsize=_SMALL)
    up, down = _("↑ %(name)s higher") % {"name": name_a}, _("↓ %(name)s higher") % {"name": name_b}
    ax.text(0.01, 0.97, up, transform=ax.transAxes, va="top", fontsize=_NOTE)
    ax.text(0.01, 0.03, down, transform=ax.transAxes, va="bottom", fontsize=_NOTE)
    _date_axis(ax, first, last, lang)
    ax.legend(
        loc="upper right",
        fontsize=_SMALL,
        frameon=False,
        ncols=2,
        title=_("lines: %(days)d-day average") % {"days": win},
        title_fontsize=_NOTE,
    )
    return _finish(fig, title, titled)
