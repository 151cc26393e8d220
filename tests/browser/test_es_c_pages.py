"""Issue 21, part c, in Chromium on a desktop and a 375-pixel phone: a Spanish partner's start
page (its intro and the question of the day) and step 8 read in Spanish and fit the width."""

from __future__ import annotations

from typing import Any

import pytest
from english import english_left
from voila_harness import VoilaServer, assert_no_voila_error, screenshot

import workbook
from workbook import i18n

pytestmark = pytest.mark.browser

es = i18n.translator("es").gettext


def _shown(page: Any, selector: str) -> list[str]:
    text = "\n".join(page.locator(selector).all_inner_texts())
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_a_spanish_start_page_and_step_8_fit_and_read_in_spanish(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = f"es-c-{device}"
    if not (voila_server.data_dir / f"{name}.workbook.sqlite3").exists():
        workbook.create(name, "Sam", "Alex", data_dir=voila_server.data_dir).close()
    width = page_any.viewport_size["width"]
    names = ["Sam", "Alex", name, "Healing Together"]

    page_any.goto(voila_server.page_url("00_start.ipynb", wb=name, who="a", lang="es"))
    page_any.get_by_text("Toda pareja atraviesa temporadas de dolor", exact=False).wait_for()
    page_any.locator(".ht-daily").wait_for()
    assert_no_voila_error(page_any)
    assert english_left(_shown(page_any, ".ht-intro"), allowed=names) == []
    assert es("Question of the day") in page_any.locator(".ht-daily").inner_text()
    assert page_any.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways"
    screenshot(page_any, f"es-c-start-{device}")

    page_any.goto(voila_server.page_url("08_walk_away.ipynb", wb=name, who="a", lang="es"))
    page_any.locator(".ht-safety").wait_for()
    assert_no_voila_error(page_any)
    assert page_any.locator(".ht-intro").inner_text().strip() == "Paso 8: Cuándo alejarse"
    # The longer Spanish title still leaves the first hotline on the first screen.
    first = page_any.evaluate(
        """() => {
          const c = document.querySelector('#rendered_cells');
          if (c) c.scrollTop = 0;
          const a = document.querySelector("a[href^='tel:'], a[href^='sms:']");
          const r = a.getBoundingClientRect();
          return {href: a.getAttribute('href'), bottom: r.bottom, height: window.innerHeight};
        }"""
    )
    assert first["href"] == "tel:911", first
    assert first["bottom"] <= first["height"], f"the first hotline is below the screen: {first}"
    screenshot(page_any, f"es-c-step8-first-screen-{device}", full_page=False)
    own = [".ht-help-first", ".ht-safety", ".ht-no-trace"]
    assert english_left([t for s in own for t in _shown(page_any, s)], allowed=["START"]) == []
    page_any.get_by_text(es("I feel unsafe going home.")).click()
    page_any.get_by_role("button", name=es("Check")).click()
    page_any.locator(".ht-safety-yes").wait_for()
    assert page_any.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways"
    screenshot(page_any, f"es-c-step8-{device}")
