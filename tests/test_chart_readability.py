"""Chart text is readable where the pages show the charts, and milestone labels never collide.

A PNG of a figure `W` inches wide shown `D` CSS pixels wide draws a `p`-point text at
``p * D / (72 * W)`` CSS pixels, whatever the resolution. The widths here are the ones the page
gives a chart (healing.css: ``img.ht-chart`` fills its card, at most 28rem): about 312 px on a
375-pixel phone and 448 px on a 1280-pixel laptop. tests/browser/test_app_pages.py measures
those widths in Chromium, so a change of the page's CSS cannot quietly shrink the text.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import workbook
from workbook import charts
from workbook.aggregates import AggregatePoint
from workbook.ui import facilitator
from workbook.ui.base import Session
from workbook.ui.trends import TrendsDashboard

#: CSS pixels a chart image is shown at, per device (measured by the browser tests).
CHART_CSS_WIDTH = {"phone": 312, "desktop": 448}
MIN_TEXT_PX = 11.0


def drawn_texts(fig: Figure) -> list[Text]:
    """Every non-empty, visible text the figure draws (titles, ticks, labels, legends, notes)."""
    fig.canvas.draw()
    whole = fig.bbox
    found = []
    for artist in fig.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        box = artist.get_window_extent()
        if box.x1 < whole.x0 or box.x0 > whole.x1 or box.y1 < whole.y0 or box.y0 > whole.y1:
            continue  # a tick label outside the view is never drawn
        found.append(artist)
    return found


def css_px(fig: Figure, text: Text, shown_width: float) -> float:
    """The text's size in CSS pixels when the figure's image is shown `shown_width` px wide."""
    return float(text.get_fontsize()) * shown_width / (72 * fig.get_size_inches()[0])


def smallest(figures: dict[str, Figure]) -> dict[str, tuple[float, str, str]]:
    """Per device: the smallest text in CSS px, with its chart and its words."""
    result = {}
    for device, width in CHART_CSS_WIDTH.items():
        result[device] = min(
            (css_px(fig, t, width), name, t.get_text())
            for name, fig in figures.items()
            for t in drawn_texts(fig)
        )
    return result


def page_figures(wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch) -> dict[str, Figure]:
    """The figures the trends page draws for `wb`, exactly as it draws them."""
    drawn: list[Figure] = []
    real = charts.figure_to_png

    def keep(fig: Figure, **kw: Any) -> bytes:
        drawn.append(fig)
        return real(fig, **kw)

    monkeypatch.setattr(charts, "figure_to_png", keep)
    dash = TrendsDashboard(Session(wb=wb, who="a"), today=date.today())
    dash.range.value = None  # everything
    keys = list(dash.panels)
    # Each refresh draws the five panels in order; keep the last refresh.
    return dict(zip(keys, drawn[-len(keys) :], strict=True))


def test_trends_charts_text_is_11px_on_phone_and_laptop(
    demo: workbook.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = page_figures(demo, monkeypatch)
    assert len(figures) == 5
    for device, (px, name, words) in smallest(figures).items():
        assert px >= MIN_TEXT_PX, f"{name}: {words!r} is {px:.1f} CSS px on the {device}"


def test_empty_trends_charts_text_is_11px(
    wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = page_figures(wb, monkeypatch)
    for name, fig in figures.items():  # every chart says there is nothing yet
        assert [t for t in fig.texts if t.get_gid() == "empty-message"], name
    for device, (px, name, words) in smallest(figures).items():
        assert px >= MIN_TEXT_PX, f"{name}: {words!r} is {px:.1f} CSS px on the {device}"


def test_facilitator_group_chart_text_is_11px() -> None:
    start = date(2026, 3, 2)
    points = [AggregatePoint(start + timedelta(days=i), 5 + i % 3, 4 + i % 4, 3) for i in range(60)]
    figures = {
        "group": charts.aggregate_chart(points, figsize=facilitator.CHART_SIZE),
        "group-empty": charts.aggregate_chart([], figsize=facilitator.CHART_SIZE),
    }
    for device, (px, name, words) in smallest(figures).items():
        assert px >= MIN_TEXT_PX, f"{name}: {words!r} is {px:.1f} CSS px on the {device}"


def test_the_measure_catches_small_text() -> None:
    """The check above can fail: a 6-inch figure with 8-point text, as the charts once were."""
    fig = charts.message_figure("Title", "Message", figsize=(6, 2.5))
    (message,) = [t for t in fig.texts if t.get_gid() == "empty-message"]
    message.set_fontsize(8)
    px, _, words = smallest({"old": fig})["phone"]
    assert px < MIN_TEXT_PX
    assert words == "Message"


def _mark(wb: workbook.Workbook, who: str, step: int, day: date) -> None:
    at = datetime.combine(day, time(12)).astimezone()
    wb.mark_step(who, step, how_it_went="", at=at)


def test_milestones_on_the_same_or_near_days_never_overlap(demo: workbook.Workbook) -> None:
    last = max(c.at for c in demo.checkins()).astimezone().date()
    # (Step 8 is never a milestone: nothing done on it is recorded.)
    for who, step, back in (("a", 5, 9), ("b", 7, 9), ("a", 6, 8), ("b", 6, 6), ("a", 4, 40)):
        _mark(demo, who, step, last - timedelta(days=back))
    milestones = demo.milestones()
    assert sum(d == last - timedelta(days=9) for d, _ in milestones) == 2  # Steps 5 and 7
    fig = charts.mood_trust_chart(demo.checkins(), demo.names(), milestones)
    fig.canvas.draw()
    labels = [t for t in fig.axes[0].texts if t.get_gid() == "milestone-label"]
    words = [t.get_text().strip() for t in labels]
    assert "Steps 5, 7" in words, words
    days = {c.at.astimezone().date() for c in demo.checkins()}
    in_range = {d for d, _ in milestones if min(days) <= d <= max(days)}
    assert len(labels) == len(in_range), words  # one label per day, none left out
    boxes = [t.get_window_extent() for t in labels]
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), f"{words[i]!r} and {words[j]!r} overlap"
    strip = fig.axes[0].transData.transform((0, 10.4))[1]
    assert all(b.y0 >= strip for b in boxes), "a label reaches into the data"


def test_all_recorded_steps_on_one_day_read_in_full(demo: workbook.Workbook) -> None:
    """Regression: "Steps 1, 2, 3, 4, 5, 6, 7…" hid the last step (the label was cut at 26).

    Steps 1 to 7 only: step 8 is never recorded, so it is never a milestone (issue 18)."""
    last = max(c.at for c in demo.checkins()).astimezone().date()
    day = last - timedelta(days=3)
    milestones = [(day, f"Step {n}") for n in range(1, 8)]
    milestones += [(last - timedelta(days=1), "Step 3"), (last - timedelta(days=1), "Step 5")]
    fig = charts.mood_trust_chart(demo.checkins(), demo.names(), milestones)
    words = [t.get_text().strip() for t in fig.axes[0].texts if t.get_gid() == "milestone-label"]
    assert "Steps 1–7" in words, words
    assert "Steps 3, 5" in words, words
    assert not any("…" in w for w in words), words


@pytest.mark.parametrize("days", [1, 30])
def test_the_group_chart_keeps_its_title_and_legend_inside_the_picture(days: int) -> None:
    """Regression: on the facilitator page the title and legend ran past both edges."""
    from workbook.charts.style import figure_to_png

    points = [
        AggregatePoint(day=date(2026, 12, 4) - timedelta(days=i), mood=7.0, trust=6.0, couples=5)
        for i in range(days)
    ]
    fig = charts.aggregate_chart(points, figsize=facilitator.CHART_SIZE)
    figure_to_png(fig)  # lays the figure out as the page gets it
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    inside = fig.bbox.padded(1)
    texts = [fig._suptitle, *fig.legends[0].get_texts()]
    for text in texts:
        assert text is not None
        box = text.get_window_extent(renderer)
        assert inside.contains(box.x0, box.y0), f"{text.get_text()!r} starts outside"
        assert inside.contains(box.x1, box.y1), f"{text.get_text()!r} ends outside"
