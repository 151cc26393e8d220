"""Every control of every page is easy to hit on a phone, and every page is photographed.

At 375 CSS px, every visible link, button, select, tick box and fold title is at least 44 by 44
CSS px (the size of a fingertip; WCAG 2.5.5). Each page, and each screen of the start page, is
also saved at 1280 and at 375 px in tests/output/screenshots/ (``all-<page>-<device>.png``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from voila_harness import (
    FACILITATOR_TEST_KEY,
    VoilaServer,
    assert_no_voila_error,
    screenshot,
)

from workbook.serving import CELL_ERROR_MESSAGE
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

KEY = FACILITATOR_TEST_KEY
TOUCH = 44

#: Everything a finger may need to hit: links, buttons, selects, tick boxes (their label is
#: the target), radio choices, date fields and the folds of an accordion.
_TARGETS_JS = """() => {
  const selectors = [
    'a[href]', 'button', 'select', 'input[type=date]', '[role=button]',
    'label:has(> input[type=checkbox])', '.widget-radio-box label',
    '.jupyter-widget-Collapse-header',
  ];
  const seen = new Set();
  const out = [];
  for (const el of document.querySelectorAll(selectors.join(','))) {
    if (seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || r.width === 0
        || r.height === 0 || el.closest('[hidden], .lm-mod-hidden')) continue;
    out.push({
      what: (el.tagName + ' ' + (el.innerText || el.value || el.getAttribute('aria-label')
             || el.className || '')).trim().slice(0, 60),
      width: Math.round(r.width * 10) / 10,
      height: Math.round(r.height * 10) / 10,
    });
  }
  return out;
}"""


@pytest.fixture
def server(demo_server: VoilaServer) -> VoilaServer:
    """The browser tests' shared server: the demo couple and a facilitator key (KEY)."""
    return demo_server


def _small(page: Any) -> list[dict[str, Any]]:
    found = page.evaluate(_TARGETS_JS)
    assert found, "no controls found: the page did not load"
    return [c for c in found if c["width"] < TOUCH - 0.5 or c["height"] < TOUCH - 0.5]


def _ready(page: Any, url: str, text: str) -> None:
    page.goto(url)
    page.get_by_text(text).first.wait_for()
    page.wait_for_timeout(500)  # fonts and late widget styles
    html = page.content()
    assert_no_voila_error(html)
    assert CELL_ERROR_MESSAGE not in html


_FOLD_JS = """() => {
  const open = document.querySelector('.ht-accordion .jupyter-widget-Collapse-open');
  const header = open.querySelector('.jupyter-widget-Collapse-header');
  const body = open.querySelector('.jupyter-widget-Collapse-contents');
  const text = getComputedStyle(document.querySelector('.ht-p')).color;
  return {
    header: getComputedStyle(header).color, text,
    padding: parseFloat(getComputedStyle(body).paddingLeft),
    radius: parseFloat(getComputedStyle(body).borderBottomLeftRadius),
  };
}"""


def _open_first_fold(page: Any) -> None:
    """Step 5: open the first explainer; it reads like the other cards (padding, full ink)."""
    page.locator(".ht-accordion .jupyter-widget-Collapse-header").first.click()
    page.get_by_text("EFT sees a couple's fights").wait_for()
    looks = page.evaluate(_FOLD_JS)
    assert looks["header"] == looks["text"], f"the fold's title is greyed: {looks}"
    assert looks["padding"] >= 12, f"the explainer has no padding: {looks}"
    assert looks["radius"] >= 8, f"the explainer is not a card: {looks}"


#: (screenshot name, notebook, query, text to wait for, action after loading)
SCREENS: list[tuple[str, str, dict[str, str], str, str | None]] = [
    ("start-open", PAGES[0], {}, "Open your workbook", None),
    ("start-who", PAGES[0], {}, "Open your workbook", "open"),
    ("start", PAGES[0], {"wb": "demo", "who": "a"}, "Hello, Sam", None),
    *(
        (f"step{n}", PAGES[n], {"wb": "demo", "who": "a"}, "Writing as", "fold" if n == 5 else None)
        for n in range(1, 9)
    ),
    ("trends", PAGES["trends"], {"wb": "demo", "who": "a"}, "Writing as", "charts"),
    ("keep", PAGES["keep"], {"wb": "demo", "who": "a"}, "Writing as", None),
    ("facilitator", PAGES["facilitator"], {"key": KEY}, "Create couples", None),
    ("counsellor", PAGES["counsellor"], {"wb": "demo", "who": "a"}, "Do you both agree?", None),
    ("way-back", PAGES[3], {}, "Go to the start page", None),
]


@pytest.mark.parametrize(("name", "notebook", "query", "ready", "action"), SCREENS)
def test_every_control_is_44px_on_a_phone(
    server: VoilaServer,
    tab: Callable[[str], Any],
    name: str,
    notebook: str,
    query: dict[str, str],
    ready: str,
    action: str | None,
) -> None:
    for device in ("desktop", "phone"):
        page = tab(device)
        _ready(page, server.page_url(notebook, **query), ready)
        if action == "open":
            page.get_by_role("button", name="Open").click()
            page.get_by_text("On a shared device").wait_for()
            page.wait_for_timeout(300)
        elif action == "fold":
            _open_first_fold(page)
        elif action == "charts":
            page.wait_for_function("() => document.querySelectorAll('img.ht-chart').length === 5")
        screenshot(page, f"all-{name}-{device}")
        if device == "phone":
            small = _small(page)
            assert not small, f"{name}: controls smaller than {TOUCH} px on a phone: {small}"
