"""A page whose kernel is gone says so, and opens again with its words still there to copy.

A page's kernel can go while the page is still on screen: the server stops it after a long
quiet spell (a phone asleep, a page left open overnight), or the server was started again.
It can also go before the page's scripts have connected, when a starved machine takes longer
than the quiet spell to run them (seen in the workshop load test in CI). Voila then showed
"Loading widget..." or dead boxes for ever, with no word of what happened.

Here, while words typed and not saved sit in a box, the page's connection drops (as a phone's
does when it sleeps) and its kernel is stopped meanwhile (the REST call Voila's own page makes
when it is left); then Voila connects again and finds no kernel. The page must say,
in its own language, that it can no longer save, that what was saved is kept, and that the
unsaved words are still there to copy; its button asks first (the words) and then opens the
page again, working.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    NOTEBOOKS,
    VoilaServer,
    assert_no_voila_error,
    dialogs_answered,
    free_port,
    new_workbook,
    running_voila,
    screenshot,
)

from workbook.i18n import translator
from workbook.page_words import CLOSED, CLOSED_BUTTON, CLOSED_UNSAVED
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

#: Stops this page's kernel the way the server does (Voila's "shutdown" request, with the
#: page's own _xsrf cookie); resolves to the answer's status.
STOP_MY_KERNEL = """async () => {
  const config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
  const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1] || "";
  const base = config.baseUrl.replace(/\\/?$/, "/");
  const answer = await fetch(base + "api/kernels/" + config.kernelId,
    {method: "DELETE", headers: {"X-XSRFToken": decodeURIComponent(xsrf)}});
  return answer.status;
}"""


@pytest.mark.parametrize(("device", "lang"), [("desktop", "en"), ("phone", "es")])
def test_a_page_whose_kernel_is_gone_says_so_and_opens_again(
    voila_server: VoilaServer, tab: Any, device: str, lang: str
) -> None:
    _ = translator(lang).gettext
    name = new_workbook(voila_server, f"closed-{device}", "Robin", "Kai")
    page = tab(device)
    sockets: list[Any] = []

    def through(ws: Any) -> None:
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), through)
    query = {"wb": name, "who": "a", **({"lang": lang} if lang != "en" else {})}
    page.goto(voila_server.page_url(PAGES[1], **query))
    words = page.get_by_role("textbox").first
    words.wait_for()
    note = page.locator("#ht-closed")
    assert note.count() == 0, "a working page shows no note"
    words.click()
    page.keyboard.type("words I have not saved yet")
    page.wait_for_timeout(300)

    assert page.evaluate(STOP_MY_KERNEL) == 204
    assert len(sockets) == 1
    sockets[0].close()  # the connection drops; Voila connects again, to no kernel
    note.wait_for(timeout=30_000)
    shown = note.inner_text()
    assert _(CLOSED) in shown
    assert _(CLOSED_UNSAVED) in shown, "the words typed and not saved are pointed to"
    if lang != "en":
        assert CLOSED not in shown, "no English left"
        assert CLOSED_BUTTON not in shown, "no English left"
    assert note.get_attribute("role") == "alert"
    # The words are still in their box to copy, and the quick exit is still on top.
    assert words.input_value() == "words I have not saved yet"
    page.locator("#ht-exit").click(trial=True)
    screenshot(page, f"closed-page-{device}-{lang}", full_page=False)

    with dialogs_answered(page, accept=True) as asked:  # "leave the page"
        page.get_by_role("button", name=_(CLOSED_BUTTON)).click()
        page.wait_for_load_state()
        page.get_by_role("textbox").first.wait_for()
    assert asked == ["beforeunload"], "the unsaved words were asked about first"
    # Opened again: a working page (its own new kernel), no note, nothing typed lost silently.
    assert page.locator("#ht-closed").count() == 0
    assert_no_voila_error(page)


@pytest.mark.parametrize("token_after", ["same token", "new token"])
def test_after_the_server_starts_again_the_page_says_so_and_opens_again(
    tmp_path: Path, tab: Any, token_after: str
) -> None:
    """A server stopped and started again on the same folder: the open page says it can no
    longer save. With the same token, opening it again works without the token in its address
    (the browser's login outlives the restart: before, every link led to "needs its whole
    link"); with a new token, the old login no longer lets anyone in."""
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    opts: dict[str, Any] = {"port": port, "preheat": False}
    page = tab("desktop")
    with running_voila(NOTEBOOKS, data, name="voila-restart", token="restart-8f2a", **opts) as one:
        name = new_workbook(one, "restarted", "Robin", "Kai")
        page.goto(one.page_url(PAGES[0], wb=name, who="a"))
        page.get_by_role("link", name=re.compile("Step 1: A safe space")).click()
        page.get_by_role("textbox").first.wait_for()
        assert "token=" not in page.url, "a page reached by a link has no token in its address"
    token = "restart-8f2a" if token_after == "same token" else "another-token-5c1d"
    with running_voila(NOTEBOOKS, data, name="voila-restart", token=token, **opts):
        page.locator("#ht-closed").wait_for(timeout=60_000)
        screenshot(page, f"closed-page-after-restart-{token_after.replace(' ', '-')}")
        page.get_by_role("button", name=CLOSED_BUTTON).click()
        if token_after == "same token":
            page.get_by_role("textbox").first.wait_for()
            assert page.locator("#ht-closed").count() == 0
            assert_no_voila_error(page)
        else:
            page.get_by_text("This page needs its whole link").wait_for()
