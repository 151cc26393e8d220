"""One list of crisis resources: every page footer, step 8 and every worksheet render all of it."""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

import workbook
from workbook import resources
from workbook.markup import esc
from workbook.resources import NOT_ADVISED, RESOURCES
from workbook.ui import facilitator, pages, safety, trends
from workbook.ui import start as start_ui
from workbook.ui.base import Session
from workbook.ui.exercises import step_exercises
from workbook.worksheets import worksheet_html

PACKAGE = Path(workbook.__file__).parent


def assert_every_resource(html: str, *, details: bool) -> None:
    """Each resource's name, every number as shown with its link, and (details) hours and
    languages appear in `html`."""
    for r in RESOURCES:
        assert esc(r.name) in html, f"{r.name} missing"
        for c in r.contacts:
            assert f"href='{esc(c.href)}'>{esc(c.shown)}</a>" in html, f"{c} missing"
        if r.options:
            assert esc(r.options) in html
        if details:
            assert esc(r.hours) in html
            assert esc(r.languages) in html


def footers(page: widgets.Widget) -> list[str]:
    """The HTML of every page footer in a widget tree."""
    return [w.value for w in walk(page) if isinstance(w, widgets.HTML) and "ht-footer" in w.value]


def test_the_list_has_the_published_numbers_and_links() -> None:
    by_name = {r.name: r for r in RESOURCES}
    hotline = by_name["National Domestic Violence Hotline"]
    assert [(c.how, c.shown, c.href) for c in hotline.contacts] == [
        ("call", "1-800-799-7233", "tel:+18007997233"),
        ("TTY", "1-800-787-3224", "tel:+18007873224"),
        ("text", "START to 88788", "sms:88788?body=START"),
    ]
    lifeline = by_name["988 Suicide & Crisis Lifeline"]
    assert [c.href for c in lifeline.contacts] == ["tel:988", "sms:988"]
    assert "press 1 for veterans" in lifeline.options
    assert "press 2 for Spanish" in lifeline.options
    assert "press 3" not in lifeline.options.lower()  # ended on 17 July 2025
    assert [c.href for c in by_name["In immediate danger"].contacts] == ["tel:911"]
    for r in RESOURCES:
        assert r.hours
        for c in r.contacts:
            # E.164 for ten-digit numbers; the short codes 911 and 988 as they are dialled.
            assert re.fullmatch(r"(tel:(\+1\d{10}|911|988))|(sms:\d+(\?body=\w+)?)", c.href), c


def test_no_number_is_written_anywhere_else_in_the_package() -> None:
    written = []
    for path in sorted(PACKAGE.rglob("*")):
        # The numbers are data of workbook/helplines.py; resources.py makes their links.
        if path.suffix not in (".py", ".j2", ".css", ".html") or path.name in (
            "resources.py",
            "helplines.py",
        ):
            continue
        text = path.read_text(encoding="utf-8")
        for number in ("799-7233", "787-3224", "88788", "tel:", "sms:"):
            if number in text:
                written.append(f"{path.relative_to(PACKAGE)}: {number}")
    assert written == [], "crisis numbers belong in workbook/helplines.py only"


@pytest.mark.parametrize("step", range(1, 9))
def test_every_step_page_footer_has_every_resource(sam: Session, step: int) -> None:
    [footer] = footers(pages.StepPage(sam, step))
    assert_every_resource(footer, details=False)
    assert esc(NOT_ADVISED) in footer


def test_start_trends_facilitator_and_way_back_footers_have_every_resource(
    sam: Session, data_dir: Path
) -> None:
    start = start_ui.StartPage("sam-and-alex", "a")
    built = [
        start,
        trends.TrendsPage(sam),
        facilitator.FacilitatorDashboard(data_dir),
        facilitator.locked_panel(),
        pages.step_page(3),  # no workbook in the address: the way back
    ]
    for page in built:
        [footer] = footers(page)
        assert_every_resource(footer, details=False)
        assert esc(NOT_ADVISED) in footer


def test_start_page_safety_answer_has_every_resource(sam: Session) -> None:
    q = start_ui.SafetyQuestion(sam)
    q.answer.value = "Not always, or I am not sure"
    assert_every_resource(q.reply.value, details=False)
    assert esc(NOT_ADVISED) in q.reply.value


def test_step_8_shows_every_resource_with_hours_and_languages(sam: Session) -> None:
    page = html_of(widgets.VBox(step_exercises(sam, 8)))
    assert_every_resource(page, details=True)
    assert esc(resources.NOT_ADVISED) in page
    assert esc(resources.HELP_INSTEAD) in page
    check = safety.SafetyCheck()
    for ticked in (True, False):
        check.questions[0].value = ticked
        check.check.click()
        assert_every_resource(check.result.value, details=True)


@pytest.mark.parametrize("step", range(1, 9))
def test_every_worksheet_footer_has_every_resource(step: int) -> None:
    page = worksheet_html(step)
    footer = page[page.index("<footer>") :]
    assert_every_resource(footer, details=False)
    assert esc(NOT_ADVISED) in footer


def test_step_8_worksheet_lists_every_resource_with_details() -> None:
    page = worksheet_html(8)
    body = page[: page.index("<footer>")]
    assert_every_resource(body, details=True)
    assert esc(resources.NOT_ADVISED_WHY) in body
    assert esc(resources.HELP_INSTEAD) in body
