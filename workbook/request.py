"""The page's request, read in the page's kernel: its query string and this app's cookies.

The one kernel-side module that reads the request (the widgets call `request_query` and
`request_cookies`). In a preheated Voila kernel the kernel starts before anyone asks for the
page, so both first wait for the request (`wait_for_request`). Needs only ``websockets``: never
import Voila or Jupyter Server here (every page's kernel imports this module).
"""

from __future__ import annotations

import json
import os
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from .settings import DEFAULT_HOST, DEFAULT_PORT, QUERY_TOKEN


def served_by_voila() -> bool:
    """True in a kernel that Voila started for a page (preheated or not)."""
    return "VOILA_PREHEAT" in os.environ or "VOILA_BASE_URL" in os.environ


_request_received = False


def wait_for_request(timeout: float | None = None) -> None:
    """In a preheated Voila kernel, wait for the page request and put it in ``os.environ``.

    A light stand-in for ``voila.utils.wait_for_request`` (same protocol): importing
    ``voila.utils`` pulls in Jupyter Server and costs about 2 s of CPU and 80 MB in every
    kernel, while this needs only ``websockets``. Returns at once when the kernel was not
    preheated (``QUERY_STRING`` is then already set) or when not running under Voila.
    """
    global _request_received
    if _request_received or os.environ.get("VOILA_PREHEAT", "False") != "True":
        return
    from websockets.sync.client import connect

    host = os.environ.get("VOILA_APP_IP", DEFAULT_HOST)
    if ":" in host:
        host = f"[{host}]"
    port = os.environ.get("VOILA_APP_PORT", str(DEFAULT_PORT))
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    kernel_id = os.environ["VOILA_KERNEL_ID"]
    url = (
        f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{host}:{port}{base}voila/query/{kernel_id}"
    )
    # The query route needs the server's token like every other route (see workbook.voila_app).
    token = QUERY_TOKEN.read()
    headers = {"Authorization": f"token {token}"} if token else None
    # proxy=None: the server is on this machine; never route through an HTTP(S)_PROXY.
    with connect(url, open_timeout=10, proxy=None, additional_headers=headers) as socket_:
        message = socket_.recv(timeout=timeout)
    for key, value in json.loads(message).items():
        os.environ[key] = str(value)
    # Voila sends the request once: a second wait would never end.
    _request_received = True


#: Only cookies whose name starts with this reach the page; the rest are dropped at once.
COOKIE_PREFIX = "ht_"
_cookies: dict[str, str] | None = None


def request_cookies() -> dict[str, str]:
    """This app's cookies from the page request (names starting with ``ht_``).

    Waits for the request first (see `wait_for_request`). The whole ``Cookie`` header (which
    may hold a server's login cookies) is removed from the kernel's environment once read;
    only this app's own cookies are kept, in memory. Empty outside Voila.
    """
    global _cookies
    if _cookies is None:
        wait_for_request()
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(os.environ.pop("HTTP_COOKIE", ""))
        except CookieError:
            jar = SimpleCookie()
        _cookies = {k: m.value for k, m in jar.items() if k.startswith(COOKIE_PREFIX)}
    return dict(_cookies)


def request_query() -> dict[str, str]:
    """The page URL's query (``?wb=name&who=a`` -> ``{"wb": "name", "who": "a"}``).

    Waits for the request first (see `wait_for_request`); the first value of a repeated
    key wins; the server's ``token`` is left out so that no page can show it. Empty outside
    Voila. The values come from the visitor: validate them.
    """
    wait_for_request()
    parsed = parse_qs(os.environ.get("QUERY_STRING", ""), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items() if key != "token"}


def served_folder_url() -> str | None:
    """The address of the folder the page's notebook is served from, as the browser asked
    for it (``http://host:port/voila/render/``), without its query (so without any token);
    None outside Voila. Waits for the request first (see `wait_for_request`).

    The scheme is http: behind an https proxy (a hub) the page lets the person correct it.
    """
    if not served_by_voila():
        return None
    wait_for_request()
    host = os.environ.get("SERVER_NAME", "")
    script = os.environ.get("SCRIPT_NAME", "")
    if not host or "/" not in script:
        return None
    port = os.environ.get("SERVER_PORT", "")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}{':' + port if port else ''}{script.rsplit('/', 1)[0]}/"
