"""The JupyterHub deployment (deploy/jupyterhub/) serves the workbook: a real hub, end to end.

A JupyterHub with configurable-http-proxy is started on loopback with the project's own
``jupyterhub_config.py``; only what a test machine cannot have is swapped (see `_TEST_CONFIG`):
a testing authenticator with a shared password instead of PAM, and SimpleLocalProcessSpawner
(servers run as this user, homes in a temporary folder) instead of one Unix account per couple.
A couple logs in over HTTP, the hub spawns their single-user server, and the start page is
fetched through the hub's proxy at ``/user/<name>/voila/render/00_start.ipynb``.

Needs ``configurable-http-proxy`` (npm) on PATH: skipped without it, except in CI (``CI`` set),
where .ci/run installs it and its absence fails the test.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.cookiejar
import importlib.util
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from voila_harness import (
    CHROMIUM,
    NOTEBOOKS,
    OUTPUT_DIR,
    REPO,
    assert_no_voila_error,
    create_couple_on_start_page,
    free_port,
    launched_chromium,
)

pytestmark = pytest.mark.voila

HUB_CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PASSWORD = "workshop-test-password"  # a throwaway password for a loopback hub
COUPLE = "couple1"
OTHER_COUPLE = "couple2"
FACILITATOR = "coach"

#: Loads the real deployment config, then swaps only what a test machine cannot have.
_TEST_CONFIG = """\
load_subconfig({hub_config!r})

c.JupyterHub.bind_url = "http://127.0.0.1:{proxy_port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.pid_file = {proxy_pid_file!r}
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {cookie_secret!r}

# Testing only: one shared password instead of PAM accounts.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = {{{couple!r}, {other!r}, {facilitator!r}}}
c.LocalAuthenticator.allowed_groups = set()
c.Authenticator.admin_users = set()

# Testing only: servers run as this user (root in CI), homes in a temporary folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.args = [*c.Spawner.args, "--allow-root"]
"""

STARTUP_TIMEOUT = 60.0
SPAWN_TIMEOUT = 90.0
PAGE_TIMEOUT = 120.0


@dataclass
class Hub:
    url: str
    workshop: Path
    log_path: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 80) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _require(what: str, present: bool, hint: str) -> None:
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; {hint}")
    pytest.skip(f"{what} is missing ({hint})")


class _Browser:
    """urllib with a cookie jar: follows redirects, never raises for HTTP errors."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, path: str, data: dict[str, str] | None = None, timeout: float = 30.0
    ) -> tuple[int, str, str]:
        """(status, final URL, body) of a GET, or of a form POST when ``data`` is given."""
        body = urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                text = response.read().decode("utf-8", errors="replace")
                return int(response.status), response.geturl(), text
        except urllib.error.HTTPError as exc:
            with exc:
                return int(exc.code), exc.geturl(), exc.read().decode("utf-8", errors="replace")

    def cookie(self, name: str) -> str:
        for cookie in self.jar:
            if cookie.name == name and cookie.value:
                return cookie.value
        raise AssertionError(f"no {name!r} cookie; cookies: {[c.name for c in self.jar]}")

    def log_in(self, user: str, password: str, next_url: str = "") -> tuple[int, str, str]:
        status, _, _ = self.request("/hub/login")
        assert status == 200, f"GET /hub/login answered {status}"
        form = {"username": user, "password": password, "_xsrf": self.cookie("_xsrf")}
        return self.request(f"/hub/login?{urlencode({'next': next_url})}", data=form)


def _wait_until(check: Any, timeout: float, hub: Hub, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        if hub.process.poll() is not None:
            raise AssertionError(
                f"JupyterHub exited ({hub.process.returncode}) while waiting for {what}; "
                f"log {hub.log_path}:\n{hub.log_tail()}"
            )
        time.sleep(0.5)
    raise AssertionError(f"{what} not within {timeout}s; log {hub.log_path}:\n{hub.log_tail()}")


def _descendants(pid: int) -> list[Any]:
    try:
        import psutil  # comes with ipykernel
    except ImportError:  # pragma: no cover - ipykernel always brings it
        return []
    with contextlib.suppress(psutil.Error):
        return list(psutil.Process(pid).children(recursive=True))
    return []


def _stop(process: subprocess.Popen[bytes], proxy_pid_file: Path) -> None:
    """SIGTERM the hub (it stops the servers and the proxy), then kill whatever is left."""
    leftovers = _descendants(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)
    for child in leftovers:  # single-user servers run in their own sessions
        with contextlib.suppress(Exception):
            child.kill()
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(proxy_pid_file.read_text().strip()), signal.SIGKILL)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A running JupyterHub on loopback with the deployment config; yields its proxy URL."""
    _require(
        "JupyterHub",
        importlib.util.find_spec("jupyterhub") is not None,
        "pip install -e '.[test]' installs it",
    )
    _require(
        "configurable-http-proxy",
        shutil.which("configurable-http-proxy") is not None,
        "npm install --global configurable-http-proxy (.ci/run does this)",
    )
    root = tmp_path_factory.mktemp("jupyterhub")
    state, workshop, homes = root / "state", root / "workshop", root / "homes"
    state.mkdir(mode=0o700)
    homes.mkdir()
    proxy_port, api_port, hub_port = free_port(), free_port(), free_port()
    while len({proxy_port, api_port, hub_port}) < 3:
        api_port, hub_port = free_port(), free_port()
    proxy_pid_file = state / "proxy.pid"
    config = root / "jupyterhub_test_config.py"
    config.write_text(
        _TEST_CONFIG.format(
            hub_config=str(HUB_CONFIG),
            proxy_port=proxy_port,
            api_port=api_port,
            hub_port=hub_port,
            proxy_pid_file=str(proxy_pid_file),
            state=state,
            cookie_secret=str(state / "jupyterhub_cookie_secret"),
            password=PASSWORD,
            couple=COUPLE,
            other=OTHER_COUPLE,
            facilitator=FACILITATOR,
            homes=str(homes),
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "HEALING_"))}
    env.update(
        HEALING_NOTEBOOKS=str(NOTEBOOKS),
        HEALING_WORKSHOP_DIR=str(workshop),
        HEALING_HUB_STATE=str(state),
        HEALING_HUB_FACILITATORS=FACILITATOR,
        PYTHONUNBUFFERED="1",
    )
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    log_path = OUTPUT_DIR / f"jupyterhub-{proxy_port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=state,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group (with the proxy), for a clean stop
        )
    running = Hub(f"http://127.0.0.1:{proxy_port}", workshop, log_path, process)
    try:
        visitor = _Browser(running.url)

        def answers() -> bool:
            try:
                return visitor.request("/hub/api/", timeout=5)[0] == 200
            except (urllib.error.URLError, OSError):
                return False

        _wait_until(answers, STARTUP_TIMEOUT, running, "the hub answering through its proxy")
        yield running
    finally:
        _stop(process, proxy_pid_file)


# --- the configuration file alone -------------------------------------------------------------


def _load_config(monkeypatch: pytest.MonkeyPatch, **env: str) -> Any:
    from traitlets.config.loader import PyFileConfigLoader

    for name in ("HEALING_DATA_LAYOUT", "HEALING_WORKSHOP_DIR", "HEALING_NOTEBOOKS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader(HUB_CONFIG.name, path=str(HUB_CONFIG.parent)).load_config()


def _fake_spawner(name: str) -> Any:
    return SimpleNamespace(user=SimpleNamespace(name=name))


def test_config_gives_each_account_a_private_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = _load_config(monkeypatch, HEALING_WORKSHOP_DIR=str(tmp_path))
    spawner = _fake_spawner("no-such-unix-account-x")
    environment = config.Spawner.environment
    assert environment["WORKBOOK_DATA"](spawner) == str(tmp_path / "no-such-unix-account-x")
    assert "WORKBOOK_WORKSHOP" not in environment
    config.Spawner.pre_spawn_hook(spawner)
    assert stat.S_IMODE((tmp_path / "no-such-unix-account-x").stat().st_mode) == 0o700
    assert config.Spawner.default_url == "/voila/render/00_start.ipynb"
    assert Path(config.Spawner.notebook_dir) == NOTEBOOKS
    assert (Path(environment["JUPYTER_PATH"]) / "voila/templates/healing/conf.json").is_file()
    assert config.JupyterHub.authenticator_class == "pam", "production must not use a test login"
    assert config.JupyterHub.spawner_class == "localprocess"


def test_config_shared_layout_uses_one_folder_and_join_codes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = _load_config(
        monkeypatch, HEALING_WORKSHOP_DIR=str(tmp_path), HEALING_DATA_LAYOUT="shared"
    )
    spawner = _fake_spawner("couple7")
    assert config.Spawner.environment["WORKBOOK_DATA"](spawner) == str(tmp_path)
    assert config.Spawner.environment["WORKBOOK_WORKSHOP"] == "1"
    config.Spawner.pre_spawn_hook(spawner)
    assert list(tmp_path.iterdir()) == [], "the shared folder is the facilitator's to prepare"


def test_config_refuses_an_unknown_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="HEALING_DATA_LAYOUT"):
        _load_config(monkeypatch, HEALING_DATA_LAYOUT="everyone-everywhere")


def test_config_serves_pages_like_workbook_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub's servers get exactly Voila's options of `workbook serve` (`voila_options`).

    Besides them the hub passes only Jupyter Server's own settings (which extensions run, the
    kernel frame guard). Preheating and kernel pools are left out: Voila's server extension
    has neither.
    """
    from workbook.serving import voila_argv, voila_options

    options = voila_options()
    assert options, "voila_options() sets no Voila options"
    hub_args = list(_load_config(monkeypatch).Spawner.args)
    voila_args = [arg for arg in hub_args if not arg.startswith("--ServerApp.")]
    assert voila_args == options, (
        f"deploy/jupyterhub/jupyterhub_config.py passes {voila_args}, not voila_options()"
    )
    argv = voila_argv(NOTEBOOKS)
    missing = [arg for arg in options if arg not in argv]
    assert not missing, f"`workbook serve` lacks {missing}"
    # Nothing Voila-wide is set by `workbook serve` alone, except what the extension lacks.
    own = {"--VoilaConfiguration.preheat_kernel", "--VoilaConfiguration.default_pool_size"}
    extra = [
        arg
        for arg in argv
        if arg.startswith(("--VoilaConfiguration.", "--VoilaExecutor.", "--MappingKernelManager."))
        and arg not in options
        and arg.split("=")[0] not in own
    ]
    assert not extra, f"`workbook serve` sets {extra} that the hub does not"


# --- a real hub -------------------------------------------------------------------------------


def _server_ready(session: _Browser, user: str) -> bool:
    status, _, body = session.request(f"/hub/api/users/{user}", timeout=10)
    assert status == 200, f"GET /hub/api/users/{user} answered {status}: {body[:300]}"
    server = json.loads(body)["servers"].get("")
    return bool(server and server.get("ready"))


def test_wrong_password_is_refused(hub: Hub) -> None:
    status, url, body = _Browser(hub.url).log_in(COUPLE, "not-the-password")
    assert status == 403, (status, url)
    assert "/hub/login" in url
    assert "Invalid username or password" in body


@pytest.fixture(scope="module")
def couple(hub: Hub) -> _Browser:
    """The couple logged in over HTTP, with their server started by the login."""
    session = _Browser(hub.url)
    status, url, _ = session.log_in(COUPLE, PASSWORD)
    # After logging in the hub starts the couple's server and shows its progress page.
    assert status == 200, (status, url)
    assert f"/hub/spawn-pending/{COUPLE}" in url or f"/user/{COUPLE}/" in url, url
    _wait_until(lambda: _server_ready(session, COUPLE), SPAWN_TIMEOUT, hub, "the couple's server")
    return session


def test_couple_logs_in_and_gets_the_workbook_through_the_hub(hub: Hub, couple: _Browser) -> None:
    # The server's own address opens the start page (Spawner.default_url), after the
    # single-user server's OAuth round trip with the hub.
    status, url, html = couple.request(f"/user/{COUPLE}/", timeout=PAGE_TIMEOUT)
    assert status == 200, (status, url, html[:500])
    assert url == f"{hub.url}/user/{COUPLE}/voila/render/00_start.ipynb", url
    assert "Healing Together" in html, "not the workbook's start page"
    assert "healing/static/healing.css" in html, "the 'healing' page template was not used"
    assert_no_voila_error(html)
    assert "wb_name" not in html, "notebook sources reached the page (strip_sources)"

    # The account's data folder in the workshop volume: created for it, private.
    folder = hub.workshop / COUPLE
    assert folder.is_dir(), f"no data folder {folder}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    # Only Voila pages: JupyterLab, the classic tree and terminals are switched off.
    for path in ("lab", "tree", "api/terminals"):
        assert couple.request(f"/user/{COUPLE}/{path}")[0] == 404, path


def test_another_couple_cannot_open_this_couples_server(hub: Hub, couple: _Browser) -> None:
    other = _Browser(hub.url)
    status, url, _ = other.log_in(OTHER_COUPLE, PASSWORD, next_url="/hub/home")
    assert status == 200, (status, url)
    assert url.endswith("/hub/home"), url
    status, url, _ = other.request(f"/user/{COUPLE}/voila/render/00_start.ipynb")
    assert status == 403, (status, url)


@pytest.mark.browser
def test_couple_writes_their_workbook_in_a_browser_through_the_hub(
    hub: Hub, couple: _Browser
) -> None:
    """Widgets work through the proxy (kernel websockets) and the file lands in the volume."""
    pytest.importorskip("playwright.sync_api")
    _require("Chromium", Path(CHROMIUM).exists(), f"no browser at {CHROMIUM}")

    def drive() -> None:
        with launched_chromium() as browser:
            page = browser.new_page(viewport={"width": 375, "height": 740})
            page.set_default_timeout(PAGE_TIMEOUT * 1000)
            page.goto(f"{hub.url}/hub/login?{urlencode({'next': f'/user/{COUPLE}/'})}")
            page.locator("#username_input").fill(COUPLE)
            page.locator("#password_input").fill(PASSWORD)
            page.locator("#login_submit").click()
            create_couple_on_start_page(page, "Robin", "Kai", "robin-kai")
            assert_no_voila_error(page)
            # Page links are relative, so they stay inside /user/<account>/voila/render/.
            page.get_by_role("link", name=re.compile("Step 1: A safe space")).click()
            page.get_by_text("Writing as").first.wait_for()
            assert page.url.startswith(f"{hub.url}/user/{COUPLE}/voila/render/01_"), page.url
            assert_no_voila_error(page)

    # A browser fixture elsewhere in the session may hold Playwright's sync loop on this
    # thread; a fresh thread has none, so the sync API works there.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(drive).result()
    made = hub.workshop / COUPLE / "robin-kai.workbook.sqlite3"
    assert made.is_file(), f"the workbook was not written to {made.parent}"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600


def test_facilitator_sees_who_is_logged_in_but_not_their_pages(hub: Hub, couple: _Browser) -> None:
    coach = _Browser(hub.url)
    status, url, _ = coach.log_in(FACILITATOR, PASSWORD, next_url="/hub/home")
    assert status == 200, (status, url)
    status, _, body = coach.request("/hub/api/users", timeout=10)
    assert status == 200, body[:300]
    assert COUPLE in {user["name"] for user in json.loads(body)}
    assert coach.request("/hub/admin")[0] == 200
    status, url, _ = coach.request(f"/user/{COUPLE}/voila/render/00_start.ipynb")
    assert status == 403, (status, url)
