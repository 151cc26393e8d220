"""Page kernels forked from a template process (server side; see `workbook.kernel_zygote`).

`ForkingProvisioner` is a jupyter_client kernel provisioner, registered as
``workbook-forked`` and chosen by `workbook serve` (``--KernelProvisionerFactory.
default_provisioner_name``). For an ipykernel kernel of this Python it asks the server's one
template process for a fork instead of starting ``python -m ipykernel_launcher``; anything else
(another kernel, another OS, a template process that will not start or answer) starts the
usual way, as `LocalProvisioner` does. A forked kernel is still one process per page with its
own connection file and keys; only the imports are shared, copy-on-write.

A forked kernel is followed through a pidfd where Linux has them: it counts as running until
the process itself has ended (not merely until the template process went), and signals reach
that process and no other, even once its pid is reused. Signals to its process group are sent
only while it runs. The template's answers carry the request's number, so an answer that came
too late is never taken for another kernel's: its kernel is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

log = logging.getLogger(__name__)

#: The kernel command lines that can be forked: ``PYTHON -m ipykernel_launcher ARGS``.
LAUNCHER = ("-m", "ipykernel_launcher")
#: Forking is for Linux: Windows has no fork, and macOS system libraries are not safe to fork
#: (Python's own multiprocessing spawns there); elsewhere kernels start the usual way.
FORKS = sys.platform.startswith("linux")
#: Seconds to wait for the template process to import everything and say it is ready.
READY_TIMEOUT = 60.0
#: Seconds to wait for one fork.
FORK_TIMEOUT = 30.0
#: Set in the template process only (before numpy loads): math libraries start no threads
#: there, which a fork would copy as dead ones.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: Exit code of a kernel that ended without the template process telling how.
UNKNOWN_EXIT = -1


def _same_python(executable: str) -> bool:
    """Whether a kernel command's Python is this one (the template process runs this one)."""
    try:
        return os.path.samefile(executable, sys.executable)
    except OSError:
        return False


class ForkedProcess:
    """The part of `subprocess.Popen` that jupyter_client uses, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, zygote: Zygote) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._zygote = zygote
        self._pidfd: int | None = None
        with contextlib.suppress(OSError, AttributeError):
            self._pidfd = os.pidfd_open(pid)

    def ended(self, code: int) -> None:
        """The kernel has ended with `code` (the template process reaped it)."""
        if self.returncode is None:
            self.returncode = code
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def _gone(self) -> bool:
        """Whether the process has ended, by its pidfd (False without one)."""
        if self._pidfd is None:
            return False
        # poll, not select: a server with a room of kernels has over 1,024 files open, and
        # select refuses such numbers (seen with 20 couples: every kernel's poll raised).
        ready = select.poll()
        ready.register(self._pidfd, select.POLLIN)
        return bool(ready.poll(0))

    def poll(self) -> int | None:
        """The exit code once the kernel has ended, else None."""
        if self.returncode is None:
            self._zygote.read_available()
        if self.returncode is None and self._gone():
            self._zygote.read_available(0.05)  # its exit line, if the template is there
            self.ended(UNKNOWN_EXIT)
        if self.returncode is None and self._pidfd is None and self._zygote.lost:
            self.ended(UNKNOWN_EXIT)  # without a pidfd, it ends with the template process
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait (blocking) until the kernel has ended; its exit code."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        """Signal the kernel, unless it has ended (its pid may then be someone else's)."""
        if self.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            if self._pidfd is not None:
                signal.pidfd_send_signal(self._pidfd, signum)
            else:
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        """SIGTERM, as `Popen.terminate`."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL, as `Popen.kill`."""
        self.send_signal(signal.SIGKILL)


class Zygote:
    """The server's link to its template process, started at the first kernel."""

    def __init__(self) -> None:
        self._sock: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._numbers = itertools.count(1)
        self._answers: dict[int, dict[str, Any]] = {}
        self._abandoned: set[int] = set()
        self._ready: dict[str, Any] | None = None
        #: The kernels forked and not yet reported ended, by pid.
        self.running: dict[int, ForkedProcess] = {}
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        #: No more forks: every later kernel starts the usual way.
        self.broken = False
        #: The template process is gone (its socket closed).
        self.lost = False

    def _start(self) -> socket.socket:
        """Start the template process and wait until it has imported everything. When it
        cannot, every kernel of this server starts the usual way (`broken`)."""
        ours, theirs = socket.socketpair()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "workbook.kernel_zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env={**os.environ, **ONE_THREAD},
            )
        except OSError:
            self.broken = True
            ours.close()
            raise
        finally:
            theirs.close()
        self._sock = ours
        deadline = time.monotonic() + READY_TIMEOUT
        while self._ready is None and not self.lost and time.monotonic() < deadline:
            self.read_available(0.1)
        if self._ready is None or "ready" not in self._ready:
            self.broken = True
            why = (self._ready or {}).get("error", "no answer")
            self.close()
            raise OSError(f"the kernel template process did not start: {why}")
        ours.setblocking(False)
        return ours

    def handle(self, message: dict[str, Any]) -> None:
        """One line from the template process."""
        if "exit" in message:
            proc = self.running.pop(int(message["exit"]), None)
            if proc is not None:
                proc.ended(int(message["code"]))
        elif "id" in message:
            number = int(message["id"])
            if number in self._abandoned:
                # Too late: its kernel started the usual way meanwhile. This fork is stopped
                # before it can take that kernel's connection.
                self._abandoned.discard(number)
                if "pid" in message:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(message["pid"]), signal.SIGKILL)
            else:
                if "pid" in message:
                    # Followed from its answer on: its exit may come in the same read.
                    proc = ForkedProcess(int(message["pid"]), self)
                    self.running[proc.pid] = proc
                    message["process"] = proc
                self._answers[number] = message
        elif self._ready is None:
            self._ready = message
        else:
            log.warning("The kernel template process: %s", message.get("error", message))

    def read_available(self, timeout: float = 0.0) -> None:
        """Read what the template process has sent (kernel ends, answers), waiting at most
        `timeout` seconds for something."""
        if self._sock is None:
            return
        self._sock.settimeout(timeout)
        try:
            chunk = self._sock.recv(65536)
        except (BlockingIOError, TimeoutError, InterruptedError):
            return
        finally:
            if self._sock is not None:
                self._sock.setblocking(False)
        if not chunk:
            self._lost()
            return
        self._buffer += chunk
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            self.handle(json.loads(line))

    def _lost(self) -> None:
        """The template process is gone: no more forks. Its kernels end with it, each
        counted as running until its own process has ended (`ForkedProcess.poll`)."""
        self.broken = self.lost = True
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> ForkedProcess:
        """A new kernel process, forked with ``ipykernel_launcher`` arguments `argv`."""
        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with lock:
            if self.broken:
                raise OSError("the kernel template process is gone")
            # The first kernel waits for the imports (in a thread: the server's pages go on).
            sock = self._sock if self._sock is not None else await asyncio.to_thread(self._start)
            number = next(self._numbers)
            request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode()
            sock.setblocking(True)
            try:
                sock.sendall(b"%d %s\n" % (number, request))
            finally:
                sock.setblocking(False)
            answered = False
            try:
                # A fork answers within milliseconds; the server's loop is not held meanwhile.
                deadline = time.monotonic() + FORK_TIMEOUT
                while number not in self._answers:
                    if self.lost or time.monotonic() > deadline:
                        self.broken = True  # a template that stalls forks no more kernels
                        raise OSError("the kernel template process did not answer")
                    await asyncio.sleep(0.005)
                    self.read_available()
                answered = True
            finally:
                if not answered:  # timed out or cancelled: a late answer is not taken
                    self._abandoned.add(number)
            answer = self._answers.pop(number)
        if "process" not in answer:
            raise OSError(f"the kernel template process could not fork: {answer.get('error')}")
        proc: ForkedProcess = answer["process"]
        return proc

    def close(self) -> None:
        """End the template process (its kernels notice and end too)."""
        self.broken = True
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


#: The server's one template process.
_ZYGOTE = Zygote()


class ForkingProvisioner(LocalProvisioner):
    """`LocalProvisioner`, with ipykernel kernels forked from `workbook.kernel_zygote`."""

    #: The template process this provisioner asks (tests give one of their own).
    zygote = _ZYGOTE

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel when it is an ipykernel one, else start it as jupyter_client does."""
        forkable = FORKS and tuple(cmd[1:3]) == LAUNCHER and _same_python(cmd[0])
        if not forkable or self.zygote.broken:
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            forked = await self.zygote.fork(list(cmd[3:]), env, cwd)
        except OSError as err:
            log.warning("Starting kernels the usual way: %s", err)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = forked  # type: ignore[assignment]  # quacks as the Popen it stands for
        self.pid = forked.pid
        self.pgid = self.pid  # the template process gave it a group of its own
        self.cwd = cwd
        return self.connection_info

    def _ended(self) -> bool:
        """A forked kernel that has ended: its pid and group may be someone else's by now."""
        return isinstance(self.process, ForkedProcess) and self.process.poll() is not None

    async def send_signal(self, signum: int) -> None:
        """Signal the kernel's group, unless the kernel has ended."""
        if not self._ended():
            await super().send_signal(signum)

    async def kill(self, restart: bool = False) -> None:
        """SIGKILL the kernel's group, unless the kernel has ended."""
        if not self._ended():
            await super().kill(restart)

    async def terminate(self, restart: bool = False) -> None:
        """SIGTERM the kernel's group, unless the kernel has ended."""
        if not self._ended():
            await super().terminate(restart)
