"""`make app` opens the page where there is a screen, and its log carries no noise.

The log a person watches while serving holds what they can act on: the address, errors. Two
warnings came at every page view before: Jupyter's "Notebook ... is not trusted" (meaningless
for notebooks that Voila runs itself) and ipykernel's "Kernel is running over TCP without
encryption" (now the kernels' traffic is encrypted with CurveZMQ keys instead).
"""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path
from typing import Any

import pytest
from voila_harness import assert_no_voila_error, http_get, running_voila

from workbook import cli, serving, voila_app
from workbook.demo import write_demo

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOISE = ("is not trusted", "without encryption")


def test_served_pages_leave_no_noise_in_the_log(tmp_path: Path) -> None:
    write_demo(data_dir=tmp_path).close()
    with running_voila(NOTEBOOKS, tmp_path, name="voila-quiet", preheat=False) as server:
        titles = {
            "00_start.ipynb": "Healing Together",
            "03_empathy_patience.ipynb": "Step 3 · Empathy and patience · Healing Together",
            "08_walk_away.ipynb": "Healing Together",
        }
        for notebook, title in titles.items():
            status, html = http_get(server.page_url(notebook, wb="demo", who="a"))
            assert status == 200
            assert_no_voila_error(html)
            # A tab (and the history list) reads as the page, not as a file name.
            assert f"<title>{title}</title>" in html, notebook
        server.wait_for_log("Kernel started")
        log = server.log_text()
    assert "Open the workbook at:" in log, "the address was not printed"
    noisy = [line for line in log.splitlines() if any(n in line for n in NOISE)]
    assert not noisy, noisy
    # A normal start warns about nothing (traitlets' DeprecationWarning about the list-literal
    # form of http_header_envs came at every start before).
    warned = [line for line in log.splitlines() if "Warning" in line or "warn(" in line]
    assert not warned, warned


def test_the_cookie_header_option_parses_to_a_list_without_a_warning() -> None:
    """Voila reads the header list from the options as a list, item by item."""
    import warnings

    app = voila_app.make_app_class()()
    options = [a for a in serving.voila_options() if "http_header_envs" in a]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.parse_command_line(options)
    assert list(app.config.VoilaConfiguration.http_header_envs) == serving.HTTP_HEADER_ENVS


def test_kernel_traffic_is_encrypted_where_pyzmq_can() -> None:
    argv = serving.voila_argv(NOTEBOOKS)
    if serving._has_curve():
        assert "--MappingKernelManager.transport_encryption=auto" in argv
    else:  # pragma: no cover - pyzmq wheels bundle libsodium
        assert not [a for a in argv if "transport_encryption" in a]


def test_only_the_not_trusted_warning_is_dropped() -> None:
    import logging

    def record(msg: str) -> logging.LogRecord:
        return logging.LogRecord("WorkbookVoila", logging.WARNING, __file__, 1, msg, ("x",), None)

    assert voila_app._drop_not_trusted(record("Notebook %s is not trusted")) is False
    assert voila_app._drop_not_trusted(record("Kernel %s died")) is True


class _Browser:
    def __init__(self, name: str) -> None:
        self.name = name


@pytest.mark.parametrize(
    ("env", "browser", "expected"),
    [
        ({}, "firefox", False),  # no screen
        ({"DISPLAY": ":0"}, "firefox", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "chromium", True),
        ({"DISPLAY": ":0"}, "lynx", False),  # would take over the terminal
        ({"DISPLAY": ":0"}, None, False),  # no browser at all
    ],
)
def test_browser_available(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], browser: str | None, expected: bool
) -> None:
    monkeypatch.setattr(cli.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def get(using: str | None = None) -> _Browser:
        if browser is None:
            raise webbrowser.Error("could not locate runnable browser")
        return _Browser(browser)

    monkeypatch.setattr(webbrowser, "get", get)
    assert cli.browser_available() is expected


@pytest.mark.parametrize(
    ("flag", "screen", "opens"),
    [([], True, True), (["--no-browser"], True, False), ([], False, False)],
)
def test_serve_opens_the_browser_only_with_a_screen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, flag: list[str], screen: bool, opens: bool
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(serving, "serve", lambda **kw: seen.update(kw) or 0)
    monkeypatch.setattr(cli, "browser_available", lambda: screen)
    assert cli.main(["--data-dir", str(tmp_path), "serve", *flag]) == 0
    assert seen["open_browser"] is opens
    assert isinstance(cli.build_parser().parse_args(["serve"]), argparse.Namespace)


def test_no_log_record_is_made_below_the_log_level() -> None:
    """A debug line of Voila or nbclient (each preheat message, with its content) was made
    into a record and scrubbed, then dropped by the handler: a fifth of the server's CPU."""
    import logging

    app = voila_app.make_app_class()()
    app.log_level = logging.INFO
    assert app.log.isEnabledFor(logging.DEBUG)  # what traitlets leaves
    app.records_from_log_level()
    assert not app.log.isEnabledFor(logging.DEBUG)
    assert app.log.isEnabledFor(logging.INFO)
