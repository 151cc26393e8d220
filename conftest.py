"""Root pytest hooks: a throwaway data folder for notebooks, and no passing by skipping.

Kernels started by nbval inherit this process's environment, so WORKBOOK_DATA points them at
a temporary folder; nothing real is ever read or written by the test run.

Browser tests need Playwright and a Chromium. When a selected browser test could not get
them, the run stops at once with what is missing and how to get it, instead of skipping those
tests and passing: a run without its browser tests is not a pass. Deselect them on purpose
(``-m "not browser"``), or set ``WORKBOOK_ALLOW_NO_BROWSER=1`` to let them be skipped (shown as
skips; `make test` clears that variable, so it never passes that way).
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from pathlib import Path

import pytest

#: Set to 1 to let browser tests be skipped when there is no browser (never set by make test).
ALLOW_NO_BROWSER_ENV = "WORKBOOK_ALLOW_NO_BROWSER"


#: Couples in the workshop load test's room in `make test`; `make load` asks for 20.
ROOM_COUPLES = 5


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--room-couples",
        type=int,
        default=ROOM_COUPLES,
        help="couples in the workshop load test's room (make test: 5; make load: 20)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Give notebook runs their own demo data folder (removed at the end)."""
    if os.environ.get("WORKBOOK_TEST_DATA"):
        return
    folder = Path(tempfile.mkdtemp(prefix="workbook-nbval-"))
    from workbook.demo import write_demo

    write_demo(data_dir=folder).close()
    os.environ["WORKBOOK_DATA"] = str(folder)
    os.environ["WORKBOOK_TEST_DATA"] = str(folder)
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keep what the run imported and collected out of the garbage collector's full passes.

    Nearly all of it lives until the end of the run; the trends page collects garbage after
    each chart it draws (to return a kernel's memory), and in this process each of those
    passes would otherwise walk everything the run holds. Done again after each test file.
    """
    gc.collect()
    gc.freeze()


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After a test file's last test: what it imported and kept joins the frozen objects."""
    if nextitem is not None and nextitem.path != item.path:
        gc.collect()
        gc.freeze()


def needs_browser(item: pytest.Item) -> bool:
    """True for a test that drives Chromium (marked `browser` or using the browser fixture)."""
    return item.get_closest_marker("browser") is not None or "browser" in getattr(
        item, "fixturenames", ()
    )


def missing_browser() -> str | None:
    """What the browser tests lack on this machine, with how to get it; None when nothing."""
    import importlib.util

    from voila_harness import chromium_binary

    chromium = chromium_binary()
    lacks = []
    if importlib.util.find_spec("playwright") is None:
        lacks.append(
            "Playwright for Python is not installed: run `make venv` (it installs the test "
            "extra: pip install -e '.[test]')."
        )
    if not (Path(chromium).is_file() and os.access(chromium, os.X_OK)):
        lacks.append(
            f"there is no Chromium at {chromium}: install it (Debian/Ubuntu: "
            "`sudo apt-get install chromium-headless-shell`, or `chromium`), or set "
            "WORKBOOK_CHROMIUM to a Chromium or Chrome binary."
        )
    return " ".join(lacks) or None


@pytest.hookimpl(trylast=True)  # after -m/-k deselection: only tests that will run count
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop the run when selected browser tests would be skipped for want of a browser."""
    if os.environ.get(ALLOW_NO_BROWSER_ENV) == "1":
        return
    count = sum(1 for item in items if needs_browser(item))
    if not count:
        return
    problem = missing_browser()
    if problem:
        raise pytest.UsageError(
            f"{count} selected browser test(s) cannot run: {problem} They are not skipped "
            "quietly: a run without them is not a pass. To run only the other tests, add "
            f'-m "not browser" (or set {ALLOW_NO_BROWSER_ENV}=1 to see them as skips).'
        )
