"""The kernel's log: the ``workbook`` loggers go to the server's log, never to the page."""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

log = logging.getLogger("workbook.ui")


def _server_log_stream() -> TextIO:
    """The server's log, from inside a Voila kernel: never the page.

    A kernel's ``sys.stderr`` is sent to the browser. ipykernel also points file descriptor 2
    at the browser, and keeps a copy of the kernel's own stderr (the server's log, since Voila
    starts kernels with its own stderr): ``sys.stderr.fileno()`` returns that copy. Without
    that capture, descriptor 2 itself is still the server's log.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        fd = (sys.__stderr__ or sys.stderr).fileno()
    return open(  # kept open for the kernel's lifetime, like stderr
        os.dup(fd), "w", buffering=1, encoding="utf-8", errors="backslashreplace"
    )


def route_logs_to_server(stream: TextIO | None = None) -> None:
    """Send the ``workbook`` loggers to the server's log instead of the page (once per kernel).

    Without this, Python's last-resort handler writes errors to ``sys.stderr``, which a
    Voila kernel sends to the browser: a traceback with file paths reached the page.
    """
    logger = logging.getLogger("workbook")
    if any(getattr(h, "workbook_server_log", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(stream or _server_log_stream())
    handler.workbook_server_log = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter("[workbook %(levelname)s %(asctime)s %(name)s] %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def page_name() -> str:
    """The notebook of this page (from the request path; never its query, which has secrets)."""
    return os.path.basename(os.environ.get("SCRIPT_NAME", "")) or "a page outside Voila"
