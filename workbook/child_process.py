"""Running Voila as a child process: until it ends, or until Ctrl-C, SIGINT or SIGTERM stop it
and every kernel it started (`workbook.serving.serve`)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

#: Seconds Voila has to shut its kernels down after a stop request before everything is killed.
STOP_GRACE = 3.0


def run_until_stopped(proc: subprocess.Popen[bytes]) -> int:
    """Wait for Voila; on Ctrl-C, SIGINT or SIGTERM stop it and every kernel within 5 s.

    The first signal asks Voila to stop (SIGTERM: it shuts its kernels down); a second signal,
    or `STOP_GRACE` seconds without an exit, kills Voila and whatever kernels are left.
    Returns Voila's exit code, or 0 when it was stopped on request.
    """
    signals: list[int] = []
    tree: list[Any] = []
    deadline: float | None = None
    with _stop_signals(signals.append):
        while True:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = proc.wait(timeout=0.1)
                break
            if signals and deadline is None:
                tree = _descendants(proc.pid)
                proc.terminate()
                deadline = time.monotonic() + STOP_GRACE
            if deadline is not None and (len(signals) > 1 or time.monotonic() > deadline):
                tree += _descendants(proc.pid)
                proc.kill()
                code = proc.wait()
                break
    _end_processes(tree)
    return 0 if signals else code


@contextlib.contextmanager
def _stop_signals(note: Callable[[int], None]) -> Iterator[None]:
    """While serving, SIGINT (Ctrl-C) and SIGTERM are noted instead of raising or exiting."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        note(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _descendants(pid: int) -> list[Any]:
    """Voila's child processes (its kernels run in sessions of their own, so are not in its
    process group), found now while Voila is still their parent."""
    try:
        import psutil  # type: ignore[import-untyped]  # comes with ipykernel
    except ImportError:  # pragma: no cover
        return []
    with contextlib.suppress(psutil.Error):
        return list(psutil.Process(pid).children(recursive=True))
    return []


def _end_processes(procs: list[Any], grace: float = 1.0) -> None:
    """SIGTERM what is left of `procs`, then SIGKILL what has not ended after `grace` s."""
    if not procs:
        return
    import psutil

    alive = []
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
            alive.append(proc)
    _, still = psutil.wait_procs(alive, timeout=grace)
    for proc in still:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(still, timeout=grace)


def end_with_parent(parent: int) -> Callable[[], None]:
    """For the Voila child on Linux: should `workbook serve` itself be killed outright (SIGKILL,
    the out-of-memory killer), the kernel sends Voila SIGTERM, so that it stops its kernels and
    frees the port instead of serving on alone, unseen (a restart then found the port taken).

    C's ``prctl`` is looked up here, in the parent: the child, between fork and exec, only
    calls it (no import there, where another thread may have held the import lock)."""
    import ctypes

    try:
        prctl: Callable[[int, int], int] | None = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        prctl = None

    def in_the_child() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent was gone before this was in place
            os.kill(os.getpid(), signal.SIGTERM)

    return in_the_child


#: prctl(2)'s option that names the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1
