"""The served page in Chromium: project stylesheet on a phone and a laptop, kernel lifetime."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    VoilaServer,
    assert_no_voila_error,
    http_get,
    running_voila,
    screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

FORM_NOTEBOOK = [
    (
        "markdown",
        "# A calm tiny page\n\nA paragraph long enough to wrap on a phone, to see how body "
        "text reads with the project stylesheet: system fonts, 17 px, line height 1.6.",
    ),
    (
        "code",
        "import ipywidgets as w\n"
        "from workbook.request import request_query\n"
        "query = request_query()\n"
        "print('wb=' + query.get('wb', 'none'))\n"
        "w.VBox([\n"
        "    w.Text(description='Your name', placeholder='e.g. Sam'),\n"
        "    w.Textarea(description='What happened'),\n"
        "    w.IntSlider(description='Mood', min=1, max=10, value=5),\n"
        "    w.Dropdown(options=['Partner A', 'Partner B'], description='Who is writing'),\n"
        "    w.Checkbox(description='Keep this private'),\n"
        "    w.HBox([w.Button(description='Save', button_style='primary'),\n"
        "            w.Button(description='Cancel')]),\n"
        "])",
    ),
]

#: Computed-style facts the stylesheet promises (46rem at the 16px root = 736px).
STYLE_JS = """() => {
  const column = document.querySelector('#rendered_cells > div');
  const body = getComputedStyle(document.body);
  const buttons = [...document.querySelectorAll('.jupyter-button')];
  const input = document.querySelector('.widget-text input');
  return {
    fontSize: body.fontSize,
    lineHeight: body.lineHeight,
    fontFamily: body.fontFamily,
    background: body.backgroundColor,
    columnMaxWidth: getComputedStyle(column).maxWidth,
    columnWidth: column.getBoundingClientRect().width,
    columnLeft: column.getBoundingClientRect().left,
    buttonHeights: buttons.map(b => b.getBoundingClientRect().height),
    inputHeight: input.getBoundingClientRect().height,
    inputWidth: input.getBoundingClientRect().width,
    scrollWidth: Math.max(
      document.documentElement.scrollWidth,
      document.querySelector('#rendered_cells').scrollWidth),
    kernelId: JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId,
  };
}"""


#: The form server's idle time before a kernel with no page is stopped (production: 15 min).
CULL_IDLE_S = 15


@pytest.fixture(scope="module")
def form_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """Production settings except a 15 s idle time, so culling can be watched. (It was 3 s:
    with three test processes on two cores a page once took longer than that to connect to
    the kernel it was given, which was culled first.)"""
    folder = tmp_path_factory.mktemp("browser-notebooks")
    write_notebook(folder / "00_start.ipynb", FORM_NOTEBOOK)
    with running_voila(
        folder,
        tmp_path_factory.mktemp("browser-data"),
        name="voila-browser-serving",
        cull_idle_timeout=CULL_IDLE_S,
        cull_interval=1,
    ) as server:
        yield server


def _open(page: Any, server: VoilaServer, wb: str) -> dict[str, Any]:
    page.goto(server.page_url("00_start.ipynb", wb=wb, who="a"))
    page.get_by_role("button", name="Save").wait_for(state="visible")
    facts: dict[str, Any] = page.evaluate(STYLE_JS)
    return facts


def test_stylesheet_on_phone(form_server: VoilaServer, page_phone: Any) -> None:
    facts = _open(page_phone, form_server, "phone-couple")
    screenshot(page_phone, "serving-tiny-phone")
    assert_no_voila_error(page_phone)
    assert "wb=phone-couple" in page_phone.content()
    assert facts["fontSize"] == "17px"
    assert facts["lineHeight"] == "27.2px", "line-height should be 1.6"
    assert facts["fontFamily"].startswith("system-ui")
    assert facts["background"] == "rgb(246, 243, 238)", "soft neutral background"
    assert facts["scrollWidth"] <= 375, f"page wider than the phone: {facts['scrollWidth']}px"
    assert all(h >= 44 for h in facts["buttonHeights"]), f"small buttons: {facts}"
    assert facts["inputHeight"] >= 44
    assert facts["inputWidth"] >= 375 - 2 * 24, "inputs should use the phone's width"


def test_stylesheet_on_desktop(form_server: VoilaServer, page_desktop: Any) -> None:
    facts = _open(page_desktop, form_server, "desktop-couple")
    screenshot(page_desktop, "serving-tiny-desktop")
    assert_no_voila_error(page_desktop)
    assert facts["columnMaxWidth"] == "736px", "content column should be 46rem"
    assert facts["columnWidth"] == 736
    assert abs(facts["columnLeft"] - (1280 - 736) / 2) <= 1, "content column should be centred"
    assert facts["fontSize"] == "17px"
    assert all(h >= 44 for h in facts["buttonHeights"])


def _kernel_status(server: VoilaServer, kernel_id: str) -> int:
    return http_get(f"{server}/api/kernels/{kernel_id}")[0]


def _wait_for_status(server: VoilaServer, kernel_id: str, status: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    seen = _kernel_status(server, kernel_id)
    while seen != status and time.monotonic() < deadline:
        time.sleep(0.5)
        seen = _kernel_status(server, kernel_id)
    return seen


def test_open_page_keeps_its_kernel_and_closed_page_frees_it(
    form_server: VoilaServer, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    kernel_id = _open(page, form_server, "lifetime")["kernelId"]
    # Open and quiet for longer than the idle time: someone is thinking, keep it.
    time.sleep(CULL_IDLE_S + 3)
    assert _kernel_status(form_server, kernel_id) == 200, "an open page lost its kernel"
    page.get_by_label("Your name").fill("Sam")
    context.close()
    # Closing sends Voila's shutdown beacon; culling is the fallback when it is lost.
    assert _wait_for_status(form_server, kernel_id, 404, timeout=CULL_IDLE_S + 30) == 404, (
        "the kernel of a closed page is still running"
    )


def test_screenshot_helper_sees_whole_page(form_server: VoilaServer, page_phone: Any) -> None:
    _open(page_phone, form_server, "shot")
    path: Path = screenshot(page_phone, "serving-tiny-phone-full")
    assert path.stat().st_size > 10_000
    assert page_phone.viewport_size == {"width": 375, "height": 740}, "viewport not restored"
