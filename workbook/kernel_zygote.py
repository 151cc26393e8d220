"""The kernel template process of `workbook serve`: page kernels forked ready-made.

A page's kernel is a Python process of its own (a page's kernel serves only its page). Started
the usual way, each one first spends about 0.3 CPU-seconds importing ipykernel and then the
workbook's pages, before it can draw a single form; on a 2-core laptop that is most of what a
page costs, and in a workshop it is what a room of arrivals waits for. This process imports all
that once and forks a fresh kernel process for each page on request: the child is an ordinary
page kernel from there on, with its own connection file, keys, environment, folder and process
group.

What the template holds, every kernel inherits: so it opens no workbook, and it never reads a
request. The kernel's environment (which, for a page whose kernel starts at its request, holds
the request's address and cookies) arrives in a buffer that only the child decodes; the
template reads the request's number in front of it, forks, and zeroes the buffer.

It runs as ``python -m workbook.kernel_zygote FD``, FD being a Unix socket to the Voila server
(`workbook.forked_kernels`). The server sends one request at a time, a line
``ID {"argv": [...], "env": {...}, "cwd": "..."}`` (ipykernel's arguments, the kernel's
environment and folder); the template answers JSON lines:

- ``{"id": ID, "pid": PID}``, or ``{"id": ID, "error": "..."}`` when it could not fork;
- ``{"exit": PID, "code": CODE}`` once a kernel has ended and been reaped;
- ``{"ready": PID}`` once, after the imports, or ``{"error": "..."}`` and an exit when it cannot
  fork safely (a thread running).

It exits when the server closes the socket; its kernels end with it (each one watches its
parent, as ipykernel does for the server it was started from). Importing this module imports
nothing heavy; `main` does the imports.
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
import time
from collections.abc import Callable
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
    # What ipykernel and the pages import only once a kernel runs: the kernel's help and the
    # preheated page's wait for its request (workbook.request). About 0.03 CPU-s a kernel.
    "IPython.core.oinspect",
    "ipykernel.debugger",  # which finds no debugpy (NOT_IN_PAGE_KERNELS)
    "websockets.sync.client",
    "psutil",
)
#: Page kernels have no debugger: nobody debugs a couple's page from it, and ipykernel would
#: import debugpy in every kernel to offer one (0.1 CPU-seconds each, a third of a forked
#: kernel's start; measured with py-spy over 22 page loads). Blocked here, before ipykernel
#: looks for it, so a kernel says "no debugger" when asked (kernel_info).
NOT_IN_PAGE_KERNELS = ("debugpy",)
#: Called once here after the imports (module, function): work every page kernel would
#: otherwise do again at its start, on package files only (no one's data).
WARM = (("workbook.worksheets", "compile_templates"),)
#: Run in each forked kernel once its environment is the page's: what those modules did at
#: import for a page's kernel (here the imports ran before there was a page).
KERNEL_STARTED = ("workbook.ui.session",)
#: The largest request (a kernel's environment with a page's cookies is a few KB).
MAX_REQUEST = 1 << 20
#: A kernel's standing with the kernel's out-of-memory killer: a little more likely to be
#: chosen than the template, whose end would end every page's kernel at once.
KERNEL_OOM_SCORE_ADJ = "100"


def preload() -> None:
    """Import what every page kernel imports (see `PRELOAD`), and make what page kernels must
    not have (`NOT_IN_PAGE_KERNELS`) impossible to import."""
    for name in NOT_IN_PAGE_KERNELS:
        sys.modules[name] = None  # type: ignore[assignment]  # "import debugpy" now fails
    for name in PRELOAD:
        importlib.import_module(name)
    for module, function in WARM:
        getattr(importlib.import_module(module), function)()


def threads() -> int:
    """This process's threads, as the system counts them (threads started from C too)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def write_connection_file_atomically(fname: str, **info: Any) -> tuple[str, Any]:
    """jupyter_client's ``write_connection_file``, written beside ``fname`` and moved over it.

    ipykernel rewrites its connection file as it starts when what it holds differs from the
    file, as the CurveZMQ keys always do (bytes to it, text in the file the server wrote).
    jupyter_client's writer unlinks the file and writes it again, and a forked kernel starts so
    soon that the server, reading the file once the kernel is launched, once found it empty and
    lost the kernel (JSONDecodeError in ``_reconcile_connection_info``). Moved into place, the
    file is always whole. (A kernel started the usual way has the same race upstream, but
    starts too slowly to meet it.) The draft, made private like the file, never stays.
    """
    from jupyter_client.connect import write_connection_file

    folder, name = os.path.split(fname)
    draft = os.path.join(folder, f".{name}.{os.getpid()}.draft")
    try:
        written = write_connection_file(draft, **info)
        os.replace(draft, fname)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(draft)
        raise
    return fname, written[1]


def run_kernel(request: bytes) -> None:
    """In the forked child: become the page kernel that ``python -m ipykernel_launcher ARGV``
    started in the request's folder with its environment would be, then run it. Never
    returns."""
    code = 1
    try:
        asked = json.loads(request)
        argv = [str(a) for a in asked["argv"]]
        env = {str(k): str(v) for k, v in asked["env"].items()}
        cwd = str(asked["cwd"])
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # interrupts reach the page
        with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as oom:
            oom.write(KERNEL_OOM_SCORE_ADJ)
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

        kernelapp.write_connection_file = write_connection_file_atomically  # type: ignore[assignment]
        kernelapp.launch_new_instance(
            argv=[
                *argv,
                # The parent to watch is this template process: ipykernel read
                # JPY_PARENT_PID when it was imported here, before the page's environment.
                f"--IPKernelApp.parent_handle={os.getppid()}",
                # ipywidgets was imported before any kernel existed: it registers its comm
                # targets with the kernel as an extension instead.
                "--IPKernelApp.extra_extensions=ipywidgets",
            ]
        )
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # whatever happens, never return into the template
        with contextlib.suppress(BaseException):
            import traceback

            traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def fork_kernel(request: memoryview, close_in_child: Callable[[], None]) -> int:
    """Fork a page kernel for `request` (the JSON after the id); its pid, in the template.

    The request is copied out of the buffer in the child only.
    """
    pid = os.fork()
    if pid == 0:
        asked = b""
        try:
            asked = request.tobytes()
            close_in_child()  # the template's socket, pipe and selector are not the kernel's
            os.setpgid(0, 0)  # a process group of its own, as jupyter_client gives a kernel
        finally:
            run_kernel(asked)
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


def _answer(line: memoryview, server: socket.socket, close_in_child: Callable[[], None]) -> None:
    """Fork for one request line (``ID JSON``); only the id is read here."""
    space = bytes(line[:24]).find(b" ")
    try:
        number = int(bytes(line[:space])) if space > 0 else None
    except ValueError:
        number = None
    if number is None:
        _send(server, {"error": "a request without its number"})
        return
    try:
        pid = fork_kernel(line[space + 1 :], close_in_child)
    except OSError as err:
        _send(server, {"id": number, "error": f"{type(err).__name__}: {err.strerror}"})
        return
    _send(server, {"id": number, "pid": pid})


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

    def close_in_child() -> None:
        sel.close()
        server.close()
        os.close(wake_r)
        os.close(wake_w)

    # Requests land here and nowhere else: no bytes object holds them, and the buffer is
    # zeroed once the kernel is forked (a request may carry a page's cookies).
    buffer = bytearray(MAX_REQUEST)
    view = memoryview(buffer)
    filled = 0
    while True:
        for key, _ in sel.select(timeout=5):
            if key.data == "child":
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_r, 512):
                        pass
                continue
            if filled == MAX_REQUEST:  # a line longer than any request: refuse it
                view[:filled] = bytes(filled)
                filled = 0
                _send(server, {"error": "a request too large"})
            try:
                got = server.recv_into(view[filled:])
            except ConnectionResetError:  # the server ended (stopped, or killed): as at EOF
                got = 0
            if not got:
                return
            filled += got
            start = 0
            while (end := buffer.find(b"\n", start, filled)) >= 0:
                _answer(view[start:end], server, close_in_child)
                start = end + 1
            if start:
                rest = filled - start
                view[:rest] = view[start:filled]  # a partial next line (the server sends one)
                view[rest:filled] = bytes(filled - rest)
                filled = rest
        _reap(server)


def end_kernels() -> None:
    """Kill the kernels still running and reap them: the server has gone, and once this
    process has ended none of its kernels is left to write a connection file (a kernel still
    starting when the server stopped wrote one into the server's removed folder, and left it
    there when it noticed its parent gone)."""
    import psutil  # type: ignore[import-untyped]  # preloaded (PRELOAD)

    for kernel in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            kernel.kill()
    with contextlib.suppress(ChildProcessError):
        while True:
            os.waitpid(-1, 0)


def main() -> None:
    """``python -m workbook.kernel_zygote FD``."""
    server = socket.socket(fileno=int(sys.argv[1]))
    preload()
    # The imported objects move out of the collector's reach: a collection in a kernel would
    # otherwise touch them all and copy their pages into every kernel (copy-on-write).
    gc.collect()
    gc.freeze()
    if threads() != 1:
        # A fork copies only the thread that forks: a kernel would hold a dead thread's locks.
        _send(server, {"error": "an import started a thread; kernels start the usual way"})
        return
    # Ready: the server waits for this line before it sends the first request.
    _send(server, {"ready": os.getpid()})
    try:
        serve(server)
    finally:
        server.close()
        end_kernels()


if __name__ == "__main__":
    main()
