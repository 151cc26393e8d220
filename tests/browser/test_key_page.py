"""An address without its key: the app's own calm page, in a real browser, on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from voila_harness import VoilaServer, running_voila, screenshot, write_notebook

from workbook.serving import generate_token

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    folder = tmp_path_factory.mktemp("key-notebooks")
    write_notebook(folder / "00_start.ipynb", [("markdown", "# Opened with the key")])
    with running_voila(
        folder,
        tmp_path_factory.mktemp("key-data"),
        name="voila-key-page",
        token=generate_token(),
        preheat=False,
    ) as server:
        yield server


def test_a_link_without_its_key_asks_calmly_and_the_key_opens_it(
    keyed_server: VoilaServer, page_phone: Any
) -> None:
    page = page_phone
    page.goto(f"{keyed_server}/voila/render/00_start.ipynb?wb=ours")
    page.get_by_role("heading", name="This page needs its whole link").wait_for()
    assert page.locator("a.exit").is_visible(), "the quick exit is there too"
    screenshot(page, "key-page-phone")
    page.get_by_label("Key").fill("not the key")
    page.get_by_role("button", name="Open the workbook").click()
    page.get_by_role("alert").wait_for()
    assert "That key did not open the workbook" in page.get_by_role("alert").inner_text()
    # A browser sends the form with an Origin header; Jupyter refuses a POST whose origin is
    # "null" (a no-referrer page), so this is the part only a real browser shows.
    assert keyed_server.token
    page.get_by_label("Key").fill(keyed_server.token)
    page.get_by_role("button", name="Open the workbook").click()
    page.get_by_role("heading", name="Opened with the key").wait_for(timeout=60_000)
    assert "wb=ours" in page.url
    assert "Blocking Cross Origin" not in keyed_server.log_text()


def test_the_key_page_names_no_file() -> None:
    """The page is the app's own: its words say nothing of Jupyter or of the notebook."""
    from workbook.server_pages import KEY_NEEDED_PAGE

    asked, exit_url = "/voila/render/08_walk_away.ipynb", "https://example.org/"
    html = KEY_NEEDED_PAGE.render(xsrf="", next=asked, refused=False, exit_url=exit_url)
    assert "Jupyter" not in html
    assert "https://example.org/" in html
