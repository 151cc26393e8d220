"""One partner in Spanish, the other in English, in a real browser, desktop and 375 px phone:
the Spanish step page and quick exit, and the start page's language control (issue 21)."""

from __future__ import annotations

from typing import Any

import pytest
from voila_harness import VoilaServer, assert_no_voila_error, screenshot

import workbook
from workbook.steps import steps_in

pytestmark = pytest.mark.browser


def test_spanish_for_one_partner_english_for_the_other(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = f"es-{device}"
    if not (voila_server.data_dir / f"{name}.workbook.sqlite3").exists():
        workbook.create(name, "Sam", "Alex", data_dir=voila_server.data_dir).close()
    width = page_any.viewport_size["width"]

    page_any.goto(voila_server.page_url("02_acknowledge_pain.ipynb", wb=name, who="a", lang="es"))
    spanish = steps_in("es")[2]
    page_any.get_by_text(spanish.exercise("what-happened").question).first.wait_for()
    assert_no_voila_error(page_any)
    exit_link = page_any.locator("#ht-exit")
    assert exit_link.inner_text().strip() == "Salida rápida ✕"
    assert page_any.evaluate("document.documentElement.lang") == "es"
    assert page_any.locator(".ht-footer").inner_text().count("En Estados Unidos") == 1
    assert page_any.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways"
    screenshot(page_any, f"spanish-step2-{device}")

    page_any.goto(voila_server.page_url("00_start.ipynb", wb=name, who="b"))
    page_any.locator(".ht-language").wait_for()
    assert page_any.locator("#ht-exit").inner_text().strip() == "Quick exit ✕"
    page_any.get_by_role("button", name="Español").click()
    page_any.wait_for_function("location.search.includes('lang=es')")
    assert page_any.locator("#ht-exit").inner_text().strip() == "Salida rápida ✕"
    book = workbook.open(name, data_dir=voila_server.data_dir)
    # b chose on the start page; a only visited a step page with ?lang=es (not kept there).
    assert (book.partner_lang("a"), book.partner_lang("b")) == (None, "es")
    book.close()
    assert page_any.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways"
    screenshot(page_any, f"spanish-start-chooser-{device}")
