"""Hostile visitors against a real server: the kernel websocket, and the token on every route.

Each test starts its own small server (a few seconds): one that freezes must not take the
others down with it.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil
import pytest
from voila_harness import (
    VoilaServer,
    free_port,
    http_get,
    running_voila,
    wait_until,
    write_notebook,
)
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from workbook.exit_sittings import cookie_name
from workbook.kernel_guard import KERNEL_WS_PROTOCOL, v1_frame_offsets
from workbook.serving import generate_token
from workbook.store import create

pytestmark = pytest.mark.voila


def book_rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return [tuple(row) for row in con.execute(sql)]
    finally:
        con.close()


def on_disk(path: Path) -> bytes:
    """The workbook's file, its WAL and its shared-memory index."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


WIDGET_PAGE = [
    ("markdown", "# Guard test page"),
    ("code", "import ipywidgets\nipywidgets.IntSlider(value=3)"),
]
QUERY_PAGE = [
    (
        "code",
        "from workbook.request import request_query\n"
        "print('wb=' + request_query().get('wb', 'none'))",
    ),
]


@pytest.fixture(scope="module")
def guard_notebooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("guard-notebooks")
    write_notebook(folder / "00_start.ipynb", QUERY_PAGE)
    write_notebook(folder / "widgets.ipynb", WIDGET_PAGE)
    return folder


def _guard_server(notebooks: Path, data: Path) -> contextlib.AbstractContextManager[VoilaServer]:
    """A server with a token and without preheated kernels (one kernel per page view)."""
    return running_voila(
        notebooks, data, name="voila-test-guards", token=generate_token(), preheat=False
    )


@pytest.fixture
def server(guard_notebooks: Path, tmp_path: Path) -> Iterator[VoilaServer]:
    """A fresh guarded server, for the tests that read its whole log or its memory."""
    with _guard_server(guard_notebooks, tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def shared_server(
    guard_notebooks: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[VoilaServer]:
    """One guarded server for the tests that each open a page of their own and check only it."""
    with _guard_server(guard_notebooks, tmp_path_factory.mktemp("guard-data")) as running:
        yield running


def test_the_exit_beacon_ends_a_sitting_without_the_token(shared_server: VoilaServer) -> None:
    """healing.js's beacon on the quick exit (workbook/exit_sittings.py) reaches the server
    with no token and no XSRF value, ends the sitting its cookie names, and logs no secret."""
    book = create("beacon-book", "River", "Sky", data_dir=shared_server.data_dir)
    try:
        book.set_passphrase("a", "blue kettle on a quiet morning")
        book.unlock("a", "blue kettle on a quiet morning")
        token = book.open_sitting("a")
        body = urlencode({cookie_name(book.name, "a"): token}).encode()
        request = urllib.request.Request(f"{shared_server}/ht/exit", data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 204
        assert not book.resume_sitting("a", token), "the beacon left the sitting open"
    finally:
        book.close()
    assert token.split(".")[1] not in shared_server.log_text()


def _post_beacon(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=120) as response:
        return int(response.status)


def test_a_beacon_waiting_for_a_reader_holds_up_no_other_request(
    shared_server: VoilaServer,
) -> None:
    """The beacon's scrub waits while another page is reading the workbook (up to half a
    minute, `exit_sittings.SCRUB_PATIENCE_S`). It waits in a thread: the server answers
    everyone else meanwhile, and scrubs once the read is over."""
    book = create("beacon-waits", "River", "Sky", data_dir=shared_server.data_dir)
    reader = sqlite3.connect(book.path, isolation_level=None)
    try:
        book.set_passphrase("a", "blue kettle on a quiet morning")
        token = book.open_sitting("a")
        [(wrapped,)] = book_rows(book.path, "SELECT wrapped FROM sittings")
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM sittings").fetchone()  # another page, reading
        body = urlencode({cookie_name(book.name, "a"): token}).encode()
        with ThreadPoolExecutor(1) as pool:
            beacon = pool.submit(_post_beacon, f"{shared_server}/ht/exit", body)
            assert wait_until(lambda: not book.sitting_alive("a", token), 60), "not ended"
            status, _ = http_get(f"{shared_server}/login", timeout=10)
            assert status == 200
            assert not beacon.done(), "the beacon stopped scrubbing while the page read"
            assert wrapped in on_disk(book.path)
            reader.execute("COMMIT")
            assert beacon.result(timeout=60) == 204
        assert wrapped not in on_disk(book.path), "the beacon left the key in the WAL"
    finally:
        reader.close()
        book.close()


def _kernel_of_new_page(server: VoilaServer) -> str:
    status, html = http_get(server.page_url("widgets.ipynb"))
    assert status == 200, html[-2000:]
    match = re.search(r'"kernelId": "([0-9a-f-]{36})"', html)
    assert match, "no kernel id in the page"
    return match.group(1)


def _channels_url(server: VoilaServer, kernel_id: str) -> str:
    ws = server.url.replace("http://", "ws://", 1)
    return f"{ws}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}&token={server.token}"


def _v1_socket(server: VoilaServer, kernel_id: str) -> ClientConnection:
    """The kernel's channels, spoken in the v1 (binary) kernel protocol."""
    return connect(
        _channels_url(server, kernel_id),
        subprotocols=[KERNEL_WS_PROTOCOL],  # type: ignore[list-item]
        open_timeout=10,
        proxy=None,
    )


def _message(
    msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": "guard-test",
        "username": "visitor",
        "date": "2026-01-01T00:00:00Z",
        "version": "5.3",
    }
    return {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}


def _image_attack() -> list[dict[str, Any]]:
    """Create an Image widget from the page side, then ask for its state.

    The state of an Image holds its (empty) value as a binary buffer, so the reply is binary.
    """
    comm_id = uuid.uuid4().hex
    state = {
        "_model_name": "ImageModel",
        "_model_module": "@jupyter-widgets/controls",
        "_model_module_version": "2.0.0",
        "_view_name": "ImageView",
        "_view_module": "@jupyter-widgets/controls",
        "_view_module_version": "2.0.0",
        "format": "png",
    }
    opened = _message(
        "comm_open",
        {
            "comm_id": comm_id,
            "target_name": "jupyter.widget",
            "data": {"state": state, "buffer_paths": []},
        },
        {"version": "2.1.0"},  # the widget protocol of ipywidgets 8
    )
    asked = _message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
    return [opened, asked]


def _v1_frame(msg: dict[str, Any], channel: str = "shell") -> bytes:
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata")]
    parts.append(json.dumps(msg["content"]).encode())
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    return bytes(serialize_msg_to_ws_v1(parts, channel))


def _answers_within(url: str, seconds: float) -> float | None:
    """Seconds the server took to answer `url`, or None when it did not within `seconds`."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=seconds) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        exc.close()
    except (urllib.error.URLError, TimeoutError, OSError):
        return None
    took = time.monotonic() - started
    return took if took <= seconds else None


def _rss_mb(server: VoilaServer) -> float:
    return psutil.Process(server.process.pid).memory_info().rss / 2**20


def test_v1_frame_offsets_refuses_frames_it_cannot_read_cheaply() -> None:
    good = _v1_frame(_message("kernel_info_request", {}))
    offsets = v1_frame_offsets(good)
    assert offsets is not None
    assert len(offsets) == 6
    assert offsets[-1] == len(good)
    huge_count = (2**62).to_bytes(8, "little") + good[8:]
    legacy = (2).to_bytes(4, "big") + (12).to_bytes(4, "big") + b"{}" * 20
    for frame in (huge_count, legacy, b"", good[:20], "text"):
        assert v1_frame_offsets(frame) is None, frame[:16]  # type: ignore[arg-type]


def test_legacy_kernel_protocol_cannot_freeze_the_server(server: VoilaServer) -> None:
    """The attack from issue 12: legacy protocol, an Image widget's state, a frozen server."""
    kernel_id = _kernel_of_new_page(server)
    probe = f"{server}/voila/static/"
    before = _rss_mb(server)
    status = 101
    socket_ = None
    try:
        socket_ = connect(_channels_url(server, kernel_id), open_timeout=10, proxy=None)
        for msg in _image_attack():
            socket_.send(json.dumps(msg | {"channel": "shell"}))
    except InvalidStatus as refused:
        status = refused.response.status_code
    latencies = []
    for _ in range(6):  # about 3 s of attack
        time.sleep(0.3)
        latencies.append(_answers_within(probe, 1.0))
    if socket_ is not None:
        socket_.close()
    assert all(t is not None for t in latencies), f"the server froze: {latencies}"
    assert status == 400, "the legacy kernel protocol was accepted"
    grown = _rss_mb(server) - before
    assert grown < 50, f"server memory grew by {grown:.0f} MB"


def test_v1_kernel_protocol_still_carries_binary_widget_state(shared_server: VoilaServer) -> None:
    server = shared_server
    kernel_id = _kernel_of_new_page(server)
    with _v1_socket(server, kernel_id) as socket_:
        assert socket_.subprotocol == KERNEL_WS_PROTOCOL
        for msg in _image_attack():
            socket_.send(_v1_frame(msg))
        paths = _binary_state_reply(socket_)
    assert ["value"] in paths, "the Image widget's state did not come back with its buffer"
    assert _answers_within(f"{server}/voila/static/", 1.0) is not None


def _binary_state_reply(socket_: ClientConnection) -> list[list[str]]:
    """The buffer paths of the first state update with buffers the page receives."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        frame = socket_.recv(timeout=30)
        assert isinstance(frame, bytes), "a v1 server sends binary frames only"
        _channel, parts = deserialize_msg_from_ws_v1(frame)
        header = json.loads(parts[0])
        content = json.loads(parts[3])
        data = content.get("data", {}) if header["msg_type"] == "comm_msg" else {}
        if data.get("method") == "update" and data.get("buffer_paths"):
            assert len(parts) == 4 + len(data["buffer_paths"]), "buffers missing from the frame"
            return list(data["buffer_paths"])
    raise AssertionError("no state update with a buffer within 30 s")


def test_malformed_v1_frame_is_refused_and_the_server_keeps_answering(
    shared_server: VoilaServer,
) -> None:
    """jupyter_server reads an incoming frame's offset count without a bound, too."""
    server = shared_server
    kernel_id = _kernel_of_new_page(server)
    good = _v1_frame(_message("kernel_info_request", {}))
    with _v1_socket(server, kernel_id) as socket_:
        socket_.send((2**40).to_bytes(8, "little") + good[8:])
        with pytest.raises(ConnectionClosed):
            _drain(socket_)
    took = _answers_within(f"{server}/voila/static/", 1.0)
    assert took is not None, "the server froze on a malformed frame"


def _kernel_info(socket_: ClientConnection) -> dict[str, Any]:
    """Ask the kernel for its info on `socket_`; the reply's content."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    socket_.send(_v1_frame(_message("kernel_info_request", {})))
    for _ in range(50):
        frame = socket_.recv(timeout=30)
        assert isinstance(frame, bytes)
        _channel, parts = deserialize_msg_from_ws_v1(frame)
        if json.loads(parts[0])["msg_type"] == "kernel_info_reply":
            return dict(json.loads(parts[3]))
    raise AssertionError("no kernel_info_reply")


def _refused(url: str) -> int | None:
    """The HTTP status a websocket handshake to `url` was refused with, or None if opened."""
    try:
        with connect(url, subprotocols=[KERNEL_WS_PROTOCOL], open_timeout=10, proxy=None):  # type: ignore[list-item]
            return None
    except InvalidStatus as refused:
        return int(refused.response.status_code)


def test_a_pages_kernel_answers_only_that_page(shared_server: VoilaServer) -> None:
    """Issue 18.4: whoever learns a kernel id cannot open a second websocket to it."""
    server = shared_server
    kernel_id = _kernel_of_new_page(server)
    ws = server.url.replace("http://", "ws://", 1)
    page = f"{ws}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}&token={server.token}"
    other = f"{ws}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}&token={server.token}"
    bare = f"{ws}/api/kernels/{kernel_id}/channels?token={server.token}"
    with connect(page, subprotocols=[KERNEL_WS_PROTOCOL], open_timeout=10, proxy=None) as first:  # type: ignore[list-item]
        assert _kernel_info(first)["status"] == "ok"
        assert _refused(other) == 403, "a second page's websocket reached a busy kernel"
        assert _refused(bare) == 403, "a websocket without a session id reached the kernel"
        assert _kernel_info(first)["status"] == "ok", "the page lost its kernel"
    # After the page's websocket closed: still refused to others, but the page itself (the
    # same session id, as after a network blip) reconnects.
    assert _refused(other) == 403, "a second websocket reached the kernel once the page closed"
    with connect(page, subprotocols=[KERNEL_WS_PROTOCOL], open_timeout=10, proxy=None) as again:  # type: ignore[list-item]
        assert _kernel_info(again)["status"] == "ok", "the page could not reconnect"
    log = server.log_text()
    assert "Refused a second connection to a page's kernel." in log
    assert kernel_id not in log, "a kernel id reached the server log"
    # tornado's note that it caps Jupyter Server's ping timeout came at every start's first
    # page: noise nobody serving the pages can act on.
    assert "websocket_ping_timeout" not in log


def test_the_log_carries_no_secrets_and_logout_is_calm(server: VoilaServer) -> None:
    """Issue 18.5: no token, join code or facilitator key in the log; /logout answers calmly."""
    assert server.token
    code, key = "JOINCODEXYZ1", "facilitator-key-0123456789"
    query = f"token={server.token}&code={code}&key={key}"
    for path in ("/voila/render/missing.ipynb", "/voila/render/widgets.ipynb", "/voila/tree/x"):
        http_get(f"{server}{path}?{query}")
    # No token: the app's own calm page asks for the link's key, with the quick exit.
    status, login = http_get(f"{server}/voila/render/widgets.ipynb?code={code}&key={key}")
    assert "This page needs its whole link" in login, login[-1500:]
    assert 'class="exit"' in login
    assert "Jupyter" not in login, "Jupyter's own login page speaks of Jupyter servers"
    _key_page_opens_with_the_right_key_only(str(server), server.token)
    status, html = http_get(f"{server}/logout?{query}")
    assert status == 200, html[-2000:]
    assert "You are signed out" in html
    time.sleep(1)  # the access log line is written after the answer
    # The link printed at start holds the token on purpose: it is how the person opens the app.
    announced = f"{server}/?token={server.token}"
    log = server.log_text().replace(announced, "")
    assert "404 GET /voila/render/missing.ipynb" in log, "the failed request was not logged"
    for secret in (server.token, code, key):
        assert secret not in log, f"{secret[:4]}... reached the server log"
    assert " 500 " not in log
    assert "Uncaught exception" not in log


def _key_page_opens_with_the_right_key_only(base: str, token: str) -> None:
    """POST the key page's form as a browser would: a wrong key is refused calmly."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = f"{base}/login?next=%2Fvoila%2Frender%2Fwidgets.ipynb"
    with opener.open(page, timeout=60) as response:
        form = response.read().decode()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form)
    assert xsrf, "the form carries tornado's xsrf field"

    def post(key: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({"_xsrf": xsrf.group(1), "password": key}).encode()
        try:
            with opener.open(page, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    status, html = post("not-the-key")
    assert status == 401
    assert "That key did not open the workbook" in html
    status, html = post(token)
    assert status == 200
    assert "This page needs its whole link" not in html, "the right key opens the page"


def _drain(socket_: ClientConnection) -> None:
    for _ in range(50):
        socket_.recv(timeout=5)


# --- the token on every route ---------------------------------------------------------------

KERNEL = "(?P<kernel_id>\\w+-\\w+-\\w+-\\w+-\\w+)"
PATH = "(?P<path>(?:(?:/[^/]+)+|/?))"
#: Every route the server has -> how to try it: (method, path; {kernel} is a live kernel id).
#: A new route in Voila fails `test_every_route_is_tried` until it is added here.
ROUTES: dict[str, tuple[str, str]] = {
    "/": ("GET", "/"),
    f"/api/kernels/{KERNEL}": ("GET", "/api/kernels/{kernel}"),
    # A page's own session id: a kernel answers only the page that connected first.
    f"/api/kernels/{KERNEL}/channels": ("WS", "/api/kernels/{kernel}/channels?session_id=page"),
    "/voila/templates/(.*)": ("GET", "/voila/templates/healing/static/healing.css"),
    "/voila/static/(.*)": ("GET", "/voila/static/voila.js"),
    "/voila/api/themes/(.*)": (
        "GET",
        "/voila/api/themes/@jupyterlab/theme-light-extension/index.css",
    ),
    "/voila/api/shutdown/(.*)": ("POST", "/voila/api/shutdown/{kernel}"),
    "/login": ("GET", "/login"),
    "/logout": ("GET", "/logout"),
    f"/voila/query/{KERNEL}": ("WS", "/voila/query/{kernel}"),
    "/voila/labextensions/(.*)": (
        "GET",
        "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/package.json",
    ),
    "/voila/files/(.*)": ("GET", "/voila/files/00_start.ipynb"),
    f"/voila/tree{PATH}": ("GET", "/voila/tree"),
    "/voila/render/(.*)": ("GET", "/voila/render/00_start.ipynb?wb=guarded"),
    f"/voila/api/contents{PATH}": ("GET", "/voila/api/contents"),
    "/ht/exit": ("POST", "/ht/exit"),
}
#: Served to anyone: package files that are the same for every server (scripts, styles), the
#: login form, and / (a redirect to the start page, which needs the token).
PUBLIC = {
    "/",
    "/ht/exit",  # the quick exit's beacon: it can only end the sittings it names
    "/voila/templates/(.*)",
    "/voila/static/(.*)",
    "/voila/api/themes/(.*)",
    "/voila/labextensions/(.*)",
    "/login",
    "/logout",
}


def _app_routes(notebooks: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The route patterns of the app `workbook serve` runs (token, preheated kernels)."""
    from workbook import settings
    from workbook.serving import voila_argv
    from workbook.voila_app import make_app_class

    names = (settings.TOKEN.name, settings.QUERY_TOKEN.name, settings.DATA.name)
    for name in (*names, "VOILA_APP_IP", "JUPYTER_PATH"):
        monkeypatch.setenv(name, "")  # restored after the test; initialize() changes them
    token = generate_token()
    monkeypatch.setenv(settings.TOKEN.name, token)
    argv = voila_argv(notebooks, token=token, port=free_port(), data_dir=notebooks / "data")
    app = make_app_class()()
    app.initialize(argv[3:])
    app.init_settings()
    return {spec[0] for spec in app.init_handlers()}


def test_every_route_is_tried(guard_notebooks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    routes = _app_routes(guard_notebooks, monkeypatch)
    assert routes == set(ROUTES), f"untried: {routes - set(ROUTES)}, gone: {set(ROUTES) - routes}"


def _try(server: VoilaServer, method: str, path: str, token: str | None) -> int:
    """The HTTP status a visitor gets (for a websocket: 101 when it opened)."""
    url = f"{server}{path}"
    if token:
        url += ("&" if "?" in url else "?") + f"token={token}"
    if method == "WS":
        extra = {"subprotocols": [KERNEL_WS_PROTOCOL]} if "/channels" in path else {}
        try:
            with connect(url.replace("http://", "ws://", 1), open_timeout=10, proxy=None, **extra):
                return 101
        except InvalidStatus as refused:
            return int(refused.response.status_code)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        with exc:
            if exc.code == 302 and "/login" in exc.headers.get("Location", ""):
                return 403  # sent to the login form: refused
            return int(exc.code)


@pytest.fixture
def preheated_server(guard_notebooks: Path, tmp_path: Path) -> Iterator[VoilaServer]:
    with running_voila(
        guard_notebooks, tmp_path, name="voila-test-routes", token=generate_token()
    ) as running:
        running.wait_for_log("Kernel pool of 00_start.ipynb is filled")
        yield running


def test_the_token_guards_every_route(preheated_server: VoilaServer) -> None:
    server = preheated_server
    status, html = http_get(server.page_url("00_start.ipynb", wb="with-token"))
    assert status == 200
    assert "wb=with-token" in html, "the preheated page lost its query (query route refused?)"
    kernel = _kernel_of_new_page(server)
    for pattern, (method, path) in ROUTES.items():
        if "shutdown" in pattern:
            continue  # tried last: it stops the kernel the other routes use
        target = path.format(kernel=kernel)
        without = _try(server, method, target, None)
        with_token = _try(server, method, target, server.token)
        if pattern in PUBLIC:
            assert without != 101, f"{pattern}: a public route opened a websocket"
            if pattern != "/login":  # the login form sends a token holder on
                assert without == with_token, f"{pattern}: not the same for everyone"
        else:
            assert without == 403, f"{pattern} answered {without} without the token"
            # /voila/files/ serves no file at all (an empty allow-list): 403 for everyone.
            allowed = (403,) if pattern.startswith("/voila/files") else (101, 200)
            assert with_token in allowed, f"{pattern} answered {with_token} with the token"
    shutdown = f"/voila/api/shutdown/{kernel}"
    assert _try(server, "POST", shutdown, None) == 403, "a kernel was stopped without the token"
    assert _try(server, "POST", shutdown, server.token) == 204


# --- JupyterHub's per-account servers: Jupyter Server's own kernel websocket ---------------------

GUARD_CLASS = "workbook.kernel_guard.CheckedKernelConnection"


def _jupyter_server_argv(root: Path, port: int) -> list[str]:
    """A Jupyter Server as in deploy/jupyterhub (extensions off), with the frame guard."""
    import sys

    return [
        sys.executable,
        "-m",
        "jupyter_server",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        "--ServerApp.allow_root=True",  # test containers run as root
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.kernel_websocket_connection_class={GUARD_CLASS}",
        "--ServerApp.jpserver_extensions=jupyterlab=False",
        "--ServerApp.jpserver_extensions=notebook_shim=False",
        "--ServerApp.jpserver_extensions=jupyter_lsp=False",
        "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
        "--ServerApp.jpserver_extensions=voila.server_extension=False",
        "--ServerApp.jpserver_extensions=workbook.kernel_guard=True",
    ]


def test_jupyterhub_config_uses_the_frame_guard() -> None:
    from workbook.singleuser import SERVER_ARGS

    config = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub" / "jupyterhub_config.py"
    assert "*SERVER_ARGS" in config.read_text(), "the hub's servers take the shared arguments"
    assert f"--ServerApp.kernel_websocket_connection_class={GUARD_CLASS}" in SERVER_ARGS


def test_jupyter_server_with_the_guard_survives_malformed_frames(tmp_path: Path) -> None:
    import os
    import subprocess

    from voila_harness import OUTPUT_DIR, stop_process_group

    token = generate_token()
    port = free_port()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    with (OUTPUT_DIR / f"jupyter-server-guard-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            _jupyter_server_argv(tmp_path, port),
            env=os.environ | {"JUPYTER_TOKEN": token},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while _answers_within(f"{base}/api/status?token={token}", 2.0) is None:
            assert process.poll() is None, "Jupyter Server exited"
            assert time.monotonic() < deadline, "Jupyter Server did not start"
            time.sleep(0.3)
        request = urllib.request.Request(
            f"{base}/api/kernels",
            method="POST",
            data=b"{}",
            headers={"Authorization": f"token {token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            kernel = json.loads(response.read())["id"]
        page = uuid.uuid4()
        url = f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?session_id={page}&token={token}"
        good = _v1_frame(_message("kernel_info_request", {}))
        hostile = {
            KERNEL_WS_PROTOCOL: (2**40).to_bytes(8, "little") + good[8:],
            None: (2**31 - 1).to_bytes(4, "big") + b"\0" * 64,  # legacy layout
        }
        for protocol, frame in hostile.items():
            extra = {"subprotocols": [protocol]} if protocol else {}
            with connect(url, open_timeout=10, proxy=None, **extra) as socket_:  # type: ignore[arg-type]
                socket_.send(frame)
                with pytest.raises(ConnectionClosed):
                    _drain(socket_)
            took = _answers_within(f"{base}/api/status?token={token}", 1.0)
            assert took is not None, f"Jupyter Server froze on a malformed {protocol} frame"
            memory = psutil.Process(process.pid).memory_info().rss / 2**20
            assert memory < 400, f"Jupyter Server grew to {memory:.0f} MB"
        # The kernel serves the page that connected first: another session is refused.
        other = url.replace(f"session_id={page}", f"session_id={uuid.uuid4()}")
        assert _refused(other) == 403, "a second page's websocket reached the kernel"
        with connect(url, subprotocols=[KERNEL_WS_PROTOCOL], open_timeout=10, proxy=None) as again:  # type: ignore[list-item]
            assert _kernel_info(again)["status"] == "ok", "the page could not reconnect"
        # The log: no token, join code, key or kernel id (the workbook.kernel_guard extension).
        code = "JOINCODEXYZ1"
        http_get(f"{base}/api/kernels/{uuid.uuid4()}?token={token}&code={code}")
        http_get(f"{base}/nowhere?token={token}&code={code}&key={code}k")
        time.sleep(1)
        log = (OUTPUT_DIR / f"jupyter-server-guard-{port}.log").read_text(errors="replace")
        assert "404 GET /nowhere" in log
        for secret in (token, code, kernel):
            assert secret not in log, f"{secret[:4]}... reached the Jupyter server's log"
    finally:
        stop_process_group(process)
