"""What a couple and a facilitator read fits the page: the facilitator's table and its Create
button, "Correct or delete one of mine" on a phone, and the crisis numbers on step 8 (issue
22, item 7). Screenshots at 1280 and 375 px go to tests/output/screenshots/layout-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import DEVICES, VoilaServer, assert_no_voila_error, running_voila, screenshot

from workbook.demo import write_demo
from workbook.settings import FACILITATOR_KEY
from workbook.ui.base import PAGES
from workbook.workshop import create_couples

pytestmark = pytest.mark.browser

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
KEY = "facilitator-key-for-layout-tests"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """Voila with the demo couple, twelve workshop couples and a facilitator key."""
    data_dir = tmp_path_factory.mktemp("layout-data")
    write_demo(data_dir=data_dir).close()
    create_couples(data_dir, 12, "couple-from-the-thursday-group")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(FACILITATOR_KEY.name, KEY)
        with running_voila(
            NOTEBOOKS_DIR, data_dir, name="voila-layout", preheat=False, cull_idle_timeout=30
        ) as running:
            yield running


def _open(browser: Any, device: str, url: str, text: str) -> tuple[Any, Any]:
    context = browser.new_context(**DEVICES[device])
    context.set_default_timeout(90_000)
    page = context.new_page()
    page.goto(url)
    page.get_by_text(text).first.wait_for()
    page.wait_for_timeout(500)  # fonts and late widget styles
    assert_no_voila_error(page.content())
    return context, page


_OVERFLOW_JS = """() => {
  const cells = document.querySelector('#rendered_cells') || document.documentElement;
  return {page: document.documentElement.scrollWidth - window.innerWidth,
          cells: cells.scrollWidth - cells.clientWidth};
}"""

_TABLE_JS = """() => {
  const wrap = document.querySelector('.ht-table-wrap');
  const card = wrap.closest('.ht-card');
  const table = wrap.querySelector('table');
  return {sideways: wrap.scrollWidth - wrap.clientWidth,
          table: table.getBoundingClientRect().width,
          card: card.getBoundingClientRect().width};
}"""

_CREATE_JS = """() => {
  const card = [...document.querySelectorAll('.ht-card')]
    .find(c => c.innerText.includes('How many couples'));
  const box = sel => card.querySelector(sel).getBoundingClientRect();
  const b = box('button'), count = box('input[type=number]'), prefix = box('input[type=text]');
  return {button: [b.left, b.right], count: [count.left, count.right],
          prefix: [prefix.left, prefix.right]};
}"""


@pytest.mark.parametrize("device", list(DEVICES))
def test_the_facilitators_table_and_create_button_fit_their_card(
    server: VoilaServer, browser: Any, device: str
) -> None:
    url = server.page_url(PAGES["facilitator"], key=KEY)
    context, page = _open(browser, device, url, "Create couples")
    try:
        # The key leaves the address bar once the page is open (a projector shows it).
        assert "key=" not in page.url, page.url
        assert "token=" in page.url or server.token is None, "the rest of the address stays"
        screenshot(page, f"layout-facilitator-{device}")
        table = page.evaluate(_TABLE_JS)
        assert table["sideways"] <= 1, f"the progress table scrolls sideways: {table}"
        assert table["table"] <= table["card"], table
        overflow = page.evaluate(_OVERFLOW_JS)
        assert overflow["page"] <= 0, f"the page scrolls sideways: {overflow}"
        assert overflow["cells"] <= 0, f"the page scrolls sideways: {overflow}"
        create = page.evaluate(_CREATE_JS)
        for field in ("count", "prefix"):
            for edge in (0, 1):
                gap = abs(create["button"][edge] - create[field][edge])
                assert gap <= 1, f"the Create button is narrower than its fields: {create}"
    finally:
        context.close()


#: The lines the button's words fall on: their widths, left to right, top to bottom.
_OPENER_JS = """() => {
  const b = [...document.querySelectorAll('button')]
    .find(x => x.innerText.includes('Correct or delete one of mine'));
  const r = b.getBoundingClientRect();
  const text = [...b.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  const lines = {};
  for (const rect of range.getClientRects()) {
    const top = Math.round(rect.top);
    lines[top] = (lines[top] || 0) + rect.width;
  }
  return {width: r.width, height: r.height, clipped: b.scrollWidth - b.clientWidth,
          lines: Object.keys(lines).sort((x, y) => x - y).map(t => lines[t])};
}"""


def test_correct_or_delete_reads_whole_on_a_phone(server: VoilaServer, browser: Any) -> None:
    url = server.page_url(PAGES[1], wb="demo", who="a")
    context, page = _open(browser, "phone", url, "Writing as")
    try:
        opener = page.get_by_role("button", name="Correct or delete one of mine").first
        opener.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        screenshot(page, "layout-corrections-phone")
        got = page.evaluate(_OPENER_JS)
        assert got["clipped"] <= 0, f"the button's words are cut off: {got}"
        assert got["height"] >= 44, got
        # One line, or two even ones: never "mine" left alone on the second.
        lines = got["lines"]
        assert len(lines) <= 2, f"the words wrap badly: {got}"
        assert min(lines) >= 0.4 * max(lines), f"the words wrap badly: {got}"
    finally:
        context.close()


_CRISIS_JS = """() => {
  const items = [...document.querySelectorAll('.ht-resources li')];
  const gaps = items.map(li => parseFloat(getComputedStyle(li).lineHeight));
  const calls = [...document.querySelectorAll('.ht-resources a.ht-call')]
    .map(a => a.getBoundingClientRect());
  return {lineHeights: gaps, calls: calls.map(r => ({top: r.top, h: r.height, w: r.width}))};
}"""


@pytest.mark.parametrize("device", list(DEVICES))
def test_the_crisis_numbers_read_as_a_list_not_spread_out(
    server: VoilaServer, browser: Any, device: str
) -> None:
    url = server.page_url(PAGES[8], wb="demo", who="a")
    context, page = _open(browser, device, url, "Writing as")
    try:
        screenshot(page, f"layout-crisis-{device}", full_page=False)
        got = page.evaluate(_CRISIS_JS)
        assert got["calls"], "no crisis numbers found"
        # Prose lines at prose spacing (not 44-45 px apart); the numbers stay 44 px targets.
        assert max(got["lineHeights"]) <= 30, f"the crisis lines are spread out: {got}"
        assert min(c["h"] for c in got["calls"]) >= 44, got
    finally:
        context.close()
