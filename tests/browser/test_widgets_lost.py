"""A page whose widgets could not be fetched from its kernel opens again by itself, once.

Seen once in the workshop load test: on a starved machine a phone's page showed only
ipywidgets' "Error displaying widget: model not found" and stayed like that, its kernel
alive. Here the page's widget manager is made to fetch nothing from the kernel (its
`_loadFromKernel`, in the script the browser gets), which leaves the page in that state.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from voila_harness import VoilaServer, new_workbook

from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

#: The start of ipywidgets' `_loadFromKernel` in jupyterlab_widgets' built script, and the
#: same made to return at once (the manager then counts as restored, with no widgets).
FETCHES = "async _loadFromKernel(){let e,t;try{"
FETCHES_NOTHING = "async _loadFromKernel(){return;let e,t;try{"


def _widget_scripts(page: Any, broken_loads: int) -> list[bool]:
    """Serve the page's widget manager script broken for its first ``broken_loads`` loads;
    the list notes, for each load, whether it was broken."""
    served: list[bool] = []

    def serve(route: Any) -> None:
        answer = route.fetch()
        body = answer.text()
        if FETCHES not in body:
            route.fulfill(response=answer)
            return
        broken = len(served) < broken_loads
        served.append(broken)
        route.fulfill(
            response=answer, body=body.replace(FETCHES, FETCHES_NOTHING) if broken else body
        )

    # (Routing also turns the browser's cache off, so every load asks for the script.)
    page.route(re.compile(r"/jupyterlab-manager/static/[^/]+\.js"), serve)
    return served


def _shown_again_mark(page: Any) -> Any:
    return page.evaluate("() => sessionStorage.getItem('ht-shown-again')")


def _step_1(server: VoilaServer, tab: Any, name: str, broken_loads: int) -> tuple[Any, list[bool]]:
    """A phone opening step 1 of a new workbook ``name``, its widget script broken for its
    first ``broken_loads`` loads; the tab and the list of loads (`_widget_scripts`)."""
    new_workbook(server, name, "Robin", "Kai")
    page = tab("phone")
    served = _widget_scripts(page, broken_loads)
    page.goto(server.page_url(PAGES[1], wb=name, who="a"))
    return page, served


def test_a_page_whose_widgets_were_not_fetched_opens_again_by_itself(
    voila_server: VoilaServer, tab: Any
) -> None:
    page, served = _step_1(voila_server, tab, "widgets-lost", broken_loads=1)
    page.get_by_text("Writing as").first.wait_for(timeout=60_000)
    assert served == [True, False], f"the page did not open again by itself: {served}"
    page.get_by_label("I feel…").wait_for()
    assert page.get_by_text("Error displaying widget").count() == 0
    # The mark that it tried goes once a page shows (no trace left in the tab).
    page.wait_for_function("() => sessionStorage.getItem('ht-shown-again') === null")


def test_a_page_that_keeps_failing_opens_again_once_not_for_ever(
    voila_server: VoilaServer, tab: Any
) -> None:
    page, served = _step_1(voila_server, tab, "widgets-lost-again", broken_loads=100)
    lost = page.get_by_text("Error displaying widget: model not found")
    lost.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    lost.wait_for(timeout=60_000)
    page.wait_for_timeout(5000)  # no third load
    assert served == [True, True], served
    assert _shown_again_mark(page) is not None
