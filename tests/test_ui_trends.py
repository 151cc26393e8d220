"""The trends dashboard, driven without a browser."""

from __future__ import annotations

import base64
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from widget_utils import html_of

import workbook
from workbook import charts
from workbook.ui.base import Session
from workbook.ui.trends import TrendsDashboard, TrendsPage, trends_page

#: These tests read what the charts say and whether they were drawn, not their pixels.
pytestmark = pytest.mark.usefixtures("low_dpi_charts")


def _csv(dash: TrendsDashboard) -> str:
    href = dash.download.value.split("base64,", 1)[1].split("'", 1)[0]
    return base64.b64decode(href).decode("utf-8")


def test_dashboard_on_demo_data(demo: workbook.Workbook) -> None:
    dash = TrendsDashboard(Session(wb=demo, who="a"))
    assert dash.status.kind == ""
    for key, panel in dash.panels.items():
        assert panel.png[:8] == b"\x89PNG\r\n\x1a\n", key
        assert "alt='" in panel.image.value, key
        assert panel.summary.value.startswith("<p class='ht-summary'>"), key
    assert "Sam" in dash.panels["mood_trust"].summary.value
    assert "date,time_utc,partner" in _csv(dash)


def test_range_selector_changes_what_is_drawn(demo: workbook.Workbook) -> None:
    dash = TrendsDashboard(Session(wb=demo, who="a"))
    dash.range.value = None  # everything
    everything = dash.panels["calendar"].summary.value
    dash.range.value = 28
    assert dash.start.value == dash.today - timedelta(days=27)
    assert dash.panels["calendar"].summary.value != everything
    dash.start.value = dash.today + timedelta(days=3)
    assert dash.status.kind == "error"
    assert "after its end" in dash.status.message


def test_other_partners_private_checkins_never_appear(wb: workbook.Workbook) -> None:
    wb.set_passphrase("b", "alex passphrase")
    day = datetime.now().astimezone() - timedelta(days=1)
    wb.add_checkin("a", 5, 5, "shared one", at=day)
    wb.add_checkin("b", 1, 1, "alex alone", at=day, visibility="private")
    sam = TrendsDashboard(Session(wb=wb, who="a"))
    assert "alex alone" not in _csv(sam)
    calendar = sam.panels["calendar"].summary.value
    assert "Alex checked in" not in calendar  # no days, no mood of Alex's private check-in
    # Only the count, said as the rest of the page says it (issue 18).
    assert "Alex has 1 private check-in in this period; the charts leave it out." in calendar
    alex = TrendsDashboard(Session(wb=wb, who="b"))  # unlocked in this session: own entries
    assert "alex alone" in _csv(alex)


def test_empty_workbook_is_calm(wb: workbook.Workbook) -> None:
    dash = TrendsDashboard(Session(wb=wb, who="a"))
    assert dash.status.kind == ""
    assert "No check-ins" in dash.panels["mood_trust"].summary.value
    assert all(p.png for p in dash.panels.values())


def test_checkin_on_the_dashboard_redraws(wb: workbook.Workbook) -> None:
    page = TrendsPage(Session(wb=wb, who="a"), background=False)
    before = page.dashboard.panels["mood_trust"].summary.value
    page.checkin.mood.value = 8
    page.checkin.trust.value = 6
    page.checkin.save.click()
    assert page.dashboard.panels["mood_trust"].summary.value != before
    assert date.today().isoformat() in _csv(page.dashboard)


def test_trends_page_without_session(data_dir: Path) -> None:
    assert "Go to the start page" in html_of(trends_page())


def test_sparse_summary_is_one_sentence_per_partner(wb: workbook.Workbook) -> None:
    """Regression: one check-in each produced four near-identical 'not enough' sentences."""
    wb.add_checkin("a", 5, 5)
    wb.add_checkin("b", 6, 6)
    dash = TrendsDashboard(Session(wb=wb, who="a"))
    text = dash.panels["mood_trust"].summary.value
    assert text.count("Not enough check-ins yet") == 2
    # The default period is the last three months: thirteen weeks, as the summary says.
    assert "Sam&#39;s trends (1 day in the last 13 weeks)" in text
    assert text.count("A few more check-ins will show the direction.") == 1


def test_summaries_speak_of_the_chosen_period(wb: workbook.Workbook) -> None:
    """Issue 20: the selector says "every chart and summary follows it", but the summaries
    always said "in the last four weeks", whatever period was chosen."""
    wb.add_checkin("a", 5, 5)
    wb.add_checkin("b", 6, 6)
    dash = TrendsDashboard(Session(wb=wb, who="a"))
    assert "every chart and summary follows it" in html_of(dash)
    expected = {28: "the last four weeks", 91: "the last 13 weeks", 182: "the last 26 weeks"}
    for days, words in expected.items():
        dash.range.value = days
        for key in ("mood_trust", "gap"):
            summary = dash.panels[key].summary.value
            assert words in summary, (days, key, summary)
            if days != 28:
                assert "four weeks" not in summary, (days, key, summary)
    dash.range.value = None  # everything: from the first check-in shown (today), one week
    assert "the last week" in dash.panels["gap"].summary.value


# --- the served page draws its charts in the background --------------------------------------


def test_page_is_usable_before_its_charts_are_drawn(
    demo: workbook.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Summaries and forms come at once; charts wait for the browser, then fill in."""
    release = threading.Event()
    real = charts.mood_trust_chart
    calls: list[int] = []

    def slow_chart(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "mood_trust_chart", slow_chart)
    page = TrendsPage(Session(wb=demo, who="a"))
    dash = page.dashboard
    try:
        panel = dash.panels["mood_trust"]
        assert "Drawing the chart" in panel.image.value
        assert panel.png == b""
        assert "Sam" in panel.summary.value  # the sentence does not wait for the picture
        assert page.checkin.save.description == "Save check-in"
        assert calls == [], "nothing is drawn before a browser has the page"
        assert not dash.wait(0.1), "wait() must not report charts that are held back as drawn"
        page.shown.signal()  # what the browser's jslink does once the widgets are loaded
        page.shown.signal()  # a second signal starts nothing more
        assert not dash.wait(0.2)  # drawing, held up by the slow chart
        assert "Drawing the chart" in panel.image.value
    finally:
        release.set()
    assert dash.wait(60)
    assert calls == [1]
    for key, p in dash.panels.items():
        assert p.png[:8] == b"\x89PNG\r\n\x1a\n", key
        assert p.image.value.startswith("<img class='ht-chart'"), key
    # Once shown, a new check-in redraws straight away, still in the background.
    page.checkin.mood.value = 9
    page.checkin.trust.value = 6
    page.checkin.save.click()
    assert dash.wait(60)
    assert calls == [1, 1]


def test_background_charts_match_the_latest_period(demo: workbook.Workbook) -> None:
    """Two quick refreshes: the pictures shown at the end are those of the second period."""
    dash = TrendsDashboard(Session(wb=demo, who="a"), background=True)
    dash.start_drawing()
    dash.range.value = 28  # while the first drawing may still be going
    assert dash.wait(60)
    reference = TrendsDashboard(Session(wb=demo, who="a"))
    reference.range.value = 28
    for key, panel in dash.panels.items():
        assert panel.png == reference.panels[key].png, key
        assert panel.summary.value == reference.panels[key].summary.value, key


def test_a_chart_that_fails_in_the_background_is_explained(
    demo: workbook.Workbook, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("font cache exploded")

    monkeypatch.setattr(charts, "partner_gap_chart", broken)
    dash = TrendsDashboard(Session(wb=demo, who="a"), background=True)
    dash.start_drawing()
    assert dash.wait(60)
    assert "could not be drawn" in dash.panels["gap"].image.value
    assert "font cache" not in html_of(dash)
    assert dash.panels["mood_trust"].png[:4] == b"\x89PNG"
    assert "drawing the gap chart failed" in caplog.text
