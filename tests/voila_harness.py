"""Start the workbook's Voila server for tests, and small helpers for checking its pages.

`running_voila` runs exactly the command `workbook.serving.voila_argv` builds, on a free
loopback port, and writes the server log to ``tests/output/<name>-<port>.log``. Remember that a
Voila page whose cell failed still answers HTTP 200: check the text with `assert_no_voila_error`.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import os
import re
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

from workbook.serving import voila_argv, voila_env
from workbook.settings import EXIT_URL, Setting
from workbook.ui.urls import PAGES

REPO = Path(__file__).resolve().parents[1]
#: The app's notebooks (the pages).
NOTEBOOKS = REPO / "notebooks"
#: axe-core, for the accessibility checks (`make node_modules/axe-core/axe.min.js`).
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: The notebook of every page a couple opens, the eight steps and the pages beside them.
COUPLE_PAGES = [PAGES[k] for k in (0, 1, 2, 3, 4, 5, 6, 7, 8, "trends", "keep", "counsellor")]
OUTPUT_DIR = Path(__file__).resolve().parent / "output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"

#: Debian's Chromium (Playwright's own browser download does not work here): its headless shell
#: (apt package chromium-headless-shell, the old headless mode that Playwright itself runs for
#: headless tests) when installed, else the browser (apt package chromium). The shell draws
#: the same pages with the same engine for about half the CPU of the full browser's headless
#: mode (1.4 against 2.7 CPU-seconds a page on this project's 2-core machine), which matters
#: when the suite opens some 400 pages. WORKBOOK_CHROMIUM picks another binary.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
DEBIAN_CHROMIUM = "/usr/bin/chromium"


def chromium_binary() -> str:
    """The Chromium the browser tests launch (see HEADLESS_SHELL)."""
    chosen = os.environ.get("WORKBOOK_CHROMIUM")
    if chosen:
        return chosen
    return HEADLESS_SHELL if os.access(HEADLESS_SHELL, os.X_OK) else DEBIAN_CHROMIUM


CHROMIUM = chromium_binary()
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # JavaScript runs in V8's first two tiers only (no Maglev, no TurboFan): a test's page
    # lives for seconds, too short for optimized code to repay compiling it. Measured on a
    # step page opened six times in one tab: 0.40 -> 0.33 CPU-seconds of the renderer each.
    "--js-flags=--max-opt=1",
]

#: Playwright's default of 30 s is tight for a first page on 2 busy cores, and `make test` runs
#: four test processes at once (a page once took over 60 s there while a room was loading).
PAGE_TIMEOUT_MS = 90_000
#: What the quick exit's neutral site answers in browser tests (it is routed locally).
NEUTRAL_PAGE = "<html><head><title>Weather</title></head><body><h1>Forecast</h1></body></html>"

#: The facilitator page's key on the browser tests' shared server (tests/browser/conftest.py).
FACILITATOR_TEST_KEY = "facilitator-key-for-tests"

#: Shown by Voila in place of a failed cell (see VoilaExecutor.strip_code_cell_errors).
VOILA_CELL_ERROR = "There was an error when executing cell"
#: Text that only appears when a Python traceback reached the page.
_TRACEBACK_RE = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
_SIGNS_OF_ERROR = (VOILA_CELL_ERROR, "An exception occurred at the server")


class VoilaServer(str):
    """The base URL of a running server, e.g. ``http://127.0.0.1:41234`` (no trailing slash).

    A ``str``, so ``f"{server}/voila/render/00_start.ipynb"`` works; it also knows its token,
    data folder, whether kernels are preheated, its log file and its process.
    """

    token: str | None
    data_dir: Path
    preheat: bool
    log_path: Path
    process: subprocess.Popen[bytes]

    def __new__(
        cls,
        url: str,
        *,
        token: str | None,
        data_dir: Path,
        preheat: bool,
        log_path: Path,
        process: subprocess.Popen[bytes],
    ) -> VoilaServer:
        self = super().__new__(cls, url.rstrip("/"))
        self.token = token
        self.data_dir = data_dir
        self.preheat = preheat
        self.log_path = log_path
        self.process = process
        return self

    @property
    def url(self) -> str:
        return str(self)

    def page_url(self, notebook: str, **query: str) -> str:
        """URL of a notebook page with its query (and the token, if the server has one)."""
        params = dict(query)
        if self.token:
            params.setdefault("token", self.token)
        suffix = f"?{urlencode(params)}" if params else ""
        return f"{self}/voila/render/{notebook}{suffix}"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, timeout: float = 60.0) -> None:
        """Wait until the server log contains ``text`` (e.g. "Kernel pool of x is filled")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(
            f"{text!r} did not appear in the Voila log within {timeout}s; "
            f"log tail:\n{_tail(self.log_path)}"
        )


DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
#: The two devices every journey runs on.
DEVICES: dict[str, dict[str, Any]] = {"desktop": DESKTOP, "phone": PHONE}


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free right now on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"<no log: {exc}>"
    return "\n".join(text.splitlines()[-lines:])


def _answers(url: str) -> bool:
    """True once the server answers HTTP at all (any status; redirects are not followed)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=2):
            return True
    except urllib.error.HTTPError as exc:
        exc.close()
        return True  # 302/403/404 all mean "the server is up"
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running_voila(
    notebooks_dir: str | os.PathLike[str],
    data_dir: str | os.PathLike[str],
    *,
    name: str = "voila",
    startup_timeout: float = 60.0,
    values: Mapping[Setting, str | None] | None = None,
    **opts: Any,
) -> Iterator[VoilaServer]:
    """Run the workbook Voila server; yield its base URL as a `VoilaServer`.

    ``opts`` go to `workbook.serving.voila_argv` (e.g. ``preheat=False``, ``token=...``,
    ``start_page=None`` for a folder without ``00_start.ipynb``); the port is chosen here.
    ``values`` are settings (`workbook.settings`) for the server and its kernels only.
    """
    opts.setdefault("port", free_port())
    host = opts.get("host", "127.0.0.1")
    token = opts.get("token")
    argv = voila_argv(notebooks_dir, data_dir=data_dir, **opts)
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    # The port keeps logs apart when two test runs share a checkout.
    log_path = OUTPUT_DIR / f"{name}-{opts['port']}.log"
    connect_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{connect_host}:{opts['port']}"
    with log_path.open("wb") as log:
        log.write(f"$ {' '.join(argv)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            argv,
            env=voila_env(token, values=values),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it is clean
        )
    server = VoilaServer(
        base,
        token=token,
        data_dir=Path(data_dir).resolve(),
        preheat=bool(opts.get("preheat", True)),
        log_path=log_path,
        process=process,
    )
    try:
        deadline = time.monotonic() + startup_timeout
        while not _answers(f"{base}/voila/static/"):
            if process.poll() is not None:
                raise AssertionError(
                    f"Voila exited with code {process.returncode} before answering; "
                    f"log {log_path}:\n{_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Voila did not answer on {base} within {startup_timeout}s; "
                    f"log {log_path}:\n{_tail(log_path)}"
                )
            time.sleep(0.2)
        yield server
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM the server (it then shuts its kernels down), then SIGKILL what is left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=grace)


def http_get(url: str, timeout: float = 120.0) -> tuple[int, str]:
    """GET ``url`` (following redirects); return the status and the body text."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        with exc:
            return int(exc.code), exc.read().decode("utf-8", errors="replace")


class _HasContent(Protocol):
    def content(self) -> str: ...


def assert_no_voila_error(html_or_page: str | _HasContent) -> None:
    """Fail if a page shows Voila's cell-error text or a Python traceback.

    Takes HTML text or a Playwright page (its current DOM is checked).
    """
    html = html_or_page if isinstance(html_or_page, str) else html_or_page.content()
    for sign in _SIGNS_OF_ERROR:
        assert sign not in html, f"the page shows a Voila error: {_around(html, sign)}"
    match = _TRACEBACK_RE.search(html)
    assert match is None, f"the page shows a Python traceback: {_around(html, match.group(0))}"


def _around(text: str, needle: str, width: int = 300) -> str:
    at = text.find(needle)
    return text[max(0, at - width) : at + len(needle) + width]


#: The quick exit's neutral site (EXIT_URL's host), which the tests' Chromium finds on a local
#: server (`neutral_site`) instead of the internet, which this machine cannot reach.
NEUTRAL_HOST = urlsplit(EXIT_URL.default).hostname or "www.weather.gov"


class _NeutralHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = NEUTRAL_PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test's output is not the place for the neutral site's requests."""


def _self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    """A certificate and key for ``host``, signed by themselves (Chromium is told to accept it)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "neutral.crt", folder / "neutral.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextlib.contextmanager
def neutral_site() -> Iterator[int]:
    """A local HTTPS server that answers NEUTRAL_PAGE at every address; yields its port.

    Chromium is pointed at it for NEUTRAL_HOST (`launched_chromium`). The tests once routed
    the neutral site through Playwright instead (`context.route`), but a context with a route
    sends every request through Playwright and turns the browser's cache off: each Voila page
    then cost about 1.4 CPU-seconds instead of 0.8, its scripts fetched and compiled again.
    """
    with tempfile.TemporaryDirectory(prefix="neutral-site-") as folder:
        cert, key = _self_signed(Path(folder), NEUTRAL_HOST)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NeutralHandler)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, name="neutral-site", daemon=True)
        thread.start()
        try:
            yield int(server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()


@contextlib.contextmanager
def launched_chromium() -> Iterator[Any]:
    """A headless Chromium (CHROMIUM) through Playwright, closed at the end. The quick exit's
    neutral site (NEUTRAL_HOST) answers from `neutral_site`, in every context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, neutral_site() as port:
        args = [
            *CHROMIUM_ARGS,
            f"--host-resolver-rules=MAP {NEUTRAL_HOST} 127.0.0.1:{port}",
            "--ignore-certificate-errors",  # the neutral site's certificate signs itself
        ]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_context(
    browser: Any,
    options: dict[str, Any] | None = None,
    *,
    timeout_ms: float = PAGE_TIMEOUT_MS,
) -> Any:
    """A browser context (own cookies) with ``options`` (a device) and a default timeout."""
    context = browser.new_context(**(options or DESKTOP))
    context.set_default_timeout(timeout_ms)
    return context


@contextlib.contextmanager
def dialogs_answered(page: Any, *, accept: bool) -> Iterator[list[str]]:
    """While inside, every dialog the page opens (such as "Leave site?") is accepted or
    dismissed, and its type noted in the list yielded; the listener goes at the end (tabs are
    shared with the next tests)."""
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.type)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    try:
        yield asked
    finally:
        page.remove_listener("dialog", answer)


def open_page(page: Any, url: str, text: str) -> None:
    """Go to ``url``, wait for ``text``, let the page settle and check it shows no error."""
    page.goto(url)
    page.get_by_text(text).first.wait_for()
    page.wait_for_timeout(300)
    assert_no_voila_error(page.content())


def new_workbook(server: VoilaServer, name: str, a: str, b: str) -> str:
    """Write an empty workbook ``name`` for ``a`` and ``b`` into the server's data folder."""
    from workbook.store import create

    create(name, a, b, data_dir=server.data_dir).close()
    return name


def couple(server: VoilaServer, name: str, a: str = "Sam", b: str = "Alex") -> str:
    """The workbook ``name`` for ``a`` and ``b`` in the server's data folder, made empty the
    first time a test asks for it (a test run again on the same server finds it there)."""
    from workbook.paths import SUFFIX

    if not (server.data_dir / f"{name}{SUFFIX}").exists():
        new_workbook(server, name, a, b)
    return name


def card_titled(page: Any, title: str) -> Any:
    """The last card on the page whose heading (h3) holds ``title``."""
    return page.locator(".ht-card", has=page.locator("h3", has_text=title)).last


def download(page: Any, link: Any) -> bytes:
    """Click a download link and return the file's bytes."""
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as fh:
        return fh.read()


def fits_the_screen(page: Any) -> None:
    """Nothing on the page reaches past the screen's right edge (no sideways scrolling)."""
    width = page.viewport_size["width"]
    wide = page.evaluate(
        "(w) => [...document.querySelectorAll('.ht-page *')]"
        ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > w + 1)"
        ".map(e => e.className + ': ' + (e.innerText || '').slice(0, 30)).slice(0, 5)",
        width,
    )
    assert not wide, f"wider than the screen: {wide}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "sideways"


def create_couple_on_start_page(page: Any, a: str, b: str, name: str) -> None:
    """On an open start page: create the workbook ``name`` for ``a`` and ``b``; ``a`` writes."""
    page.get_by_label("Partner one's name").fill(a)
    page.get_by_label("Partner two's name").fill(b)
    page.get_by_label("Workbook name (optional)").fill(name)
    page.get_by_role("button", name="Create our workbook").click()
    page.get_by_role("button", name=f"I am {a}").click()
    page.get_by_text(f"Hello, {a}").wait_for()


def rate(scope: Any, mood: int = 6, trust: int = 5) -> None:
    """Choose mood and trust in the check-in form within `scope` (a page or a locator)."""
    ratings = scope.locator(".ht-checkin .ht-rating")
    if ratings.count() == 0:  # scope is the check-in card itself
        ratings = scope.locator(".ht-rating")
    for i, value in enumerate((mood, trust)):
        ratings.nth(i).get_by_role("button", name=str(value), exact=True).click()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of a Playwright page to ``tests/output/screenshots/NAME.png``.

    Voila 0.5 scrolls inside ``#rendered_cells``, not the document, so Playwright's own
    full-page mode sees one screen only; here the viewport is stretched to the content's
    height for the shot and then put back. One image pixel is one CSS pixel (a phone's
    device scale of 2 would make four times the pixels to encode, for the same layout), and
    the PNG is encoded for speed, not size (Chromium's ``optimizeForSpeed``: 0.08 CPU-seconds
    less a desktop shot and 0.03 a phone's, measured in turn with the old way; some 250 shots a
    run, for files about a third larger).
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 900}
    # A full page starts at its top even when the test had scrolled it (it is put back after).
    height = int(page.evaluate(_TO_TOP_JS)) if full_page else 0
    stretched = min(height, 16_000) > size["height"]
    if stretched:
        page.set_viewport_size({"width": size["width"], "height": min(height, 16_000)})
        page.wait_for_timeout(300)  # let Voila's layout follow the new size
    try:
        shown = page.evaluate(_VIEW_JS)
        session = page.context.new_cdp_session(page)
        try:
            shot = session.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "optimizeForSpeed": True,
                    "clip": {
                        "x": 0,
                        "y": 0,
                        "width": shown["width"],
                        "height": shown["height"],
                        "scale": 1,  # one image pixel per CSS pixel, whatever the device
                    },
                },
            )
        finally:
            session.detach()
    finally:
        if stretched:
            page.set_viewport_size(size)
        if full_page:
            page.evaluate(_BACK_JS)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


#: The viewport's size in CSS pixels.
_VIEW_JS = "() => ({width: innerWidth, height: innerHeight})"


_CONTENT_HEIGHT_JS = """() => {
  const cells = document.querySelector('#rendered_cells');
  return Math.max(cells ? cells.scrollHeight : 0, document.documentElement.scrollHeight);
}"""
#: Scroll the page (Voila scrolls #rendered_cells) to its top, remembering where it was; the
#: content's height.
_TO_TOP_JS = (
    """() => {
  const cells = document.querySelector('#rendered_cells');
  window.__htShotScroll = [cells ? cells.scrollTop : 0, window.scrollY];
  if (cells) cells.scrollTop = 0;
  window.scrollTo(0, 0);
  return ("""
    + _CONTENT_HEIGHT_JS
    + """)();
}"""
)
#: Back to where the test had scrolled the page.
_BACK_JS = """() => {
  const [inner, outer] = window.__htShotScroll || [0, 0];
  const cells = document.querySelector('#rendered_cells');
  if (cells) cells.scrollTop = inner;
  window.scrollTo(0, outer);
}"""


def write_notebook(path: str | os.PathLike[str], cells: list[tuple[str, str]]) -> Path:
    """Write a small Python notebook; ``cells`` are ("markdown" | "code", source) pairs."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    makers = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    notebook.cells = [makers[kind](source) for kind, source in cells]
    target = Path(path)
    nbformat.write(notebook, target)
    return target


def kernel_processes(server_pid: int) -> list[Any]:
    """The ipykernel processes under a Voila server (Voila has no kernel list in its API)."""
    import psutil

    try:
        children = psutil.Process(server_pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for proc in children:
        with contextlib.suppress(psutil.Error):
            if any("ipykernel" in part for part in proc.cmdline()):
                found.append(proc)
    # A kernel's own child between fork and exec (a subprocess it starts) carries the kernel's
    # command line for a moment: 41 "kernels" were counted once with 40 started.
    pids = {proc.pid for proc in found}
    kernels = []
    for proc in found:
        with contextlib.suppress(psutil.Error):
            if proc.ppid() not in pids:
                kernels.append(proc)
    return kernels


def wait_until(check: Callable[[], bool], timeout: float, step: float = 0.25) -> bool:
    """Poll `check` until it is true or `timeout` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


# -- the quick exit on a page (tests/browser/test_every_page.py, test_safety_privacy.py) --


def exit_is_under_a_tap(page: Any) -> str:
    """'' if the exit is on screen and is what a tap at its centre hits, else what is wrong."""
    return page.evaluate(
        """() => {
          const a = document.getElementById('ht-exit');
          if (!a) return 'no exit link';
          const r = a.getBoundingClientRect();
          if (r.width < 44 || r.height < 44) return `too small: ${r.width}x${r.height}`;
          if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
            return `off screen: ${JSON.stringify(r)}`;
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          if (hit && (hit === a || a.contains(hit))) return '';
          return `covered by ${hit && hit.outerHTML.slice(0, 80)}`;
        }"""
    )


def under_the_exit(page: Any) -> list[str]:
    """What the page shows under the quick exit, at every scroll position (taps meant for a
    button there would leave the page). The page scrolls inside #rendered_cells."""
    return page.evaluate(
        """async () => {
          const a = document.getElementById('ht-exit');
          const sc = document.getElementById('rendered_cells');
          const e = a.getBoundingClientRect();
          const hits = new Set();
          const step = Math.max(60, sc.clientHeight / 4);
          for (let y = 0; y <= sc.scrollHeight; y += step) {
            sc.scrollTop = y;
            await new Promise(r => requestAnimationFrame(r));
            const s = sc.getBoundingClientRect();
            const top = s.top + sc.clientTop, bottom = top + sc.clientHeight;
            const sel = 'button, a[href], input, textarea, select, label, h1, h2, h3, p';
            for (const el of sc.querySelectorAll(sel)) {
              const r = el.getBoundingClientRect();
              if (!r.width || !r.height) continue;
              const t = Math.max(r.top, top), b = Math.min(r.bottom, bottom);
              if (b > t && r.left < e.right && r.right > e.left && t < e.bottom && b > e.top)
                hits.add(el.tagName + ': ' + (el.textContent || '').trim().slice(0, 40));
            }
          }
          sc.scrollTop = 0;
          return [...hits];
        }"""
    )


def scroll_to_bottom(page: Any) -> int:
    """Scroll every scrolling area to its end (Voila's page scrolls inside a container)."""
    return page.evaluate(
        """() => {
          let moved = 0;
          for (const el of [document.scrollingElement, ...document.querySelectorAll('*')]) {
            if (el && el.scrollHeight > el.clientHeight + 5) {
              const before = el.scrollTop;
              el.scrollTop = el.scrollHeight;
              moved += el.scrollTop - before;
            }
          }
          return moved;
        }"""
    )


def scroll_to_top(page: Any) -> None:
    """Scroll every scrolling area back to its start."""
    page.evaluate(
        """() => {
          for (const el of [document.scrollingElement, ...document.querySelectorAll('*')]) {
            if (el && el.scrollTop) el.scrollTop = 0;
          }
        }"""
    )


#: The console listeners `console_noted` put on each page, removed by `forget_console`.
_CONSOLE_NOTES: weakref.WeakKeyDictionary[Any, list[Callable[[Any], None]]] = (
    weakref.WeakKeyDictionary()
)


def console_noted(page: Any) -> list[str]:
    """From now on, the page's console errors and warnings (a failure's message says them),
    without the dozen shared-module version warnings every page prints. The list fills as
    they come; `forget_console` stops it (a shared tab's reset does)."""
    heard: list[str] = []

    def note(message: Any) -> None:
        if message.type in ("error", "warning") and "version" not in message.text[:40]:
            heard.append(f"{time.monotonic():.1f} {message.type}: {message.text[:300]}")

    page.on("console", note)
    _CONSOLE_NOTES.setdefault(page, []).append(note)
    return heard


def forget_console(page: Any) -> None:
    """Remove the listeners `console_noted` put on the page."""
    for note in _CONSOLE_NOTES.pop(page, []):
        page.remove_listener("console", note)
