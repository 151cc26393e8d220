"""Shared fixtures: a private data folder, Sam and Alex writing, and the made-up demo couple.

Two costs are paid once or made small here, because they are not what most tests test:

- scrypt: every test runs with `TEST_SCRYPT_N` (1 MiB, about 3 ms a derivation) instead of
  the production cost (`workbook.privacy.SCRYPT_N`, 32 MiB, about 0.1 s), by patching the
  module in this process only. The cost is kept in each key record, so the workbooks these
  tests write still open anywhere. Mark a test ``real_scrypt`` to keep the production cost
  (tests/test_store_hardening.py checks that a new passphrase gets it).
- the demo couple: written once per run (`demo_template`) and copied for each test (`demo`).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import workbook
from workbook import privacy, store
from workbook.demo import DEMO_NAME, write_demo
from workbook.paths import SUFFIX

if TYPE_CHECKING:
    from workbook.ui.base import Session


#: The test files that take longest (seconds of test time in one `make test`, 2026-12-06),
#: started first, longest first: `make test` hands whole files to its processes in this order
#: (with --no-loadscope-reorder; pytest-xdist otherwise sorts files by their number of tests),
#: and a long file handed out late ran on alone at the end while the other processes waited.
SLOWEST_FIRST = (
    "browser/test_spanish_pages.py",  # 202 s
    "browser/test_every_page.py",  # 160 s
    "browser/test_journeys.py",  # 160 s
    "browser/test_full_journey.py",  # 128 s
    "test_serving.py",  # 118 s
    "browser/test_safety_privacy.py",  # 115 s
    "browser/test_workshop_load.py",  # 96 s
    "browser/test_sitting_ends.py",  # 82 s
    "browser/test_step8_pages_no_trace.py",  # 56 s
    "browser/test_serving_page.py",  # 50 s
    "browser/test_leaving_pages.py",  # 38 s
    "test_packaging.py",  # 33 s
    "test_serving_guards.py",  # 28 s
    "browser/test_daily_and_replies_in_browser.py",  # 25 s
    "browser/test_app_pages.py",  # 24 s
    "test_jupyterlab.py",  # 22 s
    "browser/test_counsellor_page.py",  # 22 s
    "browser/test_workshop_join.py",  # 20 s
    "browser/test_numbers_layout.py",  # 20 s
    "test_jupyterhub.py",  # 20 s
)
_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest files first (`SLOWEST_FIRST`); each file's own tests keep their order."""
    missing = [name for name in SLOWEST_FIRST if not (_TESTS / name).is_file()]
    if missing:  # a file renamed or gone: the list must follow it
        raise pytest.UsageError(f"tests/conftest.py SLOWEST_FIRST names no file: {missing}")
    rank = {name: at for at, name in enumerate(SLOWEST_FIRST)}

    def place(item: pytest.Item) -> int:
        try:
            name = item.path.resolve().relative_to(_TESTS).as_posix()
        except ValueError:  # the notebooks (nbval)
            return len(rank)
        return rank.get(name, len(rank))

    items.sort(key=place)


#: scrypt's cost parameter in tests that do not test the cost (production: privacy.SCRYPT_N).
TEST_SCRYPT_N = 2**10


@pytest.fixture(autouse=True)
def cheap_scrypt(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """New passphrases in this process use `TEST_SCRYPT_N`, unless the test is `real_scrypt`."""
    if request.node.get_closest_marker("real_scrypt") is None:
        monkeypatch.setattr(privacy, "SCRYPT_N", TEST_SCRYPT_N)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder, also set as WORKBOOK_DATA so nothing touches the real one."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WORKBOOK_DATA", str(folder))
    return folder


@pytest.fixture
def wb(data_dir: Path) -> Iterator[workbook.Workbook]:
    """A new, empty workbook for Sam (a) and Alex (b)."""
    book = workbook.create("sam-and-alex", "Sam", "Alex", data_dir=data_dir)
    yield book
    book.close()


@pytest.fixture
def new_book(data_dir: Path) -> Iterator[Callable[[str, str, str], workbook.Workbook]]:
    """Makes a new, empty workbook (name, partner a, partner b) in `data_dir`; each is closed
    after the test."""
    made: list[workbook.Workbook] = []

    def make(name: str, partner_a: str, partner_b: str) -> workbook.Workbook:
        made.append(workbook.create(name, partner_a, partner_b, data_dir=data_dir))
        return made[-1]

    yield make
    for book in made:
        book.close()


@pytest.fixture
def sam(wb: workbook.Workbook) -> Session:
    """Sam (partner a) writing."""
    from workbook.ui.base import Session  # widgets only for the tests that use them

    return Session(wb=wb, who="a")


@pytest.fixture
def alex(wb: workbook.Workbook) -> Session:
    """Alex (partner b) writing, on the same workbook."""
    from workbook.ui.base import Session

    return Session(wb=wb, who="b")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the demo couple, written once per run (with `TEST_SCRYPT_N`)."""
    folder = tmp_path_factory.mktemp("demo-template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(privacy, "SCRYPT_N", TEST_SCRYPT_N)
        write_demo(data_dir=folder).close()
    return folder


@pytest.fixture
def demo(data_dir: Path, demo_template: Path) -> Iterator[workbook.Workbook]:
    """The made-up demo couple with 120 days of entries: a copy of `demo_template` of its own
    in `data_dir`, open (both partners locked, as `write_demo` leaves them)."""
    shutil.copytree(demo_template, data_dir, dirs_exist_ok=True)
    book = workbook.open(DEMO_NAME, data_dir=data_dir)
    yield book
    book.close()


#: Chart resolution in tests that read what a chart says, not how it looks (pages: 175-185).
TEST_CHART_DPI = 30


@pytest.fixture
def low_dpi_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages draw their charts at `TEST_CHART_DPI`: for tests that compare text, summaries or
    whether a chart was drawn, never its pixels (tests/test_chart_readability.py keeps 175)."""
    monkeypatch.setattr("workbook.ui.trends.CHART_DPI", TEST_CHART_DPI)
    monkeypatch.setattr("workbook.ui.facilitator.CHART_DPI", TEST_CHART_DPI)


@pytest.fixture
def old_file(tmp_path: Path) -> Callable[..., Path]:
    """A workbook file as an older version left it: its first `version` migrations, Sam and
    Alex, and the rows of `inserts` (SQL statements); the next open migrates it."""

    def make(version: int, *inserts: str) -> Path:
        path = tmp_path / f"old{SUFFIX}"
        con = sqlite3.connect(path)
        for script in store.MIGRATIONS[:version]:
            con.executescript(script)
        con.execute(f"PRAGMA application_id = {store.APP_ID}")
        con.execute(f"PRAGMA user_version = {version}")
        con.execute("INSERT INTO meta VALUES ('name', 'old')")
        con.execute("INSERT INTO partners (id, name) VALUES ('a', 'Sam'), ('b', 'Alex')")
        for sql in inserts:
            con.execute(sql)
        con.commit()
        con.close()
        return path

    return make
