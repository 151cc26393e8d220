"""Every page in Spanish, from an empty workbook, on desktop and a 375 px phone: no English
left, including the messages reached by pressing Save with nothing typed (issue 21).

What the page shows is read as a person reads it (``innerText``, placeholders, tooltips and
labels for screen readers) and given to `english_left` (tests/english.py). Charts are images:
their words are checked by the chart tests. Screenshots: ``es-<page>-<device>.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from english import english_left
from voila_harness import (
    FACILITATOR_TEST_KEY,
    VoilaServer,
    assert_no_voila_error,
    new_workbook,
    screenshot,
)

from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

#: Names, the same in every language: the partners, the app, a hotline's text keyword, a
#: journal's title, a command and a setting.
NAMES = [
    "Sam",
    "Alex",
    "Healing Together",
    "START",
    "Journal of Family Psychology",
    "workbook report",
    "WORKBOOK_FACILITATOR_KEY",
]

#: What a person reads: the text, and the words only tooltips and screen readers say.
_SHOWN_JS = """() => {
  const root = document.querySelector('#rendered_cells') || document.body;
  const lines = root.innerText.split('\\n');
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    if (!el.getClientRects().length) continue;
    for (const a of ['placeholder', 'title', 'aria-label']) {
      const v = el.getAttribute(a);
      if (v) lines.push(v);
    }
  }
  const exit = document.querySelector('#ht-exit');
  if (exit) lines.push(exit.innerText);
  return lines.map(l => l.trim()).filter(l => l);
}"""

_STILL_JS = """() => {
  const t = (document.querySelector('#rendered_cells') || document.body).innerText;
  const same = window.__htLast === t;
  window.__htLast = t;
  return same && document.querySelectorAll('#rendered_cells .jupyter-widgets').length > 0;
}"""


def _settled(page: Any) -> None:
    """Wait until the page's widgets are there and its text stops changing (polled 0.5 s)."""
    page.wait_for_function(_STILL_JS, polling=500, timeout=120_000)


def _shown(page: Any) -> list[str]:
    return list(page.evaluate(_SHOWN_JS))


def _press_every_save(page: Any) -> int:
    """Press each visible Save button once with nothing typed; how many were pressed."""
    buttons = page.get_by_role("button", name="Guardar")
    pressed = 0
    for i in range(buttons.count()):
        b = buttons.nth(i)
        if b.is_visible() and b.is_enabled():
            b.click()
            pressed += 1
            page.wait_for_timeout(400)
    if pressed:
        _settled(page)
    return pressed


def _pages(name: str) -> list[tuple[str, str, dict[str, str]]]:
    couple = {"wb": name, "who": "a", "lang": "es"}
    return [
        ("start-new", PAGES[0], {"lang": "es"}),
        ("way-back", PAGES[3], {"lang": "es"}),
        ("start", PAGES[0], couple),
        *((f"step{n}", PAGES[n], couple) for n in range(1, 9)),
        ("trends", PAGES["trends"], couple),
        ("keep", PAGES["keep"], couple),
        ("counsellor", PAGES["counsellor"], couple),
        ("facilitator", PAGES["facilitator"], {"key": FACILITATOR_TEST_KEY, "lang": "es"}),
    ]


def test_every_page_in_spanish_has_no_english_left(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = f"es-everywhere-{device}"
    if not (voila_server.data_dir / f"{name}.workbook.sqlite3").exists():
        new_workbook(voila_server, name, "Sam", "Alex")
    width = page_any.viewport_size["width"]
    left: dict[str, list[str]] = {}
    for label, notebook, query in _pages(name):
        page_any.goto(voila_server.page_url(notebook, **query))
        _settled(page_any)
        assert_no_voila_error(page_any)
        assert page_any.evaluate("document.documentElement.lang") == "es", label
        found = english_left(_shown(page_any), allowed=NAMES)
        if label != "facilitator":  # its Save buttons make couples; "Crear" is pressed elsewhere
            _press_every_save(page_any)
            found += english_left(_shown(page_any), allowed=NAMES)
        if found:
            left[label] = sorted(set(found))
        overflow = page_any.evaluate("document.documentElement.scrollWidth") - width
        assert overflow <= 1, f"{label}: {overflow}px sideways on {device}"
        screenshot(page_any, f"es-{label}-{device}")
    assert not left, "English left on Spanish pages:\n" + "\n".join(
        f"{page}: {lines}" for page, lines in left.items()
    )
    assert Path(voila_server.data_dir / f"{name}.workbook.sqlite3").exists()
