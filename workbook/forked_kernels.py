"""Page kernels forked from a template process (server side; see `workbook.kernel_zygote`).

`ForkingProvisioner` is a jupyter_client kernel provisioner, registered as
``workbook-forked`` and chosen by `workbook serve` (``--KernelProvisionerFactory.
default_provisioner_name``). For an ipykernel kernel it asks the server's one template process
for a fork instead of starting ``python -m ipykernel_launcher``; anything else (another kernel,
a template process that will not start or answer) starts the usual way, as `LocalProvisioner`
does. A forked kernel is still one process per page with its own connection file and keys;
only the imports are shared, copy-on-write.

Signals go to the kernel's own process group, as jupyter_client's do, and never to a pid the
template process has reported ended (a pid may be reused after that).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
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


class ForkedProcess:
    """The part of `subprocess.Popen` that jupyter_client uses, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, zygote: Zygote) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._zygote = zygote

    def poll(self) -> int | None:
        """The exit code once the template process reported the kernel ended, else None."""
        if self.returncode is None:
            self.returncode = self._zygote.exit_code(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait (blocking) until the kernel has ended; its exit code."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            self._zygote.read_available(0.05)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the kernel, unless it has ended (its pid may then be someone else's)."""
        if self.poll() is None:
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
        self._answers: list[dict[str, Any]] = []
        self._exits: dict[int, int] = {}
        self._pids: set[int] = set()
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self.broken = False

    def _start(self) -> socket.socket:
        """Start the template process and wait until it has imported everything. When it
        cannot, every kernel of this server starts the usual way (`broken`)."""
        ours, theirs = socket.socketpair()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "workbook.kernel_zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
            )
        except OSError:
            self.broken = True
            ours.close()
            raise
        finally:
            theirs.close()
        self._sock = ours
        try:
            ready = self._next_answer(READY_TIMEOUT)
            if "ready" not in ready:
                raise OSError(f"the kernel template process did not start: {ready.get('error')}")
        except OSError:
            self.broken = True
            self.close()
            raise
        ours.setblocking(False)
        return ours

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
            self._sock.setblocking(False)
        if not chunk:
            self._lost()
            return
        self._buffer += chunk
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            message = json.loads(line)
            if "exit" in message:
                self._exits[int(message["exit"])] = int(message["code"])
            else:
                self._answers.append(message)

    def _next_answer(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while not self._answers:
            if self.broken or time.monotonic() > deadline:
                raise OSError("the kernel template process did not answer")
            self.read_available(min(0.1, max(0.0, deadline - time.monotonic())))
        return self._answers.pop(0)

    def _lost(self) -> None:
        """The template process is gone: its kernels ended with it."""
        self.broken = True
        for pid in self._pids:
            self._exits.setdefault(pid, -signal.SIGKILL)
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def exit_code(self, pid: int) -> int | None:
        """The kernel's exit code if it has ended, else None."""
        self.read_available()
        return self._exits.get(pid)

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> ForkedProcess:
        """A new kernel process, forked with ``ipykernel_launcher`` arguments `argv`."""
        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with lock:
            if self.broken:
                raise OSError("the kernel template process is gone")
            # The first kernel waits for the imports (in a thread: the server's pages go on).
            sock = self._sock if self._sock is not None else await asyncio.to_thread(self._start)
            request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n"
            sock.setblocking(True)
            try:
                sock.sendall(request)
            finally:
                sock.setblocking(False)
            # A fork answers within milliseconds; the server's loop is never held meanwhile.
            deadline = time.monotonic() + FORK_TIMEOUT
            while not self._answers:
                if self.broken or time.monotonic() > deadline:
                    raise OSError("the kernel template process did not answer")
                await asyncio.sleep(0.005)
                self.read_available()
            answer = self._answers.pop(0)
        if "pid" not in answer:
            raise OSError(f"the kernel template process could not fork: {answer.get('error')}")
        pid = int(answer["pid"])
        self._pids = {*self._pids, pid}
        return ForkedProcess(pid, self)

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
        if not FORKS or self.zygote.broken or tuple(cmd[1:3]) != LAUNCHER:
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
