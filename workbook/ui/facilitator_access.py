"""Who may open the facilitator's page: the key in the address, or this browser session's cookie.

See `workbook.ui.facilitator`: the key leaves the address bar once the page is open, and the
cookie, set by the page's script at the kernel's request, opens the page again after a reload
or Back. The cookie holds a digest of the key, never the key.
"""

from __future__ import annotations

import hashlib
import hmac

import ipywidgets as widgets

from .. import settings
from ..exit_sittings import SITTING_PREFIX
from ..markup import html

#: The cookie that opens the page again after a reload or Back (named like the sittings, so
#: the quick exit forgets it with them; the exit beacon's server side ignores its name).
PAGE_COOKIE = f"{SITTING_PREFIX}facilitator"


def _page_pass(key: str) -> str:
    """What the cookie holds: a digest of the key (the key itself never sits in a browser)."""
    return hmac.new(key.encode(), b"healing-together facilitator page", hashlib.sha256).hexdigest()


def opened_with(query: dict[str, str], cookies: dict[str, str]) -> str | None:
    """Return "key" when the address carries the facilitator key, "cookie" when the browser holds
    this server's page cookie, None when neither (or no key is set on the server)."""
    expected = settings.FACILITATOR_KEY.read()
    if not expected:
        return None
    if hmac.compare_digest(query.get("key", "").encode(), expected.encode()):
        return "key"
    kept = cookies.get(PAGE_COOKIE, "")
    if hmac.compare_digest(kept.encode(), _page_pass(expected).encode()):
        return "cookie"
    return None


def keep_opened(key: str) -> widgets.HTML:
    """A hidden instruction to the page's script (static/healing.js, part 3): keep the page's
    cookie for this browser session."""
    bridge = widgets.HTML(
        str(
            html(
                "<span class='ht-sitting' data-op='set' data-name='{}' data-value='{}' "
                "data-n='facilitator'></span>",
                PAGE_COOKIE,
                _page_pass(key),
            )
        ),
        layout=widgets.Layout(display="none"),
    )
    bridge.add_class("ht-sitting-bridge")
    return bridge
