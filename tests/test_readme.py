"""The README's Python runs as written, top to bottom, in a fresh interpreter and data folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a Markdown text, in order."""
    return _BLOCK.findall(text)


def run_blocks(blocks: list[str], data_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the blocks as one script, warnings as errors, with its own WORKBOOK_DATA."""
    env = dict(os.environ, WORKBOOK_DATA=str(data_dir), MPLBACKEND="Agg")
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", "\n".join(blocks)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_readme_python_blocks_run_top_to_bottom(tmp_path: Path) -> None:
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2, "the README's Python examples were not found"
    data_dir = tmp_path / "data"
    result = run_blocks(blocks, data_dir, tmp_path)
    assert result.returncode == 0, f"the README's Python failed:\n{result.stderr[-3000:]}"
    names = sorted(p.name for p in data_dir.iterdir() if p.suffix == ".sqlite3")
    assert names == ["sam-and-alex-copy.workbook.sqlite3", "sam-and-alex.workbook.sqlite3"]
    assert (tmp_path / "mood-and-trust.png").read_bytes().startswith(b"\x89PNG")


def test_the_check_fails_on_the_old_snippet(tmp_path: Path) -> None:
    """Unlocking before any passphrase was set, as the README once did, fails the run."""
    old = (
        "import workbook\n"
        'wb = workbook.create("sam-and-alex", "Sam", "Alex")\n'
        'wb.unlock("a", "my passphrase")\n'
    )
    blocks = python_blocks(f"```python\n{old}```\n")
    result = run_blocks(blocks, tmp_path / "data", tmp_path)
    assert result.returncode != 0
    assert "No passphrase has been set yet" in result.stderr
