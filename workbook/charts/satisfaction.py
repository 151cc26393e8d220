"""Relationship satisfaction: CSI-4 totals and the distress band (`stats.summarize_csi4`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator

from .. import stats
from ..domain import CSI4_DISTRESS_CUTOFF, PARTNER_IDS, CSI4Answer
from ..stats.wording import decimal
from .style import (
    _NOTE,
    _SMALL,
    BAND_COLOR,
    DEFAULT_DPI,
    PAGE_WIDTH,
    _date_axis,
    _day_range,
    _finish,
    _gettext,
    _name,
    _single_axes,
    _xnum,
    break_gaps,
    message_figure,
    partner_style,
)


def csi4_chart(
    answers: Sequence[CSI4Answer],
    names: Mapping[str, str],
    *,
    max_gap_days: int = 35,
    figsize: tuple[float, float] = (PAGE_WIDTH, 3.4),
    dpi: float = DEFAULT_DPI,
    titled: bool = True,
    lang: str | None = None,
) -> Figure:
    """CSI-4 totals (0-21) per partner and the band below 13.5 (Funk & Rogge 2007).

    Change is read in points (no reliable-change marks: see `workbook.stats`). Summary:
    `stats.summarize_csi4`. Its words are in `lang` (English by default).
    """
    _ = _gettext(lang)
    title = _("Relationship satisfaction (CSI-4)")
    series = stats.csi4_series(answers)
    if not series:
        return message_figure(
            title,
            _("No CSI-4 answers yet.\nAnswer the four questions weekly to see them here."),
            titled=titled,
        )
    first, last = _day_range(p.day for p in series)
    fig, ax = _single_axes(figsize, dpi)
    ax.axhspan(
        0, CSI4_DISTRESS_CUTOFF, color=BAND_COLOR, alpha=0.12, linewidth=0, gid="distress-band"
    )
    ax.axhline(CSI4_DISTRESS_CUTOFF, color=BAND_COLOR, linewidth=0.8, linestyle="-.")
    ax.text(
        0.99,
        0.4,
        _("below %(line)s: notable dissatisfaction")
        % {"line": decimal(CSI4_DISTRESS_CUTOFF, lang)},
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
            **partner_style(pid),
            markersize=4,
            linewidth=1.6,
            label=_name(names, pid),
            gid=f"csi4-{pid}",
        )
    ax.set_ylim(0, 21)
    ax.yaxis.set_major_locator(MultipleLocator(3))
    ax.set_ylabel(_("CSI-4 total (0–21)"), fontsize=_SMALL)
    _date_axis(ax, first, last, lang)
    fig.legend(
        loc="outside lower center", fontsize=_SMALL, frameon=False, ncols=4, handletextpad=0.4
    )
    return _finish(fig, title, titled)
