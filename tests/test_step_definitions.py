"""Every exercise of every step, from its one definition: on its page, saved, and on paper."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from markupsafe import escape
from widget_utils import html_of, walk

import workbook
from workbook.markup import esc
from workbook.steps import HEALING_STEPS, Exercise, Step
from workbook.ui import pages
from workbook.ui.base import Session
from workbook.ui.checkin import CheckInForm
from workbook.ui.checklists import ChecklistForm
from workbook.ui.conversation import IStatementBuilder
from workbook.ui.exercises import KINDS
from workbook.ui.forms import PromptForm
from workbook.worksheets import worksheet_html

SAVING = [
    pytest.param(step, ex, id=f"{step.number}-{ex.prompt}")
    for step in HEALING_STEPS.values()
    for ex in step.exercises
    if ex.prompt is not None
]
PRINTED = [
    pytest.param(step, ex, id=f"{step.number}-{ex.printed_title}")
    for step in HEALING_STEPS.values()
    for ex in step.printed
]


def words_on(w: widgets.Widget) -> str:
    """Everything a person reads in a widget tree: HTML text, labels and placeholders."""
    labels = [getattr(x, a, "") for x in walk(w) for a in ("description", "placeholder")]
    return html_of(w) + "\n" + "\n".join(str(t) for t in labels)


def built_for(page: pages.StepPage, ex: Exercise) -> widgets.Widget:
    """The widget a step's page built for this exercise."""
    step = HEALING_STEPS[page.step]
    return dict(zip(step.on_page, page.exercises, strict=True))[ex]


def answer(w: widgets.Widget, text: str) -> None:
    """Write `text` into an exercise's own fields as a person would, shared, and press Save."""
    if isinstance(w, IStatementBuilder):
        w.feeling.value, w.situation.value = text, "we talk"
    elif isinstance(w, ChecklistForm):
        w.own.value = text
    else:
        w.answer.value = text  # type: ignore[attr-defined]
        if isinstance(w, PromptForm):
            w.visibility.value = "shared"  # a private answer is never printed
    w.save.click()  # type: ignore[attr-defined]
    assert w.status.kind == "ok", w.status.message  # type: ignore[attr-defined]


def under_heading(sheet: str, ex: Exercise) -> str:
    """The part of a printed sheet from this exercise's heading to the next heading."""
    heading = f"<h2>{escape(ex.printed_title)}</h2>"
    assert heading in sheet, f"no heading for {ex.prompt}"
    rest = sheet.split(heading, 1)[1]
    return rest.split("<h2>", 1)[0]


@pytest.mark.parametrize(("step", "ex"), SAVING)
def test_every_written_exercise_is_on_its_page_saves_and_prints(
    wb: workbook.Workbook, step: Step, ex: Exercise
) -> None:
    sam, alex = Session(wb=wb, who="a"), Session(wb=wb, who="b")
    page = pages.StepPage(sam, step.number)
    form = built_for(page, ex)
    shown = words_on(page)
    assert esc(ex.title) in shown, f"{ex.prompt}: title not on the page"
    assert esc(ex.question_for("Alex")) in shown or ex.question_for("Alex") in shown, ex.prompt

    answer(form, "SAMWROTE")
    if ex.privacy == "paired":  # shown, and printed, only once both have answered
        answer(built_for(pages.StepPage(alex, step.number), ex), "ALEXWROTE")
    assert any("SAMWROTE" in r.text for r in wb.reflections(step.number, ex.prompt, viewer="a"))
    filled = worksheet_html(step.number, wb)
    assert "SAMWROTE" in under_heading(filled, ex), f"{ex.prompt} not under its own heading"


@pytest.mark.parametrize(("step", "ex"), PRINTED)
def test_blank_worksheet_prints_every_exercise(step: Step, ex: Exercise) -> None:
    sheet = worksheet_html(step.number)  # escaped by Jinja2, which writes ' as &#39;
    assert f"<h2>{escape(ex.printed_title)}</h2>" in sheet
    assert escape(ex.printed_question()) in sheet
    assert "{partner}" not in sheet
    for item in ex.items:
        assert escape(item) in sheet


@pytest.mark.parametrize("step", HEALING_STEPS.values(), ids=lambda s: str(s.number))
def test_every_kind_has_a_builder_and_prompt_keys_are_unique(step: Step) -> None:
    assert {ex.kind for ex in step.exercises} <= set(KINDS)
    keys = [ex.prompt for ex in step.exercises if ex.prompt is not None]
    assert len(keys) == len(set(keys)), f"step {step.number} repeats a prompt key"


def test_a_step_that_stores_nothing_has_no_prompts_and_no_check_in(wb: workbook.Workbook) -> None:
    quiet = [s for s in HEALING_STEPS.values() if not s.stores]
    assert [s.number for s in quiet] == [8]
    assert all(ex.prompt is None for ex in quiet[0].exercises)
    page = pages.StepPage(Session(wb=wb, who="a"), 8)
    assert not any(isinstance(w, CheckInForm) for w in walk(page))
