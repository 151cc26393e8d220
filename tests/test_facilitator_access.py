"""The facilitator page opens again after a reload or Back (its key left the address bar).

Once opened with ``?key=``, the page asks the browser (through the page script's sitting
bridge) to keep a session cookie holding a digest of the key; the kernel of a page opened
without the key lets that cookie in, and nothing else does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from widget_utils import html_of

from workbook import request
from workbook.ui import facilitator
from workbook.ui.facilitator_access import PAGE_COOKIE, keep_opened, opened_with

KEY = "room-key-123"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> pytest.MonkeyPatch:
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", KEY)
    monkeypatch.setattr(request, "_cookies", None)
    return monkeypatch


def _cookie_asked(page: object) -> str | None:
    found = re.search(
        rf"data-op='set' data-name='{PAGE_COOKIE}' data-value='([0-9a-f]+)'", html_of(page)
    )
    return found.group(1) if found else None


def test_opened_with_the_key_the_page_asks_for_a_cookie_that_then_opens_it(
    served: pytest.MonkeyPatch,
) -> None:
    served.setenv("QUERY_STRING", f"key={KEY}")
    served.delenv("HTTP_COOKIE", raising=False)
    page = facilitator.facilitator_page()
    assert isinstance(page, facilitator.FacilitatorDashboard)
    kept = _cookie_asked(page)
    assert kept is not None, "the page asks the browser to keep its cookie"
    assert KEY not in kept, "the cookie holds a digest, never the key"

    # A reload: the address has no key now; the browser sends the cookie.
    served.setattr(request, "_cookies", None)
    served.setenv("QUERY_STRING", "")
    served.setenv("HTTP_COOKIE", f"{PAGE_COOKIE}={kept}; _xsrf=abc")
    again = facilitator.facilitator_page()
    assert isinstance(again, facilitator.FacilitatorDashboard)
    assert _cookie_asked(again) is None, "nothing new to keep"


@pytest.mark.parametrize(
    ("cookie", "server_key"),
    [
        ("0" * 64, KEY),  # a made-up value
        (KEY, KEY),  # the key itself is not what the cookie holds
        ("from-another-key", "another-key"),  # the server's key changed
    ],
)
def test_any_other_cookie_leaves_the_page_locked(
    served: pytest.MonkeyPatch, cookie: str, server_key: str
) -> None:
    if cookie == "from-another-key":
        cookie = str(_cookie_asked(keep_opened(KEY)))
    served.setenv("WORKBOOK_FACILITATOR_KEY", server_key)
    served.setenv("QUERY_STRING", "")
    served.setenv("HTTP_COOKIE", f"{PAGE_COOKIE}={cookie}")
    locked = facilitator.facilitator_page()
    assert not isinstance(locked, facilitator.FacilitatorDashboard)
    assert "the one the server printed when it started" in html_of(locked)


def test_without_a_key_on_the_server_nothing_opens_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WORKBOOK_FACILITATOR_KEY", raising=False)
    digest = str(_cookie_asked(keep_opened("")))
    assert opened_with({"key": ""}, {PAGE_COOKIE: digest}) is None
    assert opened_with({}, {}) is None


def test_the_page_shows_the_room_the_address_the_couples_open(
    served: pytest.MonkeyPatch, data_dir: Path
) -> None:
    served.setenv("QUERY_STRING", f"key={KEY}&lang=es")
    served.setenv("WORKBOOK_ROOM_ADDRESS", "http://192.168.1.20:8866/?token=t<o>k")
    page = facilitator.facilitator_page()
    shown = html_of(page)
    assert "La dirección para la sala" in shown
    assert "<code>http://192.168.1.20:8866/?token=t&lt;o&gt;k</code>" in shown, "escaped"
    assert KEY not in shown, "never the facilitator key"
    served.delenv("WORKBOOK_ROOM_ADDRESS")
    served.setattr(request, "_cookies", None)
    assert "La dirección para la sala" not in html_of(facilitator.facilitator_page())


@pytest.mark.parametrize(
    ("lang", "line", "button", "href"),
    [
        (None, "Here for your own workbook?", "Go to the start page", "./00_start.ipynb"),
        (
            "es",
            "¿Vienes por tu propio cuaderno?",
            "Ir a la página de inicio",
            "./00_start.ipynb?lang=es",
        ),
    ],
)
def test_a_partner_who_lands_on_the_locked_page_is_shown_the_way_to_the_start_page(
    lang: str | None, line: str, button: str, href: str
) -> None:
    shown = html_of(facilitator.locked_panel(lang))
    assert line in shown
    link = re.search(r"<a class='ht-link-button' href='([^']+)'>([^<]+)</a>", shown)
    assert link is not None, shown
    assert link.groups() == (href, button)
