"""The facilitator's page: couples' progress, consented group trends, join codes, worksheets.

Everything shown comes from `workbook.workshop`, which never reads entry text or private
entries: the progress table holds counts and dates, the group chart only the daily means of
couples where both partners consented (and nothing below three such couples), and worksheets
offered here are always blank.

Served by Voila, the page is for the facilitator only: it opens when the server was started
with ``WORKBOOK_FACILITATOR_KEY`` set and the address carries ``?key=`` with the same value,
because every couple in the room holds the server's token and must not see the others' codes.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets
import matplotlib.dates as mdates
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import charts
from ..domain import STEPS
from ..paths import default_data_dir
from ..serving import KEY_ENV
from ..workshop import (
    MAX_COUPLES,
    MIN_COUPLES,
    AggregatePoint,
    CoupleCode,
    CoupleProgress,
    aggregate_trends,
    create_couples,
    progress_table,
    worksheet_filename,
    worksheet_html,
)
from .base import (
    Status,
    button,
    card,
    download_link,
    esc,
    guarded,
    html_text,
    layout,
    own_layout,
    paragraph,
    read_query,
    served_by_voila,
    step_title,
    text_input,
)
from .pages import footer, styled

CHART_TITLE = "Group mood and trust (consenting couples)"
#: Drawn this size (inches) so that shown at the page's width for charts (28rem at most,
#: 312 CSS px on a phone) its 9-point labels are 11 px or more; sharp on 2x screens.
CHART_SIZE = (3.4, 3.0)
CHART_DPI = 185


# --- the group chart (a pure function, in the style of workbook.charts) -----------------------


def aggregate_chart(
    points: Sequence[AggregatePoint],
    *,
    figsize: tuple[float, float] = (6, 3.4),
    dpi: float = charts.DEFAULT_DPI,
) -> Figure:
    """Daily group mean mood and trust as two lines (colour, dash and marker differ).

    Lines are broken across gaps of more than a week. No names appear: the points carry none.
    """
    if not points:
        return charts.message_figure(CHART_TITLE, "No days with enough check-ins yet.")
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    days = [p.day for p in points]
    x = np.asarray(mdates.date2num(days), dtype=float)
    handles = []
    for measure in ("mood", "trust"):
        y = np.fromiter((getattr(p, measure) for p in points), np.float64, len(points))
        bx, by = charts.break_gaps(x, y)
        ax.plot(
            bx,
            by,
            color=charts.MEASURE_COLORS[measure],
            linestyle=charts.MEASURE_LINESTYLES[measure],
            marker=charts.MEASURE_MARKERS[measure],
            markersize=3 if len(points) > 60 else 4,
            linewidth=1.6,
            gid=f"group-{measure}",
        )
        handles.append(
            Line2D(
                [],
                [],
                color=charts.MEASURE_COLORS[measure],
                linestyle=charts.MEASURE_LINESTYLES[measure],
                marker=charts.MEASURE_MARKERS[measure],
                markersize=4,
                label=f"average {measure}",
            )
        )
    ax.set_ylim(0.5, 10.5)
    ax.set_ylabel("1 to 10", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(points) == 1:
        ax.set_xlim(x[0] - 3, x[0] + 3)
    ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=False, ncols=2)
    fig.suptitle(CHART_TITLE, fontsize=12)
    return fig


# --- HTML pieces (every value escaped) ---------------------------------------------------------


_TABLE_STYLE = (
    "<style>.ht-table-wrap{overflow-x:auto}"
    ".ht-progress-table{border-collapse:collapse;width:100%}"
    ".ht-progress-table caption{text-align:left;padding-bottom:.4rem}"
    ".ht-progress-table th,.ht-progress-table td{border-bottom:1px solid #d8d2c8;"
    "padding:.35rem .5rem;text-align:left;white-space:nowrap}"
    ".ht-code{font-family:monospace;letter-spacing:.08em}</style>"
)


def progress_html(rows: Sequence[CoupleProgress]) -> str:
    """The progress table: couple, join code, steps done per partner, last activity."""
    if not rows:
        return "<p class='ht-empty'>No couples yet. Create them below.</p>"
    total = max(STEPS)
    body = []
    for r in rows:
        last = r.last_activity.strftime("%d %b %Y") if r.last_activity else "none yet"
        if r.problem:
            last = r.problem
        body.append(
            "<tr>"
            f"<th scope='row'>{esc(r.name)}</th>"
            f"<td class='ht-code'>{esc(r.code or '—')}</td>"
            f"<td>{r.steps_a} of {total}</td>"
            f"<td>{r.steps_b} of {total}</td>"
            f"<td>{esc(last)}</td>"
            "</tr>"
        )
    return (
        f"{_TABLE_STYLE}<div class='ht-table-wrap'><table class='ht-table ht-progress-table'>"
        "<caption>Steps each partner has marked done. Entries themselves are never shown "
        "here.</caption><thead><tr><th scope='col'>Couple</th><th scope='col'>Join code</th>"
        "<th scope='col'>Partner A</th><th scope='col'>Partner B</th>"
        "<th scope='col'>Last shared activity</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def codes_html(made: Sequence[CoupleCode]) -> str:
    """The join codes just created, large enough to read out or copy onto cards."""
    items = "".join(
        f"<li><strong class='ht-code'>{esc(c.code[:3])} {esc(c.code[3:])}</strong> · "
        f"{esc(c.name)}</li>"
        for c in made
    )
    return (
        "<p class='ht-p'>Give each couple their code. They type it on the start page to reach "
        f"their own workbook.</p><ul class='ht-list ht-codes'>{items}</ul>"
    )


def worksheet_link(step: int) -> str:
    """A download link for a step's blank worksheet, as a data: URL (no server round trip)."""
    return (
        download_link(
            worksheet_html(step),
            worksheet_filename(step),
            f"Download the {step_title(step)} worksheet",
            cls="ht-link-button",
        )
        + "<p class='ht-small'>Open the file and print it; it has room to write on paper.</p>"
    )


# --- the dashboard ------------------------------------------------------------------------------


class FacilitatorDashboard(widgets.VBox):
    """Progress table, consented group trend, 'create N couples' with codes, worksheets."""

    def __init__(self, data_dir: Path | str | None = None, *, min_couples: int = MIN_COUPLES):
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.min_couples = min_couples

        self.progress = html_text()
        self.refresh_button = button("Refresh", style="", icon="refresh")
        self.status = Status()
        self.refresh_button.on_click(lambda _: guarded(self.status, self._refresh))

        self.chart = widgets.Image(format="png", layout=own_layout(height="auto"))
        self.chart.add_class("ht-chart")
        self.summary = html_text()

        self.count = widgets.BoundedIntText(
            value=5, min=1, max=MAX_COUPLES, description="How many couples", layout=layout()
        )
        self.count.style.description_width = "initial"
        self.prefix = text_input("Name prefix", "couple")
        self.prefix.value = "couple"
        self.create_button = button("Create couples", icon="plus")
        self.create_status = Status()
        self.codes = html_text()
        self.create_button.on_click(lambda _: guarded(self.create_status, self._create))

        self.step = widgets.Dropdown(
            options=[(step_title(s), s) for s in sorted(STEPS) if s >= 1],
            value=1,
            description="Step",
            layout=layout(),
        )
        self.download = html_text()
        self.step.observe(self._step_changed, names="value")

        super().__init__(
            [
                card(self.progress, self.refresh_button, self.status, title="Progress"),
                card(self.chart, self.summary, title="How the group is doing"),
                card(
                    self.count,
                    self.prefix,
                    self.create_button,
                    self.create_status,
                    self.codes,
                    title="Create couples",
                ),
                card(
                    paragraph("Choose a step for a blank worksheet to print."),
                    self.step,
                    self.download,
                    title="Worksheets",
                ),
                footer(None),
            ],
            layout=layout(),
        )
        self.add_class("ht-page")
        self.add_class("ht-facilitator")
        self.refresh()
        self._step_changed()

    # actions -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the folder: progress table and group trend."""
        guarded(self.status, self._refresh)

    def _refresh(self) -> str:
        self.progress.value = progress_html(progress_table(self.data_dir))
        result = aggregate_trends(self.data_dir, min_couples=self.min_couples)
        if result.points is None:
            self.chart.value = b""
            self.chart.layout.display = "none"
        else:
            figure = aggregate_chart(result.points, figsize=CHART_SIZE)
            self.chart.value = charts.figure_to_png(figure, dpi=CHART_DPI)
            self.chart.layout.display = None
        self.summary.value = f"<p class='ht-summary'>{esc(result.message)}</p>"
        return ""

    def _create(self) -> str:
        made = create_couples(self.data_dir, int(self.count.value), self.prefix.value.strip())
        self.codes.value = codes_html(made)
        self._refresh()
        return f"Created {len(made)} couple workbook{'s' if len(made) != 1 else ''}."

    def _step_changed(self, _change: object = None) -> None:
        self.download.value = worksheet_link(int(self.step.value))


def _key_ok(query: dict[str, str]) -> bool:
    expected = os.environ.get(KEY_ENV, "")
    given = query.get("key", "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def locked_panel() -> widgets.VBox:
    """What a visitor without the facilitator key sees."""
    box = card(
        paragraph(
            "This page is for the workshop's facilitator. Open it with the facilitator's "
            "address (it carries a key). Facilitators: start the server with "
            f"{KEY_ENV} set, then add ?key=… with the same value to this page's address."
        ),
        title="For the facilitator",
    )
    page = widgets.VBox([box, footer(None)], layout=layout())
    page.add_class("ht-page")
    return page


def facilitator_page(data_dir: Path | str | None = None) -> widgets.Widget:
    """The facilitator's page for the workshop folder (the data folder by default).

    Served by Voila it waits for the page request (preheated kernels) and checks the
    facilitator key before reading anything; in JupyterLab it opens directly.
    """
    if served_by_voila() and not _key_ok(read_query()):
        return locked_panel()
    return styled(FacilitatorDashboard(data_dir))
