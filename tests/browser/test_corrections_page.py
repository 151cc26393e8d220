"""Issue 13 in Chromium: a partner corrects an answer on a step page, then deletes it for good.

From an empty workbook (no demo data), on a desktop and on a 375-pixel phone.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from voila_harness import SCREENSHOT_DIR, VoilaServer, assert_no_voila_error, new_workbook

from workbook.store import open_workbook
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

QUESTION = "In your own words, what happened?"
FIRST = "We stopped talking in Mrach."
FIXED = "We stopped talking in March, after the move."


def _shot(page: Any, card: Any, name: str) -> None:
    """A picture of one card (Voila scrolls inside the page: stretch the viewport for it)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(int(height), 16_000)})
    page.wait_for_timeout(300)
    try:
        card.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"))
    finally:
        page.set_viewport_size(size)


def test_correct_then_delete_an_answer(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    page = page_any
    name = new_workbook(voila_server, f"corrections-{device}", "Noa", "Eli")
    page.goto(voila_server.page_url(PAGES[2], wb=name, who="a"))
    page.get_by_label(QUESTION).wait_for()
    card = page.locator(".ht-card", has=page.get_by_label(QUESTION)).last

    card.get_by_label(QUESTION).fill(FIRST)
    card.get_by_role("button", name="Save", exact=True).click()
    card.get_by_text("Saved. Your partner can read it too.").wait_for()

    card.get_by_role("button", name="Correct or delete one of mine").click()
    box = card.get_by_label("Your answer")
    box.wait_for()
    assert box.input_value() == FIRST
    box.fill(FIXED)
    card.get_by_role("button", name="Save changes").click()
    card.get_by_text("Saved your correction.").wait_for()
    card.locator(".ht-entry-text", has_text=FIXED).wait_for()
    assert card.locator(".ht-entry-text", has_text="Mrach").count() == 0
    _shot(page, card, f"corrections-corrected-{device}")

    # (A button's icon glyph is part of its accessible name, hence the pattern.)
    card.get_by_role("button", name=re.compile(r"^\W*Delete$")).click()
    card.get_by_text("cannot be brought back").wait_for()
    _shot(page, card, f"corrections-confirm-{device}")
    card.get_by_role("button", name="Yes, delete it for good").click()
    card.get_by_text("Deleted for good.").wait_for()
    card.get_by_text("Nothing of yours is left in this list.").wait_for()
    assert FIXED not in page.content()
    assert_no_voila_error(page.content())
    _shot(page, card, f"corrections-deleted-{device}")

    book = open_workbook(name, data_dir=voila_server.data_dir)
    try:
        assert book.reflections(2) == []
        assert "stopped talking" not in book.export_json()
    finally:
        book.close()
