"""One compiled copy of the page templates for the whole server.

nbconvert builds a new Jinja2 environment for every exporter, and Voila makes a new exporter for
every page it renders, so each page (and each kernel a pool preheats) compiled the same dozen
templates again on the server's one event loop: the arrivals of a workshop table waited behind
each other's compiling. `install` gives every exporter's environment one shared in-memory
bytecode cache: a template is compiled once per server, then loaded from its bytecode. Jinja2
keys the cache by the template's name and a checksum of its source, so an edited template is
compiled again.
"""

from __future__ import annotations

import threading
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory for the life of the server process."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.compiled = 0  # templates compiled (a miss), for tests and benchmarks
        self.reused = 0  # templates loaded from this cache (a hit)

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            self.reused += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code
        self.compiled += 1


SHARED = SharedBytecode()


def install(exporter_class: Any, cache: BytecodeCache = SHARED) -> None:
    """Make every environment `exporter_class` creates use `cache` (idempotent)."""
    original = exporter_class._create_environment
    if getattr(original, "_workbook_shared_bytecode", False):
        return

    def create_environment(self: Any) -> Any:
        environment = original(self)
        environment.bytecode_cache = cache
        return environment

    create_environment._workbook_shared_bytecode = True  # type: ignore[attr-defined]
    exporter_class._create_environment = create_environment
