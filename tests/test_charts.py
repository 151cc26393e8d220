"""Charts tested on the data behind them (lines, labels, legends, bands), plus PNG smoke tests."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from series import NAMES, checkin, day, promise

from workbook import charts
from workbook.domain import CSI4Answer

TRICKY = "$\\alpha$ \\o/"  # a name that would be mathtext if not escaped


def x(n: int) -> float:
    """Matplotlib's date number for day(n)."""
    return float(mdates.date2num(day(n)))


def by_gid(fig: Figure, gid: str, ax_index: int = 0) -> list[Line2D]:
    """Lines of one axes with the given gid."""
    return [line for line in fig.axes[ax_index].lines if line.get_gid() == gid]


def one(fig: Figure, gid: str, ax_index: int = 0) -> Line2D:
    """The single line with `gid` on an axes."""
    (line,) = by_gid(fig, gid, ax_index)
    return line


def shown(text: Text) -> str:
    """The string matplotlib actually draws for a Text (after its mathtext handling)."""
    drawn, is_math = text._preprocess_math(text.get_text())
    assert not is_math, f"{text.get_text()!r} would be parsed as mathtext"
    return drawn


def message(fig: Figure) -> str:
    """The friendly message of an empty-data figure."""
    (text,) = [t for t in fig.texts if t.get_gid() == "empty-message"]
    return text.get_text()


# Sam: mood 5, 7, 9 on days 0, 1, 3, then 3 on day 12 (a gap of 9 days). Alex: days 1 and 3.
GAPPY = [
    checkin("a", 5, 2, 0),
    checkin("a", 7, 4, 1),
    checkin("a", 9, 6, 3),
    checkin("a", 3, 8, 12),
    checkin("b", 6, 6, 1),
    checkin("b", 4, 8, 3, hour=9),
    checkin("b", 6, 8, 3, hour=20),
]


# --- escaping -------------------------------------------------------------------------------


def test_escape_mathtext() -> None:
    assert charts.escape_mathtext("$\\alpha$") == "\\$\\alpha\\$"
    assert charts.escape_mathtext("no dollars \\ here") == "no dollars \\ here"
    # A literal backslash-dollar typed by a person also survives.
    fig = charts.message_figure("t", "x")
    for raw in ("$\\alpha$", "C:\\path", "a\\$b", "$$", "50$ each"):
        text = fig.text(0, 0, charts.escape_mathtext(raw))
        assert shown(text) == raw


# --- (1) mood and trust ---------------------------------------------------------------------


def test_mood_trust_lines_hold_daily_and_rolling_means_and_break_gaps() -> None:
    fig = charts.mood_trust_chart(GAPPY, NAMES, window=7)
    mood_ax, trust_ax = fig.axes
    dots = one(fig, "daily-a", 0)
    assert list(dots.get_xdata()) == [x(0), x(1), x(3), x(12)]
    assert list(dots.get_ydata()) == [5, 7, 9, 3]
    rolling = one(fig, "rolling-a", 0)
    # 7-day means on measured days: 5, (5+7)/2 = 6, (5+7+9)/3 = 7, then day 12 alone = 3.
    # Day 3 to day 12 is 9 days > 7, so a NaN breaks the line there.
    np.testing.assert_array_equal(rolling.get_ydata(), [5.0, 6.0, 7.0, np.nan, 3.0])
    np.testing.assert_array_equal(rolling.get_xdata(), [x(0), x(1), x(3), np.nan, x(12)])
    # Alex on day 3: trust (8 + 8) / 2 = 8; 7-day trust means 6, (6 + 8) / 2 = 7.
    assert list(one(fig, "daily-b", 1).get_ydata()) == [6.0, 8.0]
    assert list(one(fig, "rolling-b", 1).get_ydata()) == [6.0, 7.0]
    assert mood_ax.get_ylabel() == "Mood (1–10)"
    assert trust_ax.get_ylabel() == "Trust (1–10)"
    assert fig.get_suptitle() == "Mood and trust over time"
    assert one(fig, "rolling-a").get_linestyle() != one(fig, "rolling-b").get_linestyle()
    assert one(fig, "rolling-a").get_color() == charts.PARTNER_COLORS["a"]


def test_mood_trust_legend_keeps_names_literal_after_rendering() -> None:
    fig = charts.mood_trust_chart(GAPPY, {"a": TRICKY, "b": "Alex"})
    fig.canvas.draw()  # would raise if the name were parsed as (invalid) mathtext
    (legend,) = fig.legends
    assert [shown(t) for t in legend.get_texts()] == [TRICKY, "Alex"]
    assert "7-day average" in legend.get_title().get_text()


def test_mood_trust_milestones_in_range_are_lines_with_labels() -> None:
    milestones = [
        (day(2), "Step 1: A safe space"),
        (day(10), "Step 4: $5 \\promise"),
        (day(40), "Step 5: after the data, not drawn"),
    ]
    fig = charts.mood_trust_chart(GAPPY, NAMES, milestones)
    for ax_index in (0, 1):
        lines = by_gid(fig, "milestone", ax_index)
        assert [line.get_xdata()[0] for line in lines] == [x(2), x(10)]
    labels = [t for t in fig.axes[0].texts if t.get_gid() == "milestone-label"]
    fig.canvas.draw()
    assert [shown(t).strip() for t in labels] == ["Step 1: A safe space", "Step 4: $5 \\promise"]


def test_mood_trust_one_partner_and_one_checkin() -> None:
    fig = charts.mood_trust_chart([checkin("b", 4, 6, 0)], NAMES)
    assert by_gid(fig, "daily-a") == []
    assert list(one(fig, "daily-b").get_ydata()) == [4]
    assert list(one(fig, "rolling-b", 1).get_ydata()) == [6.0]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Alex"]
    left, right = fig.axes[0].get_xlim()
    assert left < x(0) < right  # a one-day range is padded, not collapsed
    fig.canvas.draw()


def test_mood_trust_long_series_uses_month_window() -> None:
    data = [checkin("a", 1 + n % 10, 5, n) for n in range(200)]
    fig = charts.mood_trust_chart(data, NAMES)
    assert "28-day average" in fig.legends[0].get_title().get_text()
    ys = one(fig, "rolling-a").get_ydata()
    assert not np.isnan(ys).any()  # daily data: no gaps to break
    # the last point: mean of days 172..199 -> moods 1 + n % 10 over 28 consecutive days
    assert ys[-1] == pytest.approx(np.mean([1 + n % 10 for n in range(172, 200)]))


def test_mood_trust_empty() -> None:
    fig = charts.mood_trust_chart([], NAMES, [(day(0), "Step 1")])
    assert fig.axes == []
    assert message(fig).startswith("No check-ins yet.")


# --- (2) partner gap ------------------------------------------------------------------------


def test_partner_gap_plots_a_minus_b_on_shared_days() -> None:
    fig = charts.partner_gap_chart(GAPPY, {"a": TRICKY, "b": "Alex"}, window=7)
    (ax,) = fig.axes
    # Shared days 1 and 3. Mood: 7 - 6 = 1, 9 - (4 + 6) / 2 = 4. Trust: 4 - 6 = -2, 6 - 8 = -2.
    assert list(one(fig, "daily-mood").get_xdata()) == [x(1), x(3)]
    assert list(one(fig, "daily-mood").get_ydata()) == [1.0, 4.0]
    assert list(one(fig, "daily-trust").get_ydata()) == [-2.0, -2.0]
    assert list(one(fig, "rolling-mood").get_ydata()) == [1.0, 2.5]  # (1 + 4) / 2
    assert one(fig, "zero").get_ydata()[0] == 0
    fig.canvas.draw()
    assert shown(ax.yaxis.label) == f"{TRICKY} minus Alex"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Mood", "Trust"]
    bottom, top = ax.get_ylim()
    assert bottom == -top  # symmetric, so "who is higher" reads fairly


def test_partner_gap_without_shared_days() -> None:
    fig = charts.partner_gap_chart([checkin("a", 5, 5, 0)], NAMES)
    assert "No days yet when both Sam and Alex checked in" in message(fig)


# --- (3) promise keeping --------------------------------------------------------------------


def test_promise_keeping_rates_per_partner() -> None:
    promises = [
        promise("a", "kept", 0, 1),
        promise("a", "broken", 0, 3),
        promise("a", "open", 0, None),
        promise("b", "kept", 0, 2),
        promise("b", "kept", 0, 6),
    ]
    fig = charts.promise_keeping_chart(promises, {"a": TRICKY, "b": "Alex"})
    (ax,) = fig.axes
    line_a = one(fig, "keeping-a")
    # Sam: day 1 1/1 = 100%, day 3 1/2 = 50%, carried on to the last resolution (day 6).
    assert list(line_a.get_xdata()) == [x(1), x(3), x(6)]
    assert list(line_a.get_ydata()) == [100.0, 50.0, 50.0]
    assert line_a.get_drawstyle() == "steps-post"
    assert list(one(fig, "resolved-a").get_ydata()) == [100.0, 50.0]
    assert list(one(fig, "keeping-b").get_ydata()) == [100.0, 100.0]
    fig.canvas.draw()
    assert [shown(t) for t in ax.get_legend().get_texts()] == [
        f"{TRICKY} (1 of 2)",
        "Alex (2 of 2)",
    ]
    assert ax.get_ylim() == (-5, 105)


def test_promise_keeping_only_open() -> None:
    fig = charts.promise_keeping_chart([promise("a", "open", 0, None)], NAMES)
    assert message(fig).startswith("No promises kept or broken yet.")


# --- (4) CSI-4 ------------------------------------------------------------------------------


def test_csi4_band_and_lines_without_reliable_change_marks() -> None:
    answers = [
        CSI4Answer("a", (2, 2, 3, 3), day(0)),  # 10
        CSI4Answer("a", (3, 3, 3, 3), day(7)),  # 12
        CSI4Answer("a", (4, 4, 4, 3), day(14)),  # 15
        CSI4Answer("b", (5, 5, 5, 5), day(0)),  # 20
        CSI4Answer("b", (4, 3, 3, 3), day(14)),  # 13: distressed
    ]
    fig = charts.csi4_chart(answers, {"a": TRICKY, "b": "Alex"})
    (ax,) = fig.axes
    (band,) = [p for p in ax.patches if p.get_gid() == "distress-band"]
    bbox = band.get_bbox()
    assert (bbox.y0, bbox.y1) == (0, 13.5)
    assert list(one(fig, "csi4-a").get_ydata()) == [10, 12, 15]
    assert list(one(fig, "csi4-b").get_xdata()) == [x(0), x(14)]
    assert by_gid(fig, "rci-up") == []
    assert by_gid(fig, "rci-down") == []
    assert ax.get_ylim() == (0, 21)
    fig.canvas.draw()
    (legend,) = fig.legends
    assert [shown(t) for t in legend.get_texts()] == [TRICKY, "Alex"]


def test_csi4_empty() -> None:
    assert message(charts.csi4_chart([], NAMES)).startswith("No CSI-4 answers yet.")


# --- (5) mood calendar ----------------------------------------------------------------------


def test_calendar_grid_geometry() -> None:
    mood, in_year = charts.calendar_grid([], 2024)
    # 2024-01-01 is a Monday and 2024-12-31 a Tuesday: 53 week columns, 366 days.
    assert mood.shape == (7, 53)
    assert in_year.sum() == 366
    assert in_year[0, 0]
    assert in_year[1, 52]
    assert not in_year[2, 52]
    assert np.isnan(mood).all()


def test_mood_calendar_colours_measured_days_only() -> None:
    fig = charts.mood_calendar_chart(GAPPY, {"a": TRICKY, "b": "Alex"})
    sam_ax, alex_ax = fig.axes[:2]
    rgba = sam_ax.images[0].get_array()
    # D0 = Monday 4 March 2024, in week column (Mar 4 - Jan 1) // 7 = 63 // 7 = 9.
    cmap, norm = colormaps[charts.CALENDAR_CMAP], Normalize(1, 10)
    np.testing.assert_allclose(rgba[0, 9], cmap(norm(5)))  # Sam's mood 5 on day 0
    np.testing.assert_allclose(rgba[2, 9], to_rgba(charts.CALENDAR_MISSING))  # day 2: none
    # Alex on day 3 (Thursday, row 3): (4 + 6) / 2 = 5.
    np.testing.assert_allclose(alex_ax.images[0].get_array()[3, 9], cmap(norm(5)))
    fig.canvas.draw()
    assert sam_ax.get_title(loc="left") == charts.escape_mathtext(TRICKY)
    assert fig.get_suptitle() == "Mood by day, 2024"


def test_mood_calendar_empty_and_other_year() -> None:
    assert message(charts.mood_calendar_chart([], NAMES)).startswith("No check-ins yet.")
    assert message(charts.mood_calendar_chart(GAPPY, NAMES, year=2019)) == "No check-ins in 2019."


# --- rendering ------------------------------------------------------------------------------

CSI = [CSI4Answer("a", (2, 2, 3, 3), day(0)), CSI4Answer("a", (5, 5, 4, 4), day(14))]
PROMISES = [promise("a", "kept", 0, 1), promise("b", "broken", 0, 2)]
CHARTS: dict[str, Callable[[], Figure]] = {
    "mood_trust": lambda: charts.mood_trust_chart(GAPPY, NAMES, [(day(2), "Step 1")]),
    "partner_gap": lambda: charts.partner_gap_chart(GAPPY, NAMES),
    "promise_keeping": lambda: charts.promise_keeping_chart(PROMISES, NAMES),
    "csi4": lambda: charts.csi4_chart(CSI, NAMES),
    "mood_calendar": lambda: charts.mood_calendar_chart(GAPPY, NAMES),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_renders_to_png(name: str) -> None:
    png = charts.figure_to_png(CHARTS[name]())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5_000


def test_charts_never_touch_pyplot() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, "tests")  # as pytest's pythonpath setting does
        import tests.test_charts as t
        from workbook import charts
        for build in t.CHARTS.values():
            charts.figure_to_png(build())
        charts.figure_to_png(charts.mood_trust_chart([], {}))
        assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
        """
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr


def test_figures_are_agg_backed_and_not_registered_with_pyplot() -> None:
    fig = CHARTS["mood_trust"]()
    assert type(fig) is Figure
    assert type(fig.canvas).__name__ == "FigureCanvasAgg"
    assert fig.canvas.manager is None  # pyplot figures always have a manager
