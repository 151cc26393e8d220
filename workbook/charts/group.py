"""The workshop's group chart: daily mean mood and trust of consenting couples, no names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..i18n import N_
from .style import (
    _SMALL,
    _TITLE_SIZE,
    DEFAULT_DPI,
    LocalDateFormatter,
    _gettext,
    _new_figure,
    _style,
    break_gaps,
    measure_style,
    message_figure,
)

if TYPE_CHECKING:
    from ..aggregates import AggregatePoint

AGGREGATE_CHART_TITLE = N_("Group mood and trust")


def aggregate_chart(
    points: Sequence[AggregatePoint],
    *,
    figsize: tuple[float, float] = (6, 3.4),
    dpi: float = DEFAULT_DPI,
    lang: str | None = None,
) -> Figure:
    """The workshop's daily group mean mood and trust (`workbook.aggregates`) as two lines
    (colour, dash and marker differ).

    Lines are broken across gaps of more than a week. No names appear: the points carry none.
    Its words are in `lang` (English by default).
    """
    _ = _gettext(lang)
    title = _(AGGREGATE_CHART_TITLE)
    legend = {"mood": _("average mood"), "trust": _("average trust")}
    if not points:
        return message_figure(title, _("No days with enough check-ins yet."))
    fig = _new_figure(figsize, dpi)
    ax = fig.subplots()
    _style(ax)
    days = [p.day for p in points]
    x = np.asarray(mdates.date2num(days), dtype=float)
    handles = []
    for measure in ("mood", "trust"):
        y = np.fromiter((getattr(p, measure) for p in points), np.float64, len(points))
        bx, by = break_gaps(x, y)
        ax.plot(
            bx,
            by,
            **measure_style(measure),
            markersize=3 if len(points) > 60 else 4,
            linewidth=1.6,
            gid=f"group-{measure}",
        )
        handles.append(
            Line2D(
                [],
                [],
                **measure_style(measure),
                markersize=4,
                label=legend[measure],
            )
        )
    ax.set_ylim(0.5, 10.5)
    ax.set_ylabel(_("1 to 10"), fontsize=_SMALL)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(LocalDateFormatter(locator, lang))
    if len(points) == 1:
        ax.set_xlim(x[0] - 3, x[0] + 3)
    # Below the axes, not on them: on a phone-width chart two entries side by side inside
    # the axes ran past the figure's edge.
    fig.legend(handles=handles, loc="outside lower center", fontsize=_SMALL, frameon=False, ncols=2)
    fig.suptitle(title, fontsize=_TITLE_SIZE)
    return fig
