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
it already. With `lang` (``"es"``) its words come from the catalogue (`workbook.i18n`) and the
axes name months and days as that language does (`style.LocalDateFormatter`, Babel); English
by default.

The modules, one concern each: `style` (palette, sizes, `figure_to_png`, `message_figure` and
the helpers every chart shares), `moods` (mood and trust, the partner gap), `promises`,
`satisfaction` (CSI-4), `calendar` (the mood calendar) and `group` (the workshop's chart).
"""

from .calendar import calendar_grid, mood_calendar_chart
from .group import AGGREGATE_CHART_TITLE, aggregate_chart
from .moods import mood_trust_chart, partner_gap_chart
from .promises import promise_keeping_chart
from .satisfaction import csi4_chart
from .style import (
    BAND_COLOR,
    CALENDAR_CMAP,
    CALENDAR_MISSING,
    DEFAULT_DPI,
    MAX_GAP_DAYS,
    MAX_LABEL_CHARS,
    MEASURE_COLORS,
    MEASURE_LINESTYLES,
    MEASURE_MARKERS,
    MILESTONE_COLOR,
    PAGE_WIDTH,
    PARTNER_COLORS,
    PARTNER_LINESTYLES,
    PARTNER_MARKERS,
    break_gaps,
    escape_mathtext,
    figure_to_png,
    message_figure,
)

__all__ = [
    "AGGREGATE_CHART_TITLE",
    "BAND_COLOR",
    "CALENDAR_CMAP",
    "CALENDAR_MISSING",
    "DEFAULT_DPI",
    "MAX_GAP_DAYS",
    "MAX_LABEL_CHARS",
    "MEASURE_COLORS",
    "MEASURE_LINESTYLES",
    "MEASURE_MARKERS",
    "MILESTONE_COLOR",
    "PAGE_WIDTH",
    "PARTNER_COLORS",
    "PARTNER_LINESTYLES",
    "PARTNER_MARKERS",
    "aggregate_chart",
    "break_gaps",
    "calendar_grid",
    "csi4_chart",
    "escape_mathtext",
    "figure_to_png",
    "message_figure",
    "mood_calendar_chart",
    "mood_trust_chart",
    "partner_gap_chart",
    "promise_keeping_chart",
]
