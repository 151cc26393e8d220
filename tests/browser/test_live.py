"""A page that waits for the partner shows their news without a reload (desktop and phone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from voila_harness import VoilaServer, new_workbook, screenshot

from workbook.store import open_workbook
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser


def test_step3_reveal_arrives_when_the_partner_answers(
    voila_server: VoilaServer, tab: Callable[..., Any], device: str
) -> None:
    name = new_workbook(voila_server, f"live-{device}", "Ivy", "Omar")
    page = tab(device)
    page.goto(voila_server.page_url(PAGES[3], wb=name, who="a"))
    page.get_by_label("What might Omar be feeling about what happened?").fill("IVY-SIDE")
    page.get_by_role("button", name="Save my answer").first.click()
    page.get_by_text("You have answered. Waiting for Omar.").first.wait_for()
    # Omar answers on his own phone: Ivy's open page shows both answers, no reload.
    with open_workbook(name, data_dir=voila_server.data_dir) as wb:
        wb.add_reflection("b", 3, "perspective-feel", "OMAR-SIDE", visibility="paired")
        wb.mark_step("b", 3, how_it_went="slowly")
    page.get_by_text("OMAR-SIDE").first.wait_for(timeout=20_000)
    page.get_by_text("Omar finished this step").wait_for(timeout=20_000)
    assert page.get_by_text("IVY-SIDE").count() >= 1
    screenshot(page, f"live-reveal-{device}")
