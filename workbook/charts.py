"""Charts for the trends pages: pure functions from plain data to a `matplotlib.figure.Figure`.

Every figure is built with `Figure(...)` and an Agg canvas, never through pyplot, so nothing
here touches global figure state and a Voila kernel never leaks figures between views. The
page shows a figure with `figure_to_png` (or displays it in an `Output`) and puts the matching
plain-text summary from `workbook.stats` beside it:

==========================  ================================
chart                       summary
==========================  ================================
`mood_trust_chart`          `stats.summarize_mood_trust`
`partner_gap_chart`         `stats.summarize_gap`
`promise_keeping_chart`     `stats.summarize_promises`
`csi4_chart`                `stats.summarize_csi4`
`mood_calendar_chart`       `stats.summarize_calendar`
==========================  ================================

Design choices: the Okabe-Ito colour-blind-safe palette, partners told apart by line style and
marker as well as colour, figures `PAGE_WIDTH` (3.6) inches wide with no text under 9.5 points,
so that every label is at least 11 CSS px where the pages show them (28rem at most, about 312
px on a 375-pixel phone; see tests/test_chart_readability.py), concise date axes, and lines
broken (not drawn) across gaps of more than a week. Every piece of user text (names, milestone
labels) goes through `escape_mathtext` so a `$` never starts mathtext. Callers pass only entries
the viewer may see. With `titled=False` a chart leaves out its title, for a page that names
it already.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

import matplotlib.dates as mdates
import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MultipleLocator
from matplotlib.typing import LineStyleType
from numpy.typing import ArrayLike

from . import stats
from .domain import CSI4_DISTRESS_CUTOFF, PARTNER_IDS, CheckIn, CSI4Answer, PartnerId, Promise

if TYPE_CHECKING:
    from .aggregates import AggregatePoint

# Okabe & Ito (2008) colour-blind-safe palette.
PARTNER_COLORS: dict[str, str] = {"a": "#0072B2", "b": "#E69F00"}
PARTNER_LINESTYLES: dict[str, LineStyleType] = {"a": "-", "b": "--"}
PARTNER_MARKERS: dict[str, str] = {"a": "o", "b": "s"}
MEASURE_COLORS: dict[str, str] = {"mood": "#009E73", "trust": "#CC79A7"}
MEASURE_LINESTYLES: dict[str, LineStyleType] = {"mood": "-", "trust": "--"}
MEASURE_MARKERS: dict[str, str] = {"mood": "o", "trust": "D"}
MILESTONE_COLOR = "#555555"
BAND_COLOR = "#D55E00"
CALENDAR_CMAP = "viridis"
CALENDAR_MISSING = "#E4E4E4"

DEFAULT_DPI = 100
#: A line is broken (NaN inserted) where consecutive points are more than this many days apart.
MAX_GAP_DAYS = 7
#: Names longer than this are shortened in legends and titles so they fit at phone width.
MAX_LABEL_CHARS = 18

#: Width in inches of the figures the pages show. A page shows a chart at most 28rem (448 CSS
#: px) wide and, on a 375-pixel phone, about 312 px: a point of text is then 312 / (72 * 3.6),
#: about 1.2 CSS px, so the smallest text (9.5 pt) is 11.4 px on a phone and 16 px on a laptop.
PAGE_WIDTH = 3.6

_TITLE_SIZE = 12
_SMALL = 10
#: The smallest text in any chart (notes, legend titles, calendar labels).
_NOTE = 9.5


# --- helpers ----------------------------------------------------------------------------------


def escape_mathtext(text: str) -> str:
    r"""Escape `$` so matplotlib shows `text` literally instead of parsing mathtext.

    Matplotlib only enters math mode between unescaped dollar signs; once every `$` is written
    as `\$` the text stays plain and backslashes are drawn as typed (so they must *not* be
    doubled, or they would show twice). "$\alpha$" therefore renders as "$\alpha$".
    """
    return str(text).replace("$", r"\$")


def _label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """User text shortened to `limit` characters, then escaped for mathtext."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escape_mathtext(text)


def _name(names: Mapping[str, str], partner: PartnerId) -> str:
    return _label(names.get(partner) or f"Partner {partner.upper()}")


def _new_figure(
    figsize: tuple[float, float],
    dpi: float,
    layout: Literal["constrained", "compressed", "tight"] | None = "constrained",
) -> Figure:
    fig = Figure(figsize=figsize, dpi=dpi, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def figure_to_png(fig: Figure, *, dpi: float | None = None) -> bytes:
    """Render `fig` to PNG bytes with the Agg canvas (no pyplot)."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


def message_figure(
    title: str,
    message: str,
    *,
    figsize: tuple[float, float] = (PAGE_WIDTH, 2.2),
    dpi: float = DEFAULT_DPI,
    titled: bool = True,
) -> Figure:
    """A figure with only a title and a friendly message, for when there is nothing to plot."""
    fig = _new_figure(figsize, dpi)
    if titled:  # a page whose card already names the chart leaves it out
        fig.suptitle(escape_mathtext(title), fontsize=_TITLE_SIZE)
    fig.text(
        0.5,
        0.45,
        escape_mathtext(message),
        ha="center",
        va="center",
        wrap=True,
        fontsize=_SMALL,
        color="#333333",
        gid="empty-message",
    )
    return fig


def _epoch_offset() -> float:
    """What to add to `date.toordinal()` to get matplotlib's date number for that day."""
    return float(mdates.date2num(date(1970, 1, 1))) - date(1970, 1, 1).toordinal()


def _xnum(days: Sequence[date]) -> np.ndarray:
    """Matplotlib date numbers for `days` (honours the configured date epoch)."""
    ordinals = np.fromiter((d.toordinal() for d in days), dtype=np.float64, count=len(days))
    return ordinals + _epoch_offset()


def break_gaps(
    x: ArrayLike, y: ArrayLike, max_gap: float = MAX_GAP_DAYS
) -> tuple[np.ndarray, np.ndarray]:
    """Insert a NaN between consecutive points more than `max_gap` apart so no line bridges it."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size < 2:
        return x, y
    where = np.flatnonzero(np.diff(x) > max_gap) + 1
    if where.size == 0:
        return x, y
    return np.insert(x, where, np.nan), np.insert(y, where, np.nan)


def _date_axis(ax: Axes, first: date, last: date) -> None:
    """A concise date axis spanning `first` to `last` with a little room either side."""
    pad = 3 if (last - first).days < 14 else max(1, (last - first).days // 60)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlim(_xnum([first - timedelta(days=pad)])[0], _xnum([last + timedelta(days=pad)])[0])


def _style(ax: Axes) -> None:
    """Quiet spines, readable ticks and a light horizontal grid."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=_SMALL)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _dot_alpha(n: int) -> float:
    """Daily dots are faint behind a line, but stay visible while there are only a few."""
    if n < 7:
        return 0.8
    return 0.3 if n <= 365 else 0.15


def _merge_milestones(
    milestones: Sequence[tuple[date, str]], first: date, last: date
) -> list[tuple[date, str]]:
    """Milestones within `first`..`last`, one per day: "Step 5" and "Step 8" marked on the
    same day become "Steps 5, 8" (other labels on one day are joined with " · ")."""
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
            merged.append((d, "Steps " + ", ".join(steps)))
        else:
            merged.append((d, " · ".join(texts)))
    return merged


def _rolling_window(first: date, last: date) -> int:
    """A week for up to four months of data, four weeks beyond."""
    return 7 if (last - first).days <= 120 else 28


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
) -> Figure:
    """Mood (top) and trust (bottom) per partner: faint daily dots, rolling means, milestones.

    `window` is the rolling window in days (7 when the data spans up to 120 days, else 28).
    Milestones are (day, label) pairs drawn as labelled vertical lines when they fall within
    the data's date range. Summary: `stats.summarize_mood_trust`.
    """
    title = "Mood and trust over time"
    points = stats.daily_means(checkins)
    if not points:
        return message_figure(
            title,
            "No check-ins yet.\nOnce you check in, your mood and trust show here.",
            titled=titled,
        )
    first = min(p.day for p in points)
    last = max(p.day for p in points)
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
            ax.plot(
                x,
                y,
                linestyle="none",
                marker=PARTNER_MARKERS[pid],
                markersize=2.5 if len(series) > 200 else 4,
                markeredgewidth=0,
                alpha=_dot_alpha(len(series)),
                color=color,
                gid=f"daily-{pid}",
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
    for ax, measure in ((ax_mood, "mood"), (ax_trust, "trust")):
        _style(ax)
        ax.set_ylim(0.5, 10.5)
        ax.set_yticks([1, 4, 7, 10])  # none in the milestone strip above 10
        ax.set_ylabel(f"{measure.capitalize()} (1–10)", fontsize=_SMALL)

    _date_axis(ax_trust, first, last)
    ax_mood.tick_params(labelbottom=False)
    shown = _merge_milestones(milestones, first, last)
    span = max(1, (last - first).days)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined] # Agg canvas
    rows: list[list[tuple[float, float]]] = []  # the labels' spans in pixels, per row
    placed = []
    for d, text in shown:
        x0 = _xnum([d])[0]
        for ax in (ax_mood, ax_trust):
            ax.axvline(x0, color=MILESTONE_COLOR, linestyle=":", linewidth=1, gid="milestone")
        label = ax_mood.text(
            x0,
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
        preferred = ("right", "left") if (d - first).days > 0.6 * span else ("left", "right")
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

    handles = [
        Line2D(
            [],
            [],
            color=PARTNER_COLORS[pid],
            linestyle=PARTNER_LINESTYLES[pid],
            marker=PARTNER_MARKERS[pid],
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
        title=f"dots: each day · lines: {win}-day average",
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
) -> Figure:
    """Partner a minus partner b, for mood and trust, on days when both checked in.

    Faint dots are the daily gaps, lines their rolling mean over the shared days. Summary:
    `stats.summarize_gap`.
    """
    title = "How far apart you are"
    gaps = stats.partner_gaps(stats.daily_means(checkins))
    name_a, name_b = _name(names, "a"), _name(names, "b")
    if not gaps:
        return message_figure(
            title,
            f"No days yet when both {name_a} and {name_b} checked in.\n"
            "The gap shows once you both check in on the same day.",
            titled=titled,
        )
    first, last = gaps[0].day, gaps[-1].day
    win = window or _rolling_window(first, last)
    fig = _new_figure(figsize, dpi)
    ax = fig.add_subplot()
    _style(ax)
    ax.axhline(0, color="#333333", linewidth=0.8, gid="zero")
    days = [g.day for g in gaps]
    x = _xnum(days)
    biggest = 0.0
    for measure in stats.MEASURES:
        values = [g.gap(measure) for g in gaps]
        biggest = max(biggest, max(abs(v) for v in values))
        color = MEASURE_COLORS[measure]
        ax.plot(
            x,
            values,
            linestyle="none",
            marker=MEASURE_MARKERS[measure],
            markersize=3,
            markeredgewidth=0,
            alpha=_dot_alpha(len(values)),
            color=color,
            gid=f"daily-{measure}",
        )
        rolled = stats.rolling_values(days, values, win)
        rx, ry = break_gaps(_xnum([r[0] for r in rolled]), [r[1] for r in rolled], max_gap_days)
        ax.plot(
            rx,
            ry,
            color=color,
            linestyle=MEASURE_LINESTYLES[measure],
            marker=MEASURE_MARKERS[measure],
            markevery=max(1, len(rx) // 12),
            markersize=4,
            linewidth=1.8,
            label=measure.capitalize(),
            gid=f"rolling-{measure}",
        )
    limit = max(3.0, math.ceil(biggest) + 0.5)
    ax.set_ylim(-limit, limit)
    ax.set_ylabel(f"{name_a} minus {name_b}", fontsize=_SMALL)
    ax.text(0.01, 0.97, f"↑ {name_a} higher", transform=ax.transAxes, va="top", fontsize=_NOTE)
    ax.text(0.01, 0.03, f"↓ {name_b} higher", transform=ax.transAxes, va="bottom", fontsize=_NOTE)
    _date_axis(ax, first, last)
    ax.legend(
        loc="upper right",
        fontsize=_SMALL,
        frameon=False,
        ncols=2,
        title=f"lines: {win}-day average",
        title_fontsize=_NOTE,
    )
    if titled:  # a page whose card already names the chart leaves it out
        fig.suptitle(title, fontsize=_TITLE_SIZE)
    return fig


# --- (3) promise keeping ----------------------------------------------------------------------


def promise_keeping_chart(
    promises: Sequence[Promise],
    names: Mapping[str, str],
    *,
    figsize: tuple[float, float] = (PAGE_WIDTH, 3.2),
    dpi: float = DEFAULT_DPI,
    titled: bool = True,
) -> Figure:
    """Share of each partner's resolved promises that were kept, cumulative over time.

    Open promises are left out. Summary: `stats.summarize_promises`.
    """
    title = "Promises kept"
    curves = {pid: stats.cumulative_keeping(promises, author=pid) for pid in PARTNER_IDS}
    curves = {pid: c for pid, c in curves.items() if c}
    if not curves:
        return message_figure(
            title,
            "No promises kept or broken yet.\n"
            "Once a promise is marked kept or broken, the share kept shows here.",
            titled=titled,
        )
    first = min(c[0].day for c in curves.values())
    last = max(c[-1].day for c in curves.values())
    fig = _new_figure(figsize, dpi)
    ax = fig.add_subplot()
    _style(ax)
    for pid, curve in curves.items():
        days = [k.day for k in curve]
        rates = [100 * (k.rate or 0.0) for k in curve]
        if days[-1] < last:  # carry the last known share to the end of the chart
            days.append(last)
            rates.append(rates[-1])
        end = curve[-1]
        ax.plot(
            _xnum(days),
            rates,
            drawstyle="steps-post",
            color=PARTNER_COLORS[pid],
            linestyle=PARTNER_LINESTYLES[pid],
            linewidth=1.8,
            label=f"{_name(names, pid)} ({end.kept} of {end.resolved})",
            gid=f"keeping-{pid}",
        )
        ax.plot(
            _xnum([k.day for k in curve]),
            [100 * (k.rate or 0.0) for k in curve],
            linestyle="none",
            marker=PARTNER_MARKERS[pid],
            markersize=4,
            color=PARTNER_COLORS[pid],
            gid=f"resolved-{pid}",
        )
    ax.set_ylim(-5, 105)
    ax.yaxis.set_major_locator(MultipleLocator(25))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
    ax.set_ylabel("Kept, of those resolved", fontsize=_SMALL)
    _date_axis(ax, first, last)
    ax.legend(loc="lower left", fontsize=_SMALL, frameon=False)
    if titled:  # a page whose card already names the chart leaves it out
        fig.suptitle(title, fontsize=_TITLE_SIZE)
    return fig


# --- (4) CSI-4 --------------------------------------------------------------------------------


def csi4_chart(
    answers: Sequence[CSI4Answer],
    names: Mapping[str, str],
    *,
    max_gap_days: int = 35,
    figsize: tuple[float, float] = (PAGE_WIDTH, 3.4),
    dpi: float = DEFAULT_DPI,
    titled: bool = True,
) -> Figure:
    """CSI-4 totals (0-21) per partner and the band below 13.5 (Funk & Rogge 2007).

    Change is read in points (no reliable-change marks: see `workbook.stats`). Summary:
    `stats.summarize_csi4`.
    """
    title = "Relationship satisfaction (CSI-4)"
    series = stats.csi4_series(answers)
    if not series:
        return message_figure(
            title,
            "No CSI-4 answers yet.\nAnswer the four questions weekly to see them here.",
            titled=titled,
        )
    first = min(p.day for p in series)
    last = max(p.day for p in series)
    fig = _new_figure(figsize, dpi)
    ax = fig.add_subplot()
    _style(ax)
    ax.axhspan(
        0, CSI4_DISTRESS_CUTOFF, color=BAND_COLOR, alpha=0.12, linewidth=0, gid="distress-band"
    )
    ax.axhline(CSI4_DISTRESS_CUTOFF, color=BAND_COLOR, linewidth=0.8, linestyle="-.")
    ax.text(
        0.99,
        0.4,
        f"below {CSI4_DISTRESS_CUTOFF}: notable dissatisfaction",
        transform=ax.get_yaxis_transform(),
        ha="right",
        va="bottom",
        fontsize=_NOTE,
        color="#8A3B00",
    )
    for pid in PARTNER_IDS:
        mine = [p for p in series if p.partner == pid]
        if not mine:
            continue
        x, y = break_gaps(_xnum([p.day for p in mine]), [p.total for p in mine], max_gap_days)
        ax.plot(
            x,
            y,
            color=PARTNER_COLORS[pid],
            linestyle=PARTNER_LINESTYLES[pid],
            marker=PARTNER_MARKERS[pid],
            markersize=4,
            linewidth=1.6,
            label=_name(names, pid),
            gid=f"csi4-{pid}",
        )
    ax.set_ylim(0, 21)
    ax.yaxis.set_major_locator(MultipleLocator(3))
    ax.set_ylabel("CSI-4 total (0–21)", fontsize=_SMALL)
    _date_axis(ax, first, last)
    fig.legend(
        loc="outside lower center", fontsize=_SMALL, frameon=False, ncols=4, handletextpad=0.4
    )
    if titled:  # a page whose card already names the chart leaves it out
        fig.suptitle(title, fontsize=_TITLE_SIZE)
    return fig


# --- (5) the mood calendar --------------------------------------------------------------------


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
) -> Figure:
    """A "year in pixels": one square per day, coloured by daily mean mood, one row per partner.

    `year` defaults to the year of the latest check-in. Grey squares are days without a
    check-in. Summary: `stats.summarize_calendar`.
    """
    points = stats.daily_means(checkins)
    if not points:
        return message_figure(
            "Mood by day", "No check-ins yet.\nEach day you check in fills one square."
        )
    year = year or max(p.day for p in points).year
    title = f"Mood by day, {year}"
    present = [
        pid for pid in PARTNER_IDS if any(p.partner == pid and p.day.year == year for p in points)
    ]
    if not present:
        return message_figure(title, f"No check-ins in {year}.")
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
        ax.set_yticks([0, 3, 6], ["Mon", "Thu", "Sun"])
        ax.set_xticks(month_cols, [date(year, m, 1).strftime("%b") for m in months])
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
    bar.set_label("Mood", fontsize=_NOTE)
    bar.set_ticks([1, 4, 7, 10])
    bar.ax.tick_params(labelsize=_NOTE)
    fig.suptitle(title, fontsize=_TITLE_SIZE)
    return fig


# --- the workshop's group chart ---------------------------------------------------------------

AGGREGATE_CHART_TITLE = "Group mood and trust (consenting couples)"


def aggregate_chart(
    points: Sequence[AggregatePoint],
    *,
    figsize: tuple[float, float] = (6, 3.4),
    dpi: float = DEFAULT_DPI,
) -> Figure:
    """The workshop's daily group mean mood and trust (`workbook.aggregates`) as two lines
    (colour, dash and marker differ).

    Lines are broken across gaps of more than a week. No names appear: the points carry none.
    """
    if not points:
        return message_figure(AGGREGATE_CHART_TITLE, "No days with enough check-ins yet.")
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    days = [p.day for p in points]
    x = np.asarray(mdates.date2num(days), dtype=float)
    handles = []
    for measure in ("mood", "trust"):
        y = np.fromiter((getattr(p, measure) for p in points), np.float64, len(points))
        bx, by = break_gaps(x, y)
        ax.plot(
            bx,
            by,
            color=MEASURE_COLORS[measure],
            linestyle=MEASURE_LINESTYLES[measure],
            marker=MEASURE_MARKERS[measure],
            markersize=3 if len(points) > 60 else 4,
            linewidth=1.6,
            gid=f"group-{measure}",
        )
        handles.append(
            Line2D(
                [],
                [],
                color=MEASURE_COLORS[measure],
                linestyle=MEASURE_LINESTYLES[measure],
                marker=MEASURE_MARKERS[measure],
                markersize=4,
                label=f"average {measure}",
            )
        )
    ax.set_ylim(0.5, 10.5)
    ax.set_ylabel("1 to 10", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=_SMALL)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(points) == 1:
        ax.set_xlim(x[0] - 3, x[0] + 3)
    ax.legend(handles=handles, loc="lower left", fontsize=_SMALL, frameon=False, ncols=2)
    fig.suptitle(AGGREGATE_CHART_TITLE, fontsize=_TITLE_SIZE)
    return fig
