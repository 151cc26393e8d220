"""The kernel template process of `workbook serve`: page kernels forked ready-made.

A page's kernel is a Python process of its own (a page's kernel serves only its page). Started
the usual way, each one first spends about 0.3 CPU-seconds importing ipykernel and then the
workbook's pages, before it can draw a single form; on a 2-core laptop that is most of what a
page costs, and in a workshop it is what a room of arrivals waits for. This process imports all
that once, holds nothing else (no workbook is opened here, no request or cookie ever reaches
it), and forks a fresh kernel process for each page on request: the child is an ordinary page
kernel from there on, with its own connection file, keys, environment and folder.

It runs as ``python -m workbook.kernel_zygote FD``, FD being a Unix socket to the Voila server
(`workbook.forked_kernels`), and speaks JSON lines on it:

- the server sends ``{"argv": [...], "env": {...}, "cwd": "..."}`` (ipykernel's arguments,
  the kernel's environment and folder); the answer is ``{"pid": PID}``, or ``{"error": "..."}``
  when the fork failed;
- when a kernel ends, ``{"exit": PID, "code": CODE}`` (the server never signals a pid after that);
- it exits when the server closes the socket, and its kernels then end with it (each one
  watches its parent, as ipykernel does for the server it was started from).

Importing this module imports nothing heavy; `main` does the imports.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import selectors
import shlex
import signal
import socket
import sys
import threading
import time
from typing import Any

import setproctitle

#: Imported once here, so that no kernel imports them again. Only code: importing these opens
#: no file of anyone's and starts no thread (a forked thread would be a copy of a dead one).
PRELOAD = (
    "ipykernel.kernelapp",
    "ipywidgets",
    # The pages' own modules (notebooks/*.ipynb import one each); charts bring matplotlib.
    "workbook.ui.start",
    "workbook.ui.pages",
    "workbook.ui.trends",
    "workbook.ui.facilitator",
    "workbook.ui.keep",
    "workbook.ui.counsellor",
)


#: Run in each forked kernel once its environment is the page's: what those modules did at
#: import for a page's kernel (here the imports ran before there was a page).
KERNEL_STARTED = ("workbook.ui.session",)


def preload() -> None:
    """Import what every page kernel imports (see `PRELOAD`)."""
    for name in PRELOAD:
        importlib.import_module(name)


def run_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """In the forked child: become the page kernel that ``python -m ipykernel_launcher ARGV``
    started in `cwd` with `env` would be, then run it. Never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # interrupts reach the page
        # In `ps` (and to whoever counts a server's kernels) the kernel reads as what it is.
        # Before the environment is replaced: setproctitle finds its room next to it.
        setproctitle.setproctitle(shlex.join([sys.executable, "-m", "ipykernel_launcher", *argv]))
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = ["ipykernel_launcher", *argv]
        sys.path[0] = cwd  # as `python -m` in that folder would have it
        time.tzset()  # the page's TZ, should it differ from the template process's
        for name in KERNEL_STARTED:
            importlib.import_module(name).kernel_started()
        from ipykernel import kernelapp

        # The parent to watch is this template process: ipykernel read JPY_PARENT_PID when it
        # was imported here, before the kernel's environment was set.
        # ipywidgets, imported here before any kernel existed, registers its comm targets
        # with the kernel as an extension instead.
        kernelapp.launch_new_instance(
            argv=[
                *argv,
                f"--IPKernelApp.parent_handle={os.getppid()}",
                "--IPKernelApp.extensions=ipywidgets",
            ]
        )
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # whatever happens, never return into the template
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def fork_kernel(request: dict[str, Any], server: socket.socket) -> int:
    """Fork a page kernel for `request`; return its pid (in the template process)."""
    argv = [str(a) for a in request["argv"]]
    env = {str(k): str(v) for k, v in request["env"].items()}
    cwd = str(request["cwd"])
    pid = os.fork()
    if pid == 0:
        server.close()
        os.setpgid(0, 0)  # a process group of its own, as jupyter_client gives a kernel
        run_kernel(argv, env, cwd)
    # Set from both sides, so that the group exists before the server may signal it.
    with contextlib.suppress(OSError):  # the child set it already, or has already ended
        os.setpgid(pid, pid)
    return pid


def _send(server: socket.socket, message: dict[str, Any]) -> None:
    server.sendall(json.dumps(message).encode() + b"\n")


def _reap(server: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(server, {"exit": pid, "code": os.waitstatus_to_exitcode(status)})


def serve(server: socket.socket) -> None:
    """Answer the server's requests until it closes the socket."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop through the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is the server's
    sel = selectors.DefaultSelector()
    sel.register(server, selectors.EVENT_READ, "server")
    sel.register(wake_r, selectors.EVENT_READ, "child")
    buffered = b""
    while True:
        for key, _ in sel.select(timeout=5):
            if key.data == "child":
                while True:
                    try:
                        if not os.read(wake_r, 512):
                            break
                    except BlockingIOError:
                        break
                continue
            chunk = server.recv(65536)
            if not chunk:
                return
            buffered += chunk
            while b"\n" in buffered:
                line, buffered = buffered.split(b"\n", 1)
                try:
                    _send(server, {"pid": fork_kernel(json.loads(line), server)})
                except (OSError, ValueError, KeyError, TypeError) as err:
                    _send(server, {"error": f"{type(err).__name__}: {err}"})
        _reap(server)


def main() -> None:
    """``python -m workbook.kernel_zygote FD``."""
    server = socket.socket(fileno=int(sys.argv[1]))
    preload()
    # The imported objects move out of the collector's reach: a collection in a kernel would
    # otherwise touch them all and copy their pages into every kernel (copy-on-write).
    gc.collect()
    gc.freeze()
    if threading.active_count() != 1:
        # A fork copies only the thread that forks: a kernel would hold a dead thread's locks.
        _send(server, {"error": "an import started a thread; kernels start the usual way"})
        return
    # Ready: the server waits for this line before it sends the first request.
    _send(server, {"ready": os.getpid()})
    try:
        serve(server)
    finally:
        server.close()


if __name__ == "__main__":
    main()
