"""Statistics behind the trends pages: pure functions from domain records to plain records.

Nothing here reads a file or a widget; functions that need "today" take it as a parameter
(defaulting to the local date). Inputs are the frozen dataclasses of `workbook.domain`;
outputs are small frozen dataclasses, numbers and plain sentences. Callers pass only the
entries the viewer may see (a partner's private check-ins are filtered out before they reach
this module).

Conventions:
- A check-in's day is `CheckIn.day`, the local calendar day. When a partner checks in several
  times on one day the day's figure is the mean of those check-ins.
- Means over a period or a rolling window are means of *daily* means, so a day with five
  check-ins weighs as much as a day with one.
- Days without a check-in are missing, never filled in: a window mean uses only the days that
  were measured, and a window with no measured day gives no value.

The modules, one concern each: `daily` (daily means, rolling windows, the partner gap),
`promises`, `csi4` (CSI-4 totals and reliable change), `checkin_days` (weeks of the calendar) and
`summaries` and `promise_csi4_summaries` (the sentences beside the charts, in the reader's
language through `wording`). Everything public is importable from here.
"""

from ..domain import CSI4_LINE_MEANING
from .checkin_days import week_start
from .csi4 import (
    RCI_CRITERION,
    CSI4Point,
    ReliableChange,
    csi4_distressed,
    csi4_series,
    reliable_change,
    reliable_change_threshold,
    s_diff,
)
from .daily import (
    MEASURES,
    DailyPoint,
    GapPoint,
    Measure,
    daily_means,
    partner_gaps,
    partner_series,
    rolling_arrays,
    rolling_values,
)
from .promise_csi4_summaries import csi4_line_meaning, summarize_csi4, summarize_promises
from .promises import KeepingPoint, PromiseCounts, cumulative_keeping, promise_counts
from .summaries import (
    STEADY_THRESHOLD,
    private_only,
    summarize_calendar,
    summarize_gap,
    summarize_mood_trust,
    summarize_trend,
)
from .wording import NUMBER_WORDS

__all__ = [
    "CSI4_LINE_MEANING",
    "MEASURES",
    "NUMBER_WORDS",
    "RCI_CRITERION",
    "STEADY_THRESHOLD",
    "CSI4Point",
    "DailyPoint",
    "GapPoint",
    "KeepingPoint",
    "Measure",
    "PromiseCounts",
    "ReliableChange",
    "csi4_distressed",
    "csi4_line_meaning",
    "csi4_series",
    "cumulative_keeping",
    "daily_means",
    "partner_gaps",
    "partner_series",
    "private_only",
    "promise_counts",
    "reliable_change",
    "reliable_change_threshold",
    "rolling_arrays",
    "rolling_values",
    "s_diff",
    "summarize_calendar",
    "summarize_csi4",
    "summarize_gap",
    "summarize_mood_trust",
    "summarize_promises",
    "summarize_trend",
    "week_start",
]
