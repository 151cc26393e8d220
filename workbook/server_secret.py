"""The secret that signs the server's login cookies, kept in the data folder across restarts.

Voila makes a new cookie secret at every start, so a server started again (a closed terminal,
a laptop that slept) forgot every browser it had let in: each open page went dead and every
link of the app led to "This page needs its whole link", though the person had opened nothing
new. The secret is kept instead in the data folder (``.server-secret``, 0600, beside the
workbooks it guards) and mixed with the server's token, so the same server with the same token
knows its browsers again, and a new token still shuts out everyone the old one let in.

Importing this module imports nothing of Jupyter.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

#: The file in the data folder.
FILE_NAME = ".server-secret"
_SIZE = 32


def cookie_secret(folder: Path, token: str | None) -> bytes:
    """The cookie secret for a server on `folder` with `token` (None: no token)."""
    kept = _kept_secret(folder / FILE_NAME)
    return hmac.new(kept, (token or "").encode(), hashlib.sha256).digest()


def _kept_secret(path: Path) -> bytes:
    try:
        kept = path.read_bytes()
    except FileNotFoundError:
        kept = b""
    if len(kept) == _SIZE:
        return kept
    # Missing or damaged: a new one (every browser signs in again, as at a first start).
    fresh = secrets.token_bytes(_SIZE)
    tmp = path.with_name(f"{FILE_NAME}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(fresh)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return fresh
