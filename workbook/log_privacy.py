"""Keep secrets out of the server log: tokens, join codes, the facilitator key, kernel ids, step 8.

Voila and Jupyter Server write request addresses into the log (failed requests, uncaught
exceptions, redirects), and those addresses carry ``?token=`` (the server's token), ``?code=``
(a couple's join code), ``?key=`` (the facilitator key) and a page's websocket ``session_id``.
`install` makes every log record of the process pass through `scrub` as it is created, whichever
logger writes it (tornado.access, the app's own, Jupyter Server's), tracebacks included, and the
same for warnings printed by the `warnings` module.

Kernel ids (UUIDs) are cut to their first 8 characters: enough to tell kernels apart in the log,
not enough to reach one (and a page's kernel answers only its own page: workbook.kernel_guard).

Standard library only (and the steps' definitions), so both `workbook serve`
(workbook/voila_app.py) and the JupyterHub servers (as a Jupyter Server extension,
workbook.kernel_guard) can install it.
"""

from __future__ import annotations

import logging
import re
import traceback
import warnings
from pathlib import Path
from typing import Any

from .steps import WALK_AWAY

#: Query parameters whose values never reach the log.
SECRET_PARAMS = ("token", "code", "key", "session_id", "_xsrf", "password")
HIDDEN = "[hidden]"

_NAMES = "|".join(re.escape(name) for name in SECRET_PARAMS)
# name=value or name%3Dvalue (an address inside another one's ?next=), up to the next separator.
_SECRET_QUERY = re.compile(
    rf"(?i)(?:(?<![A-Za-z0-9_-])|(?<=%3F)|(?<=%26))({_NAMES})(=|%3D)"
    r"(?:(?!%26)[^&\s'\"#;,<>)])+"
)
_AUTH_HEADER = re.compile(
    r"(?i)\b(Authorization['\"]?\s*[:=]\s*['\"]?(?:token|bearer)\s+)[^\s'\",]+"
)
# Step 8 leaves no trace anyone else can see, the server's log included ("Using pre-heated
# kernel ... for 08_walk_away.ipynb" on the shared laptop's terminal): its page is not named.
_STEP_8 = re.compile(re.escape(Path(WALK_AWAY.notebook).stem) + r"(?:\.ipynb)?")
STEP_8_IN_LOG = "a page"
_UUID = re.compile(r"(?i)\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")

_installed = False


def scrub(text: str) -> str:
    """`text` with secret query values hidden and kernel ids cut short."""
    text = _SECRET_QUERY.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{HIDDEN}", text)
    text = _STEP_8.sub(STEP_8_IN_LOG, text)
    return _UUID.sub(lambda m: f"{m.group(1)}…", text)


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Replace a record's message (and traceback text) by their scrubbed form, in place."""
    try:
        message = record.getMessage()
    except Exception:  # a message whose arguments do not fit its format
        message = f"{record.msg} {record.args!r}"
    record.msg, record.args = scrub(message), None
    if record.exc_info and record.exc_info[0] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = scrub(text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


def install() -> None:
    """Scrub every log record and printed warning of this process from now on (idempotent)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(make_record(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    format_warning = warnings.formatwarning

    def formatwarning(*args: Any, **kwargs: Any) -> str:
        return scrub(format_warning(*args, **kwargs))

    warnings.formatwarning = formatwarning
    _installed = True
