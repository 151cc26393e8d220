"""Nothing said twice: no heading repeated on a page, and no card repeats its own title."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import ipywidgets as widgets
import pytest
from widget_utils import walk

import workbook
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import PAGES, Session
from workbook.ui.trends import TrendsPage

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)
_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def headings(page: widgets.Widget) -> list[str]:
    """Every heading a page's widgets show, card titles included, in page order."""
    found = []
    for w in walk(page):
        if isinstance(w, widgets.HTML):
            found += [_text(h) for h in _HEADING.findall(w.value)]
    return found


def notebook_headings(page: int | str) -> list[str]:
    """The headings of the page's notebook's markdown cells (shown above the widgets)."""
    notebook = json.loads((NOTEBOOKS / PAGES[page]).read_text(encoding="utf-8"))
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    found.append(line.lstrip("#").strip())
    return found


def assert_said_once(page: widgets.Widget, page_key: int | str) -> None:
    shown = notebook_headings(page_key) + headings(page)
    repeated = sorted({h for h in shown if shown.count(h) > 1})
    assert not repeated, f"page {page_key} repeats the heading(s) {repeated}"
    for box in walk(page):
        if not (isinstance(box, widgets.VBox) and "ht-card" in box._dom_classes):
            continue
        first = box.children[0]
        if not isinstance(first, widgets.HTML) or not _HEADING.search(first.value):
            continue
        title = _text(_HEADING.search(first.value).group(1))
        for w in box.children[1:]:
            if isinstance(w, widgets.HTML):
                for p in _PARAGRAPH.findall(w.value):
                    assert not _text(p).startswith(title), f"{title!r} is said again: {p!r}"


def test_start_page_screens_say_things_once(demo: workbook.Workbook) -> None:
    start = start_ui.StartPage()
    assert_said_once(start, 0)  # open or create
    start.existing.value = demo.name
    start.open_button.click()
    assert_said_once(start, 0)  # who is writing
    start.choose("a")
    assert_said_once(start, 0)  # the map, the safety question, the check-in


@pytest.mark.parametrize("step", range(1, 9))
def test_step_pages_say_things_once(demo: workbook.Workbook, step: int) -> None:
    assert_said_once(pages.StepPage(Session(wb=demo, who="a"), step), step)


def test_trends_page_says_things_once(demo: workbook.Workbook) -> None:
    assert_said_once(TrendsPage(Session(wb=demo, who="a"), background=True), "trends")


def test_the_check_finds_a_repeated_title(demo: workbook.Workbook) -> None:
    from workbook.ui.base import card, heading, paragraph

    twice = widgets.VBox([heading("Healing Together", 1), card(heading("Healing Together"))])
    with pytest.raises(AssertionError, match="repeats the heading"):
        assert_said_once(twice, 1)
    echo = card(paragraph("Who is writing? Pick your name."), title="Who is writing?")
    with pytest.raises(AssertionError, match="is said again"):
        assert_said_once(echo, 1)


@pytest.mark.parametrize("data", ["demo", "wb"])
def test_charts_do_not_repeat_their_cards_titles(
    data: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.figure import Figure

    from workbook import charts
    from workbook.ui.trends import TrendsDashboard

    book = request.getfixturevalue(data)
    drawn: list[Figure] = []
    real = charts.figure_to_png
    monkeypatch.setattr(
        charts, "figure_to_png", lambda fig, **kw: drawn.append(fig) or real(fig, **kw)
    )
    dash = TrendsDashboard(Session(wb=book, who="a"))
    assert len(drawn) == len(dash.panels)
    for panel, fig in zip(dash.panels.values(), drawn, strict=True):
        inside = fig.get_suptitle().lower()
        card = panel.title.lower()
        assert not inside or (card not in inside and inside not in card), (panel.title, inside)
