"""Shared fixtures: a private data folder, Sam and Alex writing, and the made-up demo couple."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import workbook
from workbook.demo import write_demo

if TYPE_CHECKING:
    from workbook.ui.base import Session


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
def sam(wb: workbook.Workbook) -> Session:
    """Sam (partner a) writing."""
    from workbook.ui.base import Session  # widgets only for the tests that use them

    return Session(wb=wb, who="a")


@pytest.fixture
def alex(wb: workbook.Workbook) -> Session:
    """Alex (partner b) writing, on the same workbook."""
    from workbook.ui.base import Session

    return Session(wb=wb, who="b")


@pytest.fixture
def demo(data_dir: Path) -> Iterator[workbook.Workbook]:
    """The made-up demo couple with 120 days of entries."""
    book = write_demo(data_dir=data_dir)
    yield book
    book.close()
