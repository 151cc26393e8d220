"""Parts of the trends page (`workbook.ui.trends`): the chosen period in weeks, one chart with
its summary, and what the measures are and where they come from."""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from datetime import date

import ipywidgets as widgets

from ..domain import CheckIn
from ..i18n import N_
from ..markup import html, join
from .base import card, html_text, layout, say


def period_weeks(first: date | None, last: date, checkins: Sequence[CheckIn]) -> int:
    """The chosen period in whole weeks (at least one), for the summaries' words.

    "Everything" (no first day) runs from the first check-in shown.
    """
    if first is None:
        first = min((c.day for c in checkins), default=last)
    return max(1, math.ceil(((last - first).days + 1) / 7))


#: The trends page's cards, one per chart (the charts leave their own titles out).
CHART_TITLES = {
    "mood_trust": N_("Mood and trust"),
    "gap": N_("The gap between you"),
    "promises": N_("Promises kept"),
    "csi4": N_("Relationship satisfaction (CSI-4)"),
    "calendar": N_("A year in pixels"),
}


class ChartPanel(widgets.VBox):
    """One chart as an image, with its summary beside it and as the image's alternative text;
    its own words in the language of `gettext` (the title comes translated)."""

    def __init__(self, title: str, gettext: Callable[[str], str] = str) -> None:
        self.gettext = gettext
        self.png = b""
        self.image = html_text()
        self.summary = html_text()
        self.title = title
        super().__init__([card(self.image, self.summary, title=title)], layout=layout())

    def show_summary(self, summary: str) -> None:
        """The sentence beside the chart (escaped)."""
        say(self.summary, summary, "ht-summary")

    def show_pending(self) -> None:
        """A calm placeholder while the chart is being drawn."""
        self.png = b""
        self.image.value = str(
            html(
                "<p class='ht-chart-pending' role='status'>{}</p>",
                self.gettext("Drawing the chart\u2026"),
            )
        )

    def show_png(self, png: bytes, summary: str) -> None:
        """Show a rendered chart; the summary is its alternative text."""
        self.png = png
        data = base64.b64encode(png).decode("ascii")
        self.image.value = str(
            html(
                "<img class='ht-chart' src='data:image/png;base64,{}' alt='{}: {}'>",
                data,
                self.title,
                summary,
            )
        )

    def show_failed(self) -> None:
        """The chart could not be drawn; the summary beside it still says what it shows."""
        self.png = b""
        self.image.value = str(
            html(
                "<p class='ht-chart-failed' role='status'>{}</p>",
                self.gettext(
                    "This chart could not be drawn. "
                    "The sentence below says what it shows; reloading the page may help."
                ),
            )
        )


#: The sources behind the measures, at the foot of the page rather than at its top.
ABOUT_MEASURES = (
    (
        N_("Mood and trust"),
        N_(
            "Your own ratings from 1 to 10. Several check-ins on one day count as their mean; "
            "the line shows a 7-day rolling mean."
        ),
    ),
    (
        N_("Relationship satisfaction"),
        N_(
            "The Couples Satisfaction Index, CSI-4: Funk, J. L., & Rogge, R. D. (2007). Testing "
            "the ruler with item response theory. Journal of Family Psychology, 21(4), 572–583. "
            "Totals run from 0 to 21; below 13.5 suggests notable dissatisfaction. Change is "
            "shown in points. Whether a change is more than measurement noise depends on "
            "figures (the spread and reliability of totals in a reference group) that this "
            "workbook does not assume; a counsellor can judge it with their own."
        ),
    ),
    (
        N_("Promises kept"),
        N_("The share of promises marked kept among those marked kept or broken."),
    ),
)


def about_measures(gettext: Callable[[str], str] = str) -> widgets.Widget:
    """A short 'About these measures' section: what each chart counts, and its source, in the
    language of `gettext`."""
    _ = gettext
    items = join(
        html("<li><strong>{}.</strong> {}</li>", _(name), _(text)) for name, text in ABOUT_MEASURES
    )
    return card(
        html_text(html("<ul class='ht-list'>{}</ul>", items), wide=True),
        title=_("About these measures"),
    )
