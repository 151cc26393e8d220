"""The quick exit's last word to the server: end the sittings this browser carried.

A sitting (one partner's unlock carried from page to page) is ended by the page's hidden "end"
button, pressed by healing.js on the exit; that press travels to the page's kernel on its
websocket. On the way out, though, Voila's own unload beacon has the server shut that kernel
down through the control channel, which can overtake the press, and the sitting's row was then
left until its quiet period ran out. So the exit also sends the sitting cookies themselves
(``name=value``, form-encoded) with ``navigator.sendBeacon`` to ``<base>ht/exit``, and the
server ends each sitting named there (`end_sittings`), before the browser forgets the cookies.

Ending a sitting only locks: nothing is read or shown, and a value that names no sitting ends
nothing. The body is never logged.

The server outlives the pages, so it is the one that makes sure the file is scrubbed: a page's
kernel may have deleted the row first and been shut down (or blocked by another page's reader)
before its scrub, which left the row's older copies in the WAL. The server scrubs each named
workbook whether or not the row was still there, and tries again for `SCRUB_PATIENCE_S` while
readers block it (in a thread: `voila_app` never waits for it on its event loop).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import parse_qsl

from .paths import list_names
from .store import open_workbook

#: Every sitting cookie's name starts with this (healing.js clears them on the exit).
SITTING_PREFIX = "ht_sit_"
#: The most a beacon may carry: a browser holds a handful of sittings (two partners, a few
#: workbooks), each cookie under 120 bytes.
MAX_BODY = 4096
MAX_SITTINGS = 16
#: How long the server keeps trying to scrub a workbook that other pages' readers hold.
SCRUB_PATIENCE_S = 30.0
_NAME = re.compile(rf"^{SITTING_PREFIX}([0-9a-f]{{16}})_([ab])$")


def cookie_name(wb_name: str, who: str) -> str:
    """The session cookie carrying one partner's sitting for one workbook."""
    return f"{SITTING_PREFIX}{_digest(wb_name)}_{who}"


def _digest(wb_name: str) -> str:
    return hashlib.sha256(wb_name.encode("utf-8")).hexdigest()[:16]


def named_sittings(body: bytes) -> list[tuple[str, str, str]]:
    """The (workbook digest, partner, token) of each sitting cookie in a beacon's body;
    nothing for a body that is too long, not text, or names no sitting."""
    if len(body) > MAX_BODY:
        return []
    try:
        text = body.decode("ascii")
        pairs = parse_qsl(text, keep_blank_values=False, max_num_fields=MAX_SITTINGS)
    except (UnicodeDecodeError, ValueError):
        return []
    found = []
    for name, value in pairs:
        match = _NAME.match(name)
        if match:
            found.append((match.group(1), match.group(2), value))
    return found


def end_sittings(data_dir: Path, body: bytes) -> int:
    """End every sitting a beacon's body names, in the workbooks of `data_dir`; how many."""
    named = named_sittings(body)
    if not named:
        return 0
    names = {_digest(name): name for name in list_names(data_dir)}
    ended = 0
    for digest, who, token in named:
        name = names.get(digest)  # list_names: only files that are there
        if name is None:
            continue
        book = open_workbook(name, data_dir=data_dir)
        try:
            ended += int(book.end_sitting(who, token, patience=SCRUB_PATIENCE_S))
        finally:
            book.close()
    return ended
