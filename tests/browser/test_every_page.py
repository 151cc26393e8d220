"""Every page of the app in Chromium, desktop and a 375 px phone: it shows no error and fits
the screen, its controls are easy to hit, it passes axe-core, and it is photographed.

- Every page a couple opens shows no error and nothing wider than the screen; the trends page
  draws its five charts, with text that names what they show, at a readable size.
- At 375 CSS px, every visible link, button, select, tick box and fold title is at least 44 by
  44 CSS px (the size of a fingertip; WCAG 2.5.5).
- axe-core finds no serious or critical accessibility violation on a phone.
- The quick exit is the first control reached with Tab, on screen and under a tap at the top
  and at the bottom of every page, and covers nothing a finger may want.
- Each page, and each screen of the start page, is saved at 1280 and at 375 px in
  tests/output/screenshots/ (``all-<page>-<device>.png``, and ``<notebook>-<device>.png``).

Each screen is opened once per device (the `shown` fixture) and every test of it looks at that
one page, the tests that change it (a click, a fold opened) last: a page costs the machine
about two CPU-seconds, and these checks once opened every page four times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_chart_readability import CHART_CSS_WIDTH
from voila_harness import (
    AXE,
    COUPLE_PAGES,
    DEVICES,
    FACILITATOR_TEST_KEY,
    VoilaServer,
    assert_no_voila_error,
    exit_is_under_a_tap,
    screenshot,
    scroll_to_bottom,
    scroll_to_top,
    under_the_exit,
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


@pytest.fixture(scope="module")
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
_BY_NAME = {screen[0]: screen for screen in SCREENS}
#: The screens of the pages a couple opens, as the demo couple's Sam (COUPLE_PAGES).
COUPLE_SCREENS = [
    name for name, notebook, query, _, _ in SCREENS if notebook in COUPLE_PAGES and query
]
assert {_BY_NAME[name][1] for name in COUPLE_SCREENS} == set(COUPLE_PAGES)


def _screens(names: list[str], devices: tuple[str, ...] = tuple(DEVICES)) -> Any:
    """Parametrize `shown` (indirectly, per module) over these screens on these devices."""
    cases = [(name, device) for name in names for device in devices]
    return pytest.mark.parametrize(
        "shown", cases, indirect=True, scope="module", ids=["-".join(case) for case in cases]
    )


@dataclass(frozen=True)
class Shown:
    """One screen open in the device's tab."""

    name: str
    notebook: str
    action: str | None
    device: str
    page: Any


@pytest.fixture(scope="module")
def shown(request: pytest.FixtureRequest, tabs: Any, server: VoilaServer) -> Iterator[Shown]:
    """The screen ``request.param`` (name, device) opened once in the device's shared tab; the
    tests of one screen run one after another (pytest groups them by this module parameter)."""
    name, device = request.param
    _, notebook, query, ready, action = _BY_NAME[name]
    page = tabs.get(device)
    _ready(page, server.page_url(notebook, **query), ready)
    yield Shown(name, notebook, action, device, page)
    tabs.reset(device)


@_screens(COUPLE_SCREENS)
def test_quick_exit_on_screen_everywhere_first_in_keyboard_order(shown: Shown) -> None:
    """The quick exit is the first control Tab reaches on the page as it opens (so this test
    runs first on each page), is on screen and what a tap at its centre hits at the top and
    at the bottom, and covers nothing a finger may want at any scroll position."""
    page, where = shown.page, f"{shown.notebook} ({shown.device})"
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement && document.activeElement.id")
    assert focused == "ht-exit", f"{where}: first Tab reached {focused!r}"
    assert exit_is_under_a_tap(page) == "", f"{where} at the top"
    assert under_the_exit(page) == [], f"{where}: the quick exit covers these"
    scrolled = scroll_to_bottom(page)
    page.wait_for_timeout(150)
    assert exit_is_under_a_tap(page) == "", f"{where} after scrolling to the bottom"
    assert scrolled > 0 or shown.notebook == PAGES[8], f"{where} did not scroll"
    scroll_to_top(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


@_screens(COUPLE_SCREENS)
def test_page_on_desktop_and_phone(shown: Shown) -> None:
    page, kind, notebook = shown.page, shown.device, shown.notebook
    # Nothing wider than the screen: no sideways scrolling on a phone.
    overflow = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.ht-page *')]"
        ".map(e => e.getBoundingClientRect().right)) - window.innerWidth"
    )
    assert overflow <= 2, f"{notebook} overflows the {kind} screen by {overflow}px"
    if notebook == PAGES["trends"]:
        # The charts are drawn after the page is usable and arrive as widget updates.
        page.wait_for_function(
            "() => document.querySelectorAll('img.ht-chart').length === 5", timeout=60_000
        )
        assert "could not be drawn" not in page.content()
        alts = page.eval_on_selector_all("img.ht-chart", "els => els.map(e => e.alt)")
        assert all(alt.count(":") >= 1 and len(alt) > 20 for alt in alts), alts
        # The chart text sizes of tests/test_chart_readability.py hold at these widths.
        widths = page.eval_on_selector_all(
            "img.ht-chart", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert min(widths) >= CHART_CSS_WIDTH[kind] - 0.5, (kind, widths)
    screenshot(page, f"{Path(notebook).stem}-{kind}")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}; run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


@_screens(COUPLE_SCREENS, ("phone",))
def test_accessibility_with_axe(shown: Shown, axe_source: str) -> None:
    page = shown.page
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(re.sub(r"\s+", " ", n["html"])[:120] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{shown.notebook}:\n" + "\n".join(bad)


@_screens([screen[0] for screen in SCREENS])
def test_every_control_is_44px_on_a_phone(shown: Shown) -> None:
    page, device, action = shown.page, shown.device, shown.action
    if action == "open":
        page.get_by_role("button", name="Open").click()
        page.get_by_text("On a shared device").wait_for()
        page.wait_for_timeout(300)
    elif action == "fold":
        _open_first_fold(page)
    elif action == "charts":
        page.wait_for_function("() => document.querySelectorAll('img.ht-chart').length === 5")
    screenshot(page, f"all-{shown.name}-{device}")
    if device == "phone":
        small = _small(page)
        assert not small, f"{shown.name}: controls smaller than {TOUCH} px on a phone: {small}"
