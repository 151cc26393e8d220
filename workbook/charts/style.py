"""The look shared by every chart: palette, sizes, text escaping and figure helpers.

Every figure is built with `Figure(...)` and an Agg canvas, never through pyplot.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Literal

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.typing import LineStyleType
from numpy.typing import ArrayLike

from ..domain import PartnerId
from ..i18n import SOURCE, known, translator

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


def _gettext(lang: str | None) -> Callable[[str], str]:
    """The chart's words in the reader's language (`workbook.i18n`; English for None)."""
    return translator(lang).gettext


def month_abbr(month: int, lang: str | None = None) -> str:
    """A month's short name on an axis: ``Sep`` in English, ``sept`` in Spanish (Babel)."""
    day = date(2000, month, 1)
    if (known(lang) or SOURCE) == SOURCE:
        return day.strftime("%b")
    from babel.dates import format_date

    return format_date(day, "LLL", locale=known(lang))


def day_abbr(weekday: int, lang: str | None = None) -> str:
    """A weekday's short name (0 is Monday): ``Mon`` / ``lun`` (Babel)."""
    day = date(2024, 1, 1) + timedelta(days=weekday)  # 1 January 2024 was a Monday
    if (known(lang) or SOURCE) == SOURCE:
        return day.strftime("%a")
    from babel.dates import format_date

    return format_date(day, "ccc", locale=known(lang))


_ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


class LocalDateFormatter(mdates.ConciseDateFormatter):
    """Matplotlib's concise date labels with the month names of `lang` (it writes them with
    ``strftime``, in English)."""

    def __init__(self, locator: mdates.DateLocator, lang: str | None = None) -> None:
        super().__init__(locator)
        self._lang = known(lang) or SOURCE
        self._months = {date(2000, m, 1).strftime("%b"): month_abbr(m, lang) for m in range(1, 13)}

    def _local(self, text: str) -> str:
        if self._lang == SOURCE:
            return text
        return _ENGLISH_MONTH.sub(lambda m: self._months.get(m.group(0), m.group(0)), text)

    def format_ticks(self, values: Any) -> list[str]:
        """The tick labels, their month names in the reader's language."""
        return [self._local(label) for label in super().format_ticks(values)]

    def get_offset(self) -> str:
        """The date beside the axis ("2026-Dec"), its month named in the reader's language."""
        return self._local(super().get_offset())


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


def _day_range(days: Iterable[date]) -> tuple[date, date]:
    """The first and the last of `days`."""
    ordered = sorted(days)
    return ordered[0], ordered[-1]


def _date_axis(ax: Axes, first: date, last: date, lang: str | None = None) -> None:
    """A concise date axis spanning `first` to `last` with a little room either side, its
    months named in `lang`."""
    pad = 3 if (last - first).days < 14 else max(1, (last - first).days // 60)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(LocalDateFormatter(locator, lang))
    ax.set_xlim(_xnum([first - timedelta(days=pad)])[0], _xnum([last + timedelta(days=pad)])[0])


def _style(ax: Axes) -> None:
    """Quiet spines, readable ticks and a light horizontal grid."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=_SMALL)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def partner_style(partner: str) -> dict[str, Any]:
    """The colour, line style and marker of `partner`'s lines (told apart by all three)."""
    return {
        "color": PARTNER_COLORS[partner],
        "linestyle": PARTNER_LINESTYLES[partner],
        "marker": PARTNER_MARKERS[partner],
    }


def measure_style(measure: str) -> dict[str, Any]:
    """The colour, line style and marker of a measure's lines ("mood" or "trust")."""
    return {
        "color": MEASURE_COLORS[measure],
        "linestyle": MEASURE_LINESTYLES[measure],
        "marker": MEASURE_MARKERS[measure],
    }


def _single_axes(figsize: tuple[float, float], dpi: float) -> tuple[Figure, Axes]:
    """A figure (constrained layout) with one axes in the charts' quiet style."""
    fig = _new_figure(figsize, dpi)
    ax = fig.add_subplot()
    _style(ax)
    return fig, ax


def _finish(fig: Figure, title: str, titled: bool) -> Figure:
    """`fig` with `title` above it, unless the page's card names the chart already."""
    if titled:  # a page whose card already names the chart leaves it out
        fig.suptitle(title, fontsize=_TITLE_SIZE)
    return fig
