"""workbook.serving: the command line it builds, and a real Voila server on throwaway notebooks."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    VOILA_CELL_ERROR,
    VoilaServer,
    assert_no_voila_error,
    free_port,
    http_get,
    kernel_processes,
    running_voila,
    write_notebook,
)

from workbook import serving
from workbook.serving import (
    CELL_ERROR_MESSAGE,
    JUPYTER_DATA_ROOT,
    TEMPLATE_NAME,
    ServingError,
    app_url,
    generate_token,
    print_url,
    voila_argv,
    voila_env,
)

# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(folder / "00_start.ipynb", [("markdown", "# Start")])
    return folder


def _flags(argv: list[str]) -> dict[str, str]:
    return dict(arg[2:].split("=", 1) for arg in argv if arg.startswith("--") and "=" in arg)


def test_default_host_is_loopback(notebooks: Path) -> None:
    flags = _flags(voila_argv(notebooks))
    assert flags["Voila.ip"] == "127.0.0.1", "the app must listen on this computer only"
    assert flags["Voila.port"] == "8866"
    assert flags["Voila.port_retries"] == "0", "a silently moved port would break the link"
    assert flags["Voila.open_browser"] == "False"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "workbook.local"])
def test_network_host_without_token_is_refused(notebooks: Path, host: str) -> None:
    with pytest.raises(ServingError, match="token is required") as caught:
        voila_argv(notebooks, host=host)
    assert isinstance(caught.value, ValueError), "ServingError is a ValueError"
    assert "127.0.0.1" in str(caught.value), "the message should name the safe default"
    assert "secrets.token_urlsafe" in str(caught.value), "and say how to make a token"
    assert "let the app make one" not in str(caught.value), "the app makes none"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_network_host_with_token_is_accepted(notebooks: Path, host: str) -> None:
    token = generate_token()
    argv = voila_argv(notebooks, host=host, token=token)
    assert _flags(argv)["Voila.ip"] == host
    assert all(token not in arg for arg in argv), "the token must not be on the command line"
    assert voila_env(token)["WORKBOOK_TOKEN"] == token


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.5"])
def test_loopback_hosts_need_no_token(notebooks: Path, host: str) -> None:
    assert _flags(voila_argv(notebooks, host=host))["Voila.ip"] == host


@pytest.mark.parametrize("token", ["short", "has a space 123", ""])
def test_weak_token_is_refused(notebooks: Path, token: str) -> None:
    with pytest.raises(ServingError):
        voila_argv(notebooks, host="0.0.0.0", token=token)


def test_kernel_culling_preheat_and_traceback_flags(notebooks: Path) -> None:
    flags = _flags(voila_argv(notebooks, data_dir=notebooks.parent / "data"))
    expected = {
        "MappingKernelManager.cull_idle_timeout": str(serving.CULL_IDLE_TIMEOUT),
        "MappingKernelManager.cull_interval": str(serving.CULL_INTERVAL),
        "MappingKernelManager.cull_connected": "False",
        "MappingKernelManager.cull_busy": "False",
        "VoilaConfiguration.preheat_kernel": "True",
        "VoilaConfiguration.default_pool_size": "1",
        "VoilaConfiguration.show_tracebacks": "False",
        "VoilaConfiguration.template": TEMPLATE_NAME,
        "VoilaConfiguration.theme": "light",
        "VoilaConfiguration.allow_template_override": "NO",
        "VoilaExecutor.cell_error_instruction": CELL_ERROR_MESSAGE,
        # nbclient's default of 4 s dropped page content under workshop load.
        "VoilaExecutor.iopub_timeout": "60",
        "WorkbookVoila.start_page": "00_start.ipynb",
        "WorkbookVoila.data_dir": str((notebooks.parent / "data").resolve()),
    }
    for name, value in expected.items():
        assert flags.get(name) == value, f"--{name}: expected {value!r}, got {flags.get(name)!r}"


def test_preheat_can_be_turned_off(notebooks: Path) -> None:
    flags = _flags(voila_argv(notebooks, preheat=False))
    assert flags["VoilaConfiguration.preheat_kernel"] == "False"


def test_missing_folder_or_start_page_is_explained(tmp_path: Path, notebooks: Path) -> None:
    with pytest.raises(ServingError, match="does not exist"):
        voila_argv(tmp_path / "nowhere")
    (notebooks / "00_start.ipynb").unlink()
    with pytest.raises(ServingError, match="start page"):
        voila_argv(notebooks)
    assert voila_argv(notebooks, start_page=None), "a folder without a start page can be served"


def test_generate_token_is_random_and_url_safe() -> None:
    tokens = {generate_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)


def test_app_url_shows_a_reachable_address() -> None:
    assert app_url("127.0.0.1", 8866) == "http://127.0.0.1:8866/"
    assert app_url("127.0.0.1", 8866, "abc") == "http://127.0.0.1:8866/?token=abc"
    assert "0.0.0.0" not in app_url("0.0.0.0", 8866, "abc")
    assert app_url("::1", 9000) == "http://[::1]:9000/"


def test_print_url_without_qrcode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "qrcode", None)  # import qrcode -> ImportError
    out = io.StringIO()
    assert print_url("http://127.0.0.1:8866/?token=x", out) is False
    assert "http://127.0.0.1:8866/?token=x" in out.getvalue()


def test_template_is_found_on_the_jupyter_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from voila.paths import collect_static_paths, collect_template_paths

    folder = JUPYTER_DATA_ROOT / "voila" / "templates" / TEMPLATE_NAME
    for name in ("conf.json", "index.html.j2", "static/healing.css"):
        assert (folder / name).is_file(), f"{name} missing from the packaged template"
    monkeypatch.setenv("JUPYTER_PATH", str(JUPYTER_DATA_ROOT))
    paths = collect_template_paths(["voila", "nbconvert"], TEMPLATE_NAME, prune=True)
    assert paths[0] == str(folder), "our template must come first, before its base 'lab'"
    assert any(p.endswith(("voila/templates/lab", "voila\\templates\\lab")) for p in paths)
    static = collect_static_paths(["voila", "nbconvert"], TEMPLATE_NAME, prune=True)
    assert static[0] == str(folder / "static")


@pytest.mark.voila
def test_child_refuses_network_address_without_token(notebooks: Path) -> None:
    """Even a hand-made command line cannot open the app to the network without a token."""
    argv = [
        "--Voila.ip=0.0.0.0" if arg.startswith("--Voila.ip=") else arg
        for arg in voila_argv(notebooks)
    ]
    done = subprocess.run(
        argv, env=voila_env(None), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "token is required" in done.stderr


# --- a real server on throwaway notebooks -------------------------------------------------

QUERY_NOTEBOOK = [
    ("markdown", "# Query test page"),
    (
        "code",
        "import os\n"
        "from workbook.request import request_query\n"
        "query = request_query()  # waits for the request in a preheated kernel\n"
        "print('preheat=' + os.environ.get('VOILA_PREHEAT', 'unset'))\n"
        "print('wb=' + query.get('wb', 'none'))\n"
        "print('who=' + query.get('who', 'none'))\n"
        "print('token-in-query=' + str('token' in query))\n"
        "print('token-in-env=' + str('token=' in os.environ.get('QUERY_STRING', '')))\n"
        "print('data=' + os.environ.get('WORKBOOK_DATA', 'unset'))",
    ),
]
#: The same, the way Voila documents it (slower: importing voila.utils costs ~2 s per kernel).
VOILA_UTILS_NOTEBOOK = [
    (
        "code",
        "import os\n"
        "from urllib.parse import parse_qs\n"
        "from voila.utils import wait_for_request\n"
        "wait_for_request()  # returns at once without preheat\n"
        "query = parse_qs(os.environ.get('QUERY_STRING', ''))\n"
        "print('preheat=' + os.environ.get('VOILA_PREHEAT', 'unset'))\n"
        "print('wb=' + query.get('wb', ['none'])[0])\n"
        "print('who=' + query.get('who', ['none'])[0])",
    ),
]
BROKEN_NOTEBOOK = [
    ("code", "print('before-the-error')"),
    ("code", "raise RuntimeError('secret-detail in /very/private/path.py')"),
    ("code", "print('after-the-error')"),
]


@pytest.fixture(scope="module")
def tiny_notebooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-notebooks")
    write_notebook(folder / "00_start.ipynb", QUERY_NOTEBOOK)
    write_notebook(folder / "voila_utils.ipynb", VOILA_UTILS_NOTEBOOK)
    write_notebook(folder / "broken.ipynb", BROKEN_NOTEBOOK)
    return folder


@pytest.fixture(scope="module", params=[True, False], ids=["preheat", "no-preheat"])
def tiny_server(
    request: pytest.FixtureRequest,
    tiny_notebooks: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[VoilaServer]:
    preheat: bool = request.param
    data_dir = tmp_path_factory.mktemp("data")
    name = f"voila-test-serving-{'preheat' if preheat else 'plain'}"
    with running_voila(tiny_notebooks, data_dir, name=name, preheat=preheat) as server:
        if preheat:
            # Otherwise the first request may get an ordinary kernel and prove nothing.
            server.wait_for_log("Kernel pool of 00_start.ipynb is filled")
        yield server


def test_kernels_use_unix_sockets_where_their_paths_fit(notebooks: Path) -> None:
    assert serving.kernel_transport("/tmp") == ("tcp" if sys.platform == "win32" else "ipc")
    assert serving.kernel_transport("/tmp/" + "long-folder-name/" * 4) == "tcp"
    assert _flags(voila_argv(notebooks))["KernelManager.transport"] == serving.kernel_transport()


@pytest.mark.voila
def test_kernels_listen_on_no_network_port(tiny_server: VoilaServer) -> None:
    """A page's kernel speaks to the server over Unix sockets (`serving.kernel_transport`):
    none of its channels listens on a TCP port another process could reach or take first.
    (ipykernel's own output pipe, bound by the kernel itself, is not a channel.)"""
    status, _ = http_get(tiny_server.page_url("00_start.ipynb", wb="sockets", who="a"))
    assert status == 200
    kernels = kernel_processes(tiny_server.process.pid)
    assert kernels, "no kernel under the server"
    for kernel in kernels:
        [connection] = [a for a in kernel.cmdline() if a.endswith(".json")]
        info = json.loads(Path(connection).read_text())
        assert info["transport"] == "ipc", info["transport"]
        assert Path(f"{info['ip']}-{info['shell_port']}").is_socket()
        listening = {
            c.laddr.port for c in kernel.net_connections(kind="inet") if c.status == "LISTEN"
        }
        channels = {info[f"{n}_port"] for n in ("shell", "iopub", "stdin", "control", "hb")}
        assert not listening & channels, f"kernel channels on TCP ports: {listening & channels}"


@pytest.mark.voila
def test_page_renders_query_string(tiny_server: VoilaServer) -> None:
    status, html = http_get(tiny_server.page_url("00_start.ipynb", wb="sam-and-alex", who="a"))
    assert status == 200
    assert_no_voila_error(html)
    assert f"preheat={tiny_server.preheat}" in html, "the kernel path was not the expected one"
    assert "wb=sam-and-alex" in html, "the notebook did not receive ?wb="
    assert "who=a" in html, "the notebook did not receive ?who="
    assert f"data={tiny_server.data_dir}" in html, "WORKBOOK_DATA did not reach the kernel"
    assert "healing.css" in html, "the project stylesheet is not linked"


@pytest.mark.voila
def test_voila_utils_wait_for_request_reads_query(tiny_server: VoilaServer) -> None:
    status, html = http_get(tiny_server.page_url("voila_utils.ipynb", wb="via-voila", who="b"))
    assert status == 200
    assert_no_voila_error(html)
    assert f"preheat={tiny_server.preheat}" in html
    assert "wb=via-voila" in html
    assert "who=b" in html


@pytest.mark.voila
def test_each_view_gets_its_own_query(tiny_server: VoilaServer) -> None:
    """Back-to-back views (the second one while the pool refills) keep their own query."""
    for name in ("first-couple", "second-couple", "third-couple"):
        status, html = http_get(tiny_server.page_url("00_start.ipynb", wb=name, who="b"))
        assert status == 200
        assert f"wb={name}" in html, f"view for {name} got another query"


@pytest.mark.voila
def test_root_redirects_to_start_page_keeping_query(tiny_server: VoilaServer) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(f"{tiny_server}/?wb=x&who=b", timeout=10)
    with caught.value as response:
        assert response.code == 302
        assert response.headers["Location"] == "/voila/render/00_start.ipynb?wb=x&who=b"
    status, html = http_get(f"{tiny_server}/?wb=redirected&who=b")
    assert status == 200
    assert "wb=redirected" in html


@pytest.mark.voila
def test_failing_cell_shows_a_calm_message_without_traceback(tiny_server: VoilaServer) -> None:
    status, html = http_get(tiny_server.page_url("broken.ipynb"))
    assert status == 200, "Voila answers 200 even when a cell fails: look at the text"
    assert "before-the-error" in html
    assert VOILA_CELL_ERROR in html
    assert CELL_ERROR_MESSAGE in html
    for leak in ("secret-detail", "/very/private/path.py", "RuntimeError", "Traceback"):
        assert leak not in html, f"{leak!r} reached the page"
    assert "after-the-error" not in html, "Voila stops a page at its first failing cell"
    with pytest.raises(AssertionError, match="Voila error"):
        assert_no_voila_error(html)
    # ... and the traceback went to the server log instead.
    deadline = time.monotonic() + 10
    while "secret-detail" not in tiny_server.log_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "secret-detail" in tiny_server.log_text()


@pytest.mark.voila
def test_visitor_cannot_switch_template(tiny_server: VoilaServer) -> None:
    status, html = http_get(tiny_server.page_url("00_start.ipynb", template="lab", wb="t"))
    assert status == 200
    assert "healing.css" in html
    status, css = http_get(f"{tiny_server}/voila/templates/{TEMPLATE_NAME}/static/healing.css")
    assert status == 200
    assert "--ht-measure: 46rem" in css


@pytest.mark.voila
def test_token_server(tiny_notebooks: Path, tmp_path: Path) -> None:
    token = generate_token()
    with running_voila(tiny_notebooks, tmp_path, name="voila-test-token", token=token) as server:
        server.wait_for_log("Kernel pool of 00_start.ipynb is filled")
        status, html = http_get(f"{server}/voila/render/00_start.ipynb?wb=x")
        assert status in (302, 403) or "This page needs its whole link" in html, (
            "a page opened without token"
        )
        assert "wb=x" not in html
        status, html = http_get(server.page_url("00_start.ipynb", wb="with-token"))
        assert status == 200
        assert "wb=with-token" in html
        assert "preheat=True" in html
        # QUERY_STRING holds the token too; request_query() leaves it out.
        assert "token-in-env=True" in html
        assert "token-in-query=False" in html


@pytest.mark.voila
def test_kernel_of_a_closed_view_is_culled(tiny_notebooks: Path, tmp_path: Path) -> None:
    """A view with no open connection (here: a plain GET) is stopped after the idle time."""
    with running_voila(
        tiny_notebooks,
        tmp_path,
        name="voila-test-cull",
        preheat=False,
        cull_idle_timeout=2,
        cull_interval=1,
    ) as server:
        status, html = http_get(server.page_url("00_start.ipynb", wb="x"))
        assert status == 200
        match = re.search(r'"kernelId": "([0-9a-f-]{36})"', html)
        assert match, "no kernel id in the page"
        kernel_url = f"{server}/api/kernels/{match.group(1)}"
        assert http_get(kernel_url)[0] == 200, "the kernel should still be running"
        deadline = time.monotonic() + 20
        while http_get(kernel_url)[0] == 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert http_get(kernel_url)[0] == 404, "the idle, unconnected kernel was not culled"


def test_serve_refuses_a_busy_port(notebooks: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServingError, match="already in use"):
            serving.serve(notebooks, port=port, data_dir=tmp_path / "data")


SERVE_SCRIPT = """
import sys
from workbook.serving import serve
sys.exit(serve(sys.argv[1], port=int(sys.argv[2]), data_dir=sys.argv[3]))
"""


@pytest.mark.voila
@pytest.mark.parametrize("stop", ["sigint-once", "sigint-twice", "sigterm", "sigkill"])
def test_serve_stops_cleanly(notebooks: Path, tmp_path: Path, stop: str) -> None:
    """Ctrl-C (once or twice) or SIGTERM stops Voila and every kernel within 5 s, leaves no
    connection file, and frees the port for a restart. `workbook serve` killed outright
    (SIGKILL) cannot clean up, but Voila then stops itself and its kernels (Linux)."""
    import psutil

    write_notebook(notebooks / "01_more.ipynb", [("code", "print('more')")])
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT, str(notebooks), str(port), str(tmp_path / "d")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a terminal's process group, so Ctrl-C can be imitated
        env={**os.environ, "TMPDIR": str(temp)},
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        for raw in proc.stdout:
            lines.append(raw.decode(errors="replace"))
            if "Kernel pool of" in lines[-1] and sum("Kernel pool of" in x for x in lines) == 2:
                break
        status, html = http_get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "Start" in html
        # The page's kernel and the two pools' (one of them refilling after the page).
        deadline = time.monotonic() + 60
        while True:
            processes = psutil.Process(proc.pid).children(recursive=True)
            kernels = [p for p in processes if "ipykernel" in " ".join(_cmdline(p))]
            if len(kernels) >= 3 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(kernels) >= 3, "two preheated kernels and the page's were expected"
        assert any(temp.rglob("kernel-*.json")), "connection files are expected while serving"
        if stop == "sigkill":
            if not sys.platform.startswith("linux"):
                pytest.skip("a child ends with its parent on Linux only")
            proc.kill()  # `workbook serve` alone; Voila is in its own session
        elif stop == "sigterm":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals its group
            if stop == "sigint-twice":
                time.sleep(0.3)
                os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)
        # When `serve` has returned, Voila and its kernels have ended too (0.5 s to be reaped).
        _, alive = psutil.wait_procs(processes, timeout=10 if stop == "sigkill" else 0.5)
        assert not alive, f"still running after serve returned: {[_cmdline(p) for p in alive]}"
        if stop == "sigkill":  # nobody was left to remove the run's (by now empty) folder
            assert not list(temp.rglob("kernel-*.json")), f"left: {list(temp.rglob('*'))}"
        else:
            assert list(temp.iterdir()) == [], f"left behind: {list(temp.rglob('*'))}"
        with socket.socket() as probe:  # the port is free for a restart (as Voila binds it)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _cmdline(process: Any) -> list[str]:
    import psutil

    try:
        return list(process.cmdline())
    except psutil.Error:  # ended (or a zombie) meanwhile
        return []


def test_the_widgets_scripts_may_be_kept_by_the_browser(tiny_server: VoilaServer) -> None:
    """Voila marks every file under /voila/labextensions/ "no-cache", so each page asked again
    for each of them (17 a page). Those asked for with their content's hash (``?v=``) may now
    be kept; a file asked for by name alone is still checked each time (jupyter_server's rule)."""
    static = Path(sys.prefix, "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager")
    chunk = sorted((static / "static").glob("*.js"))[0].name
    url = f"{tiny_server}/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/{chunk}"
    for query, kept in (("?v=1", True), ("", False)):
        with urllib.request.urlopen(url + query, timeout=60) as response:
            assert response.status == 200
            cache = response.headers.get("Cache-Control") or ""
            assert ("max-age" in cache) == kept, f"{chunk}{query}: {cache!r}"
            assert ("no-cache" in cache) != kept, f"{chunk}{query}: {cache!r}"
    # The page itself is still never kept: it is drawn for its visitor.
    with urllib.request.urlopen(tiny_server.page_url("00_start.ipynb"), timeout=120) as page:
        assert "no-store" in (page.headers.get("Cache-Control") or "")
