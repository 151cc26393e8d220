"""The demo couple is written through the step definitions: each answer sits where a page shows."""

from __future__ import annotations

from datetime import datetime

import pytest

import workbook
from workbook.demo import DEMO_PASSPHRASES, answer_as, demo_exercise
from workbook.steps import HEALING_STEPS


def _every_answer(book: workbook.Workbook) -> list[workbook.Reflection]:
    """Every written answer of the demo, private ones included (each partner unlocked in turn)."""
    seen: dict[int | None, workbook.Reflection] = {}
    for who, phrase in DEMO_PASSPHRASES.items():
        book.unlock(who, phrase)
        for r in book.reflections(viewer=who):
            seen[r.id] = r
        book.lock(who)
    return list(seen.values())


def test_every_demo_answer_sits_under_a_prompt_a_page_shows(demo: workbook.Workbook) -> None:
    answers = _every_answer(demo)
    shown = {
        (step.number, ex.prompt)
        for step in HEALING_STEPS.values()
        if step.stores
        for ex in step.on_page
        if ex.prompt
    }
    assert answers, "the demo wrote no answers"
    misplaced = sorted({(r.step, r.prompt) for r in answers} - shown)
    assert misplaced == [], f"demo answers no page shows: {misplaced}"


def test_demo_checklists_tick_the_pages_own_items(demo: workbook.Workbook) -> None:
    checklists = [r for r in _every_answer(demo) if HEALING_STEPS[r.step].exercise(r.prompt).items]
    assert {r.prompt for r in checklists} >= {"agreements", "situations"}
    for r in checklists:
        items = HEALING_STEPS[r.step].exercise(r.prompt).items
        assert set(r.text.splitlines()) <= set(items), r.text


def test_the_demo_step_three_reveal_has_both_answers(demo: workbook.Workbook) -> None:
    """Both demo partners answered the same paired prompt, so step 3 shows the reveal."""
    assert demo.paired_status(3, "perspective-feel") == {"a", "b"}


@pytest.mark.parametrize(
    ("step", "prompt"),
    [(3, "perspective"), (8, "safety-check"), (2, "no-such-prompt"), (3, "reveal-guard")],
)
def test_an_answer_no_page_shows_is_refused(wb: workbook.Workbook, step: int, prompt: str) -> None:
    with pytest.raises(KeyError):
        answer_as(wb, "a", step, prompt, "Words nobody would see.", at=datetime.now().astimezone())
    assert wb.reflections(viewer="a") == []


def test_checklist_answers_are_item_indexes() -> None:
    assert demo_exercise(2, "situations").items
    with pytest.raises(KeyError):
        demo_exercise(1, "speaker-listener")
