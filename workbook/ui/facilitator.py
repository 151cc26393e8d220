"""The facilitator's page: couples' progress, consented group trends, join codes, worksheets.

Everything shown comes from `workbook.aggregates` and `workbook.worksheets`, which never read
entry text or private entries: the progress table holds counts and dates, the group chart
(`workbook.charts.aggregate_chart`) only the daily means of couples where both partners
consented (and nothing below three such couples), and worksheets
offered here are always blank.

Served by Voila, the page is for the facilitator only: it opens when the server was started
with ``WORKBOOK_FACILITATOR_KEY`` set and the address carries ``?key=`` with the same value,
because every couple in the room holds the server's token and must not see the others' codes.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets

from .. import charts, settings
from ..aggregates import MIN_COUPLES, CoupleProgress, aggregate_trends, progress_table
from ..domain import RECORDED_STEPS, STEPS, ValidationError
from ..markup import Markup, html, join
from ..paths import default_data_dir
from ..worksheets import worksheet_filename, worksheet_html
from ..workshop import (
    MAX_COUPLES,
    CoupleCode,
    couple_codes,
    create_couples,
    format_code,
    replace_code,
)
from .base import (
    Status,
    button,
    card,
    download_link,
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
from .intro import with_intro
from .pages import footer, styled

#: Drawn this size (inches) so that shown at the page's width for charts (28rem at most,
#: 312 CSS px on a phone) its 9-point labels are 11 px or more; sharp on 2x screens.
CHART_SIZE = (3.4, 3.0)
CHART_DPI = 185
# --- HTML pieces (every value escaped) ---------------------------------------------------------


def progress_html(rows: Sequence[CoupleProgress]) -> Markup:
    """The progress table: couple, join code, steps done per partner, last activity.

    Its look is in the stylesheet (healing.css, `.ht-progress-table`)."""
    if not rows:
        return html("<p class='ht-empty'>No couples yet. Create them below.</p>")
    total = len(RECORDED_STEPS)  # step 8 is never recorded
    body = []
    for r in rows:
        last = r.last_activity.strftime("%d %b %Y") if r.last_activity else "none yet"
        if r.problem:
            last = r.problem
        body.append(
            html(
                # Each cell names its column, for the phone's stacked rows (healing.css).
                "<tr><th scope='row'>{}</th><td class='ht-code' data-label='Join code'>{}</td>"
                "<td data-label='Partner A'>{} of {}</td><td data-label='Partner B'>{} of {}</td>"
                "<td data-label='Last shared activity'>{}</td></tr>",
                r.name,
                format_code(r.code) if r.code else "—",
                r.steps_a,
                total,
                r.steps_b,
                total,
                last,
            )
        )
    return html(
        "<div class='ht-table-wrap'><table class='ht-table ht-progress-table'>"
        "<caption>Steps each partner has marked done (of steps 1 to 7: nothing on step 8 is "
        "ever recorded). Entries themselves are never shown here.</caption>"
        "<thead><tr><th scope='col'>Couple</th><th scope='col'>Join code</th>"
        "<th scope='col'>Partner A</th><th scope='col'>Partner B</th>"
        "<th scope='col'>Last shared activity</th></tr></thead>"
        "<tbody>{}</tbody></table></div>",
        join(body),
    )


def codes_html(made: Sequence[CoupleCode]) -> Markup:
    """The join codes just created, large enough to read out or copy onto cards."""
    items = join(
        html("<li><strong class='ht-code'>{}</strong> · {}</li>", format_code(c.code), c.name)
        for c in made
    )
    return html(
        "<p class='ht-p'>Give each couple their code. They type it on the start page to reach "
        "their own workbook.</p><ul class='ht-list ht-codes'>{}</ul>",
        items,
    )


def worksheet_link(step: int) -> Markup:
    """A download link for a step's blank worksheet, as a data: URL (no server round trip)."""
    return download_link(
        worksheet_html(step),
        worksheet_filename(step),
        f"Download the {step_title(step)} worksheet",
        cls="ht-link-button",
    ) + html("<p class='ht-small'>Open the file and print it; it has room to write on paper.</p>")


# --- the dashboard ------------------------------------------------------------------------------


#: The replace-a-code list's first entry: nothing is replaced until a couple is chosen.
CHOOSE_COUPLE = "Choose a couple"


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

        self.replace_which = widgets.Dropdown(description="Couple", layout=layout())
        self.replace_button = button("Give this couple a new code", style="", icon="key")
        self.replace_status = Status()
        self.new_code = html_text()
        self.replace_button.on_click(lambda _: guarded(self.replace_status, self._replace))

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
                    paragraph(
                        "A code lost, overheard or given to the wrong couple: replace it. The "
                        "old code opens nothing from then on."
                    ),
                    self.replace_which,
                    self.replace_button,
                    self.replace_status,
                    self.new_code,
                    title="Replace a join code",
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
        self.progress.value = str(progress_html(progress_table(self.data_dir)))
        names = [c.name for c in couple_codes(self.data_dir)]
        chosen = self.replace_which.value
        self.replace_which.options = [(CHOOSE_COUPLE, ""), *((name, name) for name in names)]
        self.replace_which.value = chosen if chosen in names else ""
        result = aggregate_trends(self.data_dir, min_couples=self.min_couples)
        if result.points is None:
            self.chart.value = b""
            self.chart.layout.display = "none"
        else:
            figure = charts.aggregate_chart(result.points, figsize=CHART_SIZE)
            self.chart.value = charts.figure_to_png(figure, dpi=CHART_DPI)
            self.chart.layout.display = None
        self.summary.value = str(html("<p class='ht-summary'>{}</p>", result.message))
        return ""

    def _create(self) -> str:
        made = create_couples(self.data_dir, int(self.count.value), self.prefix.value.strip())
        self.codes.value = str(codes_html(made))
        self._refresh()
        return f"Created {len(made)} couple workbook{'s' if len(made) != 1 else ''}."

    def _replace(self) -> str:
        if len(self.replace_which.options) <= 1:
            raise ValidationError("Create couples first; then their codes can be replaced here.")
        if not self.replace_which.value:
            raise ValidationError(
                "Choose the couple whose code was lost or overheard; no code was changed."
            )
        made = replace_code(self.data_dir, self.replace_which.value)
        self.new_code.value = str(codes_html([made]))
        self._refresh()
        return f"{made.name} has a new code; the old one no longer opens their workbook."

    def _step_changed(self, _change: object = None) -> None:
        self.download.value = str(worksheet_link(int(self.step.value)))


def _key_ok(query: dict[str, str]) -> bool:
    expected = settings.FACILITATOR_KEY.read()
    given = query.get("key", "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def locked_panel() -> widgets.VBox:
    """What a visitor without the facilitator key sees."""
    box = card(
        paragraph(
            "This page is for the workshop's facilitator. Open it with the facilitator's "
            "address (it carries a key). Facilitators: start the server with "
            f"{settings.FACILITATOR_KEY.name} set, then add ?key=… with the same value to this "
            "page's address."
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
    return styled(with_intro("facilitator", FacilitatorDashboard(data_dir)))
