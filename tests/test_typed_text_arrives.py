"""What was typed reaches the kernel before the Save pressed after it.

A widget has one update in flight at a time: with ``continuous_update`` on, the keys typed
while the kernel was busy waited in the browser, and a Save pressed straight after reached the
kernel first and stored the first letters only (seen in `make test`: "I need o."). Every text
box on the pages sends its text when it is left, which leaving it for the button always does
before the press.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from widget_utils import walk

import workbook
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import Session
from workbook.ui.blocks import PasswordBox, TextArea, TextBox, text_input

TEXT_KINDS = (widgets.Text, widgets.Textarea, widgets.Password)


def _text_boxes(page: widgets.Widget) -> list[widgets.Widget]:
    return [w for w in walk(page) if isinstance(w, TEXT_KINDS)]


def test_the_text_boxes_send_their_text_when_left() -> None:
    for box in (TextBox(), TextArea(), PasswordBox(), text_input("I feel…")):
        assert box.continuous_update is False, type(box).__name__
    assert TextBox("kept", continuous_update=True).value == "kept"


@pytest.mark.parametrize("step", range(1, 9))
def test_no_text_box_on_a_step_page_sends_each_key(wb: workbook.Workbook, step: int) -> None:
    page = pages.StepPage(Session(wb=wb, who="a"), step)
    boxes = _text_boxes(page)
    assert boxes or step == 8, f"step {step}: no text box found"  # step 8 asks nothing typed
    sending = [w.description or w.placeholder for w in boxes if w.continuous_update]
    assert not sending, f"step {step}: these send each key and can be overtaken: {sending}"


def test_no_text_box_on_the_start_page_sends_each_key(wb: workbook.Workbook) -> None:
    for page in (start_ui.StartPage(), start_ui.StartPage(wb.name, "a")):
        boxes = _text_boxes(page)
        assert boxes
        assert not [w.description for w in boxes if w.continuous_update]


#: A text that both completes a sentence and reads as blame (the I-statement's tip shows).
_LEFT_WITH = "you always change plans"


@pytest.mark.parametrize("step", range(1, 9))
def test_nothing_a_left_box_changes_moves_the_button_after_it(
    wb: workbook.Workbook, step: int
) -> None:
    """Leaving a box for its button sends the box's text (above), and what that text changes
    on the page (the I-statement's sentence and its blame tip) is drawn at that moment: drawn
    between the box and the button, it moved the button between press and release, and the
    press was lost (a browser test saw "I feel ... and I need ..." built and nothing saved)."""
    page = pages.StepPage(Session(wb=wb, who="a"), step)
    order = walk(page)
    at = {id(w): i for i, w in enumerate(order)}
    shown = (widgets.HTML, widgets.HTMLMath, widgets.Label)
    moved = []
    for box in _text_boxes(page):
        buttons = [w for w in order[at[id(box)] + 1 :] if isinstance(w, widgets.Button)]
        if not buttons:
            continue
        between = [w for w in order[at[id(box)] + 1 : at[id(buttons[0])]] if isinstance(w, shown)]
        before = [w.value for w in between]
        box.value = _LEFT_WITH
        changed = [w for w, was in zip(between, before, strict=True) if w.value != was]
        box.value = ""
        moved += [f"{box.description or box.placeholder}: {w.value[:60]}" for w in changed]
    assert moved == [], f"step {step}: drawn between a box and its button when it is left"
