"""Promise keeping over time (summary: `stats.summarize_promises`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from .. import stats
from ..domain import PARTNER_IDS, Promise
from ..stats.wording import percent
from .style import (
    _SMALL,
    DEFAULT_DPI,
    PAGE_WIDTH,
    PARTNER_COLORS,
    PARTNER_LINESTYLES,
    PARTNER_MARKERS,
    _date_axis,
    _finish,
    _gettext,
    _name,
    _single_axes,
    _xnum,
    message_figure,
)


def promise_keeping_chart(
    promises: Sequence[Promise],
    names: Mapping[str, str],
    *,
    figsize: tuple[float, float] = (PAGE_WIDTH, 3.2),
    dpi: float = DEFAULT_DPI,
    titled: bool = True,
    lang: str | None = None,
) -> Figure:
    """Share of each partner's resolved promises that were kept, cumulative over time.

    Open promises are left out. Its words are in `lang` (English by default). Summary:
    `stats.summarize_promises`.
    """
    _ = _gettext(lang)
    title = _("Promises kept")
    curves = {pid: stats.cumulative_keeping(promises, author=pid) for pid in PARTNER_IDS}
    curves = {pid: c for pid, c in curves.items() if c}
    if not curves:
        return message_figure(
            title,
            _(
                "No promises kept or broken yet.\n"
                "Once a promise is marked kept or broken, the share kept shows here."
            ),
            titled=titled,
        )
    first = min(c[0].day for c in curves.values())
    last = max(c[-1].day for c in curves.values())
    fig, ax = _single_axes(figsize, dpi)
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
            label=_("%(name)s (%(kept)d of %(resolved)d)")
            % {"name": _name(names, pid), "kept": end.kept, "resolved": end.resolved},
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
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: percent(v / 100, lang)))
    ax.set_ylabel(_("Kept, of those resolved"), fontsize=_SMALL)
    _date_axis(ax, first, last, lang)
    ax.legend(loc="lower left", fontsize=_SMALL, frameon=False)
    return _finish(fig, title, titled)
