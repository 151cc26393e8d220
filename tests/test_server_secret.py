"""The cookie secret is kept in the data folder across restarts, and mixed with the token."""

from __future__ import annotations

import stat
from pathlib import Path

from workbook.server_secret import FILE_NAME, cookie_secret


def test_the_same_folder_and_token_give_the_same_secret_a_new_token_another(
    tmp_path: Path,
) -> None:
    first = cookie_secret(tmp_path, "token-one")
    assert len(first) == 32
    assert cookie_secret(tmp_path, "token-one") == first, "a restart knows its browsers"
    assert cookie_secret(tmp_path, "token-two") != first, "a new token shuts them out"
    assert cookie_secret(tmp_path, None) not in (first, cookie_secret(tmp_path, "token-two"))
    kept = tmp_path / FILE_NAME
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert first not in kept.read_bytes(), "the file holds the kept part, not the secret"
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME], "no temporary file left"


def test_a_damaged_or_missing_file_makes_a_new_secret(tmp_path: Path) -> None:
    first = cookie_secret(tmp_path, "t")
    (tmp_path / FILE_NAME).write_bytes(b"short")
    second = cookie_secret(tmp_path, "t")
    assert second != first
    assert cookie_secret(tmp_path, "t") == second
    (tmp_path / FILE_NAME).unlink()
    assert cookie_secret(tmp_path, "t") not in (first, second)
