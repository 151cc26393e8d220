"""What the benchmarks share: the repository and its test helpers on the import path, the
notebooks, where results go, and the test harness's server and browser.

Imported first by each benchmark script (``python benchmarks/run.py`` puts this folder on the
path): after it, ``voila_harness`` and ``workbook`` import from this checkout.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for _folder in (REPO / "tests", REPO):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from voila_harness import (  # noqa: E402
    CHROMIUM,
    VoilaServer,
    kernel_processes,
    running_voila,
    wait_until,
)
from voila_harness import launched_chromium as chromium  # noqa: E402

NOTEBOOKS = REPO / "notebooks"
RESULTS_DIR = Path(__file__).resolve().parent / "results"

__all__ = [
    "CHROMIUM",
    "NOTEBOOKS",
    "REPO",
    "RESULTS_DIR",
    "VoilaServer",
    "chromium",
    "kernel_processes",
    "running_voila",
    "wait_until",
]
