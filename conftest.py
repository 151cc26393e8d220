"""Root pytest hooks: notebooks run by nbval get a throwaway data folder with the demo couple.

Kernels started by nbval inherit this process's environment, so WORKBOOK_DATA points them at
a temporary folder; nothing real is ever read or written by the test run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest


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
