"""A notebook opened in a real JupyterLab and run as it is: a working page, styled as in Voila.

This is what `make lab` gives a data-minded person: a fresh data folder (no demo couple yet),
the start notebook opened, "Run All Cells". The page opens the made-up demo couple and wears
the app's look (17 px text, the warm background, 44 px buttons) without touching the rest of
JupyterLab. A screenshot is saved as tests/output/screenshots/jupyterlab-start-desktop.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from voila_harness import (
    DESKTOP,
    NOTEBOOKS,
    OUTPUT_DIR,
    free_port,
    screenshot,
    stop_process_group,
    wait_until,
)

pytestmark = pytest.mark.browser

#: A throwaway token for a loopback test server.
TOKEN = "jupyterlab-test-token"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab on a copy of the notebooks, with an empty WORKBOOK_DATA; yields its URL."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    port = free_port()
    env = dict(os.environ, WORKBOOK_DATA=str(root / "data"), JUPYTER_RUNTIME_DIR=str(root / "rt"))
    for name in ("VOILA_PREHEAT", "VOILA_BASE_URL", "WORKBOOK_WORKSHOP"):
        env.pop(name, None)
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    log = (OUTPUT_DIR / f"jupyterlab-{port}.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={root / 'notebooks'}",
            f"--IdentityProvider.token={TOKEN}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        import urllib.request

        def up() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
                    return True
            except OSError:
                return False

        assert wait_until(up, 90), "JupyterLab did not start; see tests/output/jupyterlab-*.log"
        yield base
    finally:
        stop_process_group(process)
        log.close()


def test_start_notebook_runs_styled_in_jupyterlab(lab: str, browser: Any) -> None:
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(120_000)
    try:
        page = context.new_page()
        page.goto(f"{lab}/lab/tree/00_start.ipynb?token={TOKEN}")
        page.locator(".jp-Notebook").first.wait_for()
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for()
        # JupyterLab may ask which kernel to start (as a person sees it too): the default.
        select = page.locator(".jp-Dialog").get_by_role("button", name="Select")
        try:
            select.wait_for(timeout=5_000)
        except PlaywrightTimeoutError:
            pass  # no dialog this time
        else:
            select.click()
        page.get_by_role("menuitem", name="Run").click()
        page.get_by_role("menuitem", name="Run All Cells").first.click()
        try:
            page.get_by_text("Hello, Sam").first.wait_for()
        except Exception:
            screenshot(page, "jupyterlab-start-failed", full_page=False)
            raise
        page.wait_for_timeout(1000)
        text = page.locator(".ht-lab").inner_text()
        assert "There is no workbook" not in text
        assert "Your steps" in text
        looks = page.evaluate(
            """() => {
              const root = document.querySelector('.ht-lab');
              const button = root.querySelector('.ht-button');
              const card = root.querySelector('.ht-card');
              return {
                font: getComputedStyle(root).fontSize,
                background: getComputedStyle(root).backgroundColor,
                card: getComputedStyle(card).borderRadius,
                button: button.getBoundingClientRect().height,
                toolbar: getComputedStyle(document.querySelector('.jp-Toolbar')).fontSize,
              };
            }"""
        )
        assert looks["font"] == "17px", looks
        assert looks["background"] == "rgb(246, 243, 238)", looks  # --ht-bg
        assert looks["card"] == "10px", looks
        assert looks["button"] >= 44, looks
        assert looks["toolbar"] != "17px", f"the page's style leaked into JupyterLab: {looks}"
        screenshot(page, "jupyterlab-start-desktop", full_page=False)
    finally:
        context.close()
