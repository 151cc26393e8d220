"""Page kernels forked from the template process (workbook.kernel_zygote, workbook.forked_kernels).

Each kernel here is started by jupyter_client, as Voila starts a page's kernel, through a kernel
spec that names the ``workbook-forked`` provisioner, and with a template process of the test's
own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from workbook import forked_kernels
from workbook.forked_kernels import ForkingProvisioner, Zygote


@pytest.fixture
def zygote(monkeypatch: pytest.MonkeyPatch) -> Iterator[Zygote]:
    """A template process of this test's own (started by the first kernel)."""
    # Only the template process has this in its environment, never a kernel.
    monkeypatch.setenv("HT_TEMPLATE_ONLY", "1")
    own = Zygote()
    monkeypatch.setattr(ForkingProvisioner, "zygote", own)
    yield own
    own.close()


@pytest.fixture
def specs(tmp_path: Path) -> KernelSpecManager:
    """A kernel spec like the default one, with the forking provisioner."""
    folder = tmp_path / "kernels" / "forked"
    folder.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "forked",
        "language": "python",
        "metadata": {"kernel_provisioner": {"provisioner_name": "workbook-forked"}},
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])


async def _run(km: AsyncKernelManager, code: str, timeout: float = 30) -> dict[str, Any]:
    """Run `code` in the kernel; its reply and what it printed."""
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=timeout)
        printed: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        reply = await client.execute_interactive(code, timeout=timeout, output_hook=hook)
        return {"status": reply["content"]["status"], "out": "".join(printed), "reply": reply}
    finally:
        client.stop_channels()


def _arun(coro: Any) -> Any:
    """`asyncio.run` in a thread of its own: a browser test run before in this process may
    leave Playwright's event loop running in this thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _fds(pid: int) -> list[str]:
    return os.listdir(f"/proc/{pid}/fd")


def _fd_target(pid: int, fd: str) -> str:
    try:
        return os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        return ""


def _done(km: AsyncKernelManager) -> None:
    """Close the manager's ZeroMQ context (left to the garbage collector, it warns)."""
    km.context.destroy(linger=0)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_page_kernel_is_forked_with_its_own_folder_and_environment(
    zygote: Zygote, specs: KernelSpecManager, tmp_path: Path
) -> None:
    async def go() -> tuple[dict[str, Any], int, int | None]:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        env = {"PATH": os.environ["PATH"], "HT_PAGE": "step-1"}
        await km.start_kernel(env=env, cwd=str(tmp_path))
        pid = km.provisioner.pid
        result = await _run(
            km,
            "import os, sys\n"
            "print(os.getcwd(), os.environ.get('HT_PAGE'), os.environ.get('HT_TEMPLATE_ONLY'),"
            " os.getppid(), 'workbook.ui.pages' in sys.modules,"
            " __import__('ipykernel.kernelapp').kernelapp.write_connection_file.__name__)",
        )
        # None of the template's own files (its socket to the server, its wake-up pipe): a
        # kernel could have woken it, or taken the signals meant for it.
        template = {_fd_target(zygote._process.pid, fd) for fd in _fds(zygote._process.pid)}  # type: ignore[union-attr]
        inherited = {_fd_target(pid, fd) for fd in _fds(pid)} & template
        assert not {t for t in inherited if t.startswith(("pipe:", "socket:"))}, inherited
        # Shown as the kernel it stands for, so that `ps` and the tests' kernel counts see it.
        shown = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
        assert f"-m ipykernel_launcher -f {km.connection_file}" in shown
        started = time.monotonic()
        await km.shutdown_kernel()
        assert time.monotonic() - started < 5, "the kernel ended at once when asked"
        _done(km)
        return result, pid, await km.provisioner.poll() if km.provisioner else None

    result, pid, _ = _arun(go())
    assert result["status"] == "ok"
    cwd, page, template_only, parent, preloaded, writer = result["out"].split()
    assert cwd == str(tmp_path)
    assert page == "step-1"
    assert template_only == "None", "the kernel has its own environment, not the template's"
    assert int(parent) == zygote._process.pid  # type: ignore[union-attr]
    assert preloaded == "True", "forked with the pages imported"
    assert writer == "write_connection_file_atomically", "the connection file is rewritten in place"
    assert not _alive(pid)


def test_a_page_kernel_has_no_debugger(zygote: Zygote, specs: KernelSpecManager) -> None:
    """Page kernels offer no debugger (kernel_zygote.NOT_IN_PAGE_KERNELS), and debugpy is
    neither imported in them nor importable: nobody debugs a couple's page."""

    async def go() -> tuple[dict[str, Any], dict[str, Any]]:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await km.start_kernel()
        try:
            client = km.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=30)
                info = await client.kernel_info(reply=True, timeout=30)
            finally:
                client.stop_channels()
            probe = await _run(
                km,
                "import importlib.util, sys\n"
                "try:\n    import debugpy\n    found = 'imported'\n"
                "except ImportError:\n    found = 'refused'\n"
                "print(found, sys.modules.get('pydevd') is None)",
            )
            return info["content"], probe
        finally:
            await km.shutdown_kernel(now=True)
            _done(km)

    info, probe = _arun(go())
    assert "debugger" not in info.get("supported_features", []), info
    assert info.get("debugger") is not True, info
    assert probe["out"].split() == ["refused", "True"], probe["out"]


def test_a_page_kernel_starts_with_the_worksheet_templates_compiled(
    zygote: Zygote, specs: KernelSpecManager
) -> None:
    """What every step page does at its start (its blank worksheet) was done once in the
    template process (kernel_zygote.WARM): the kernel finds the compiled templates, one per
    language, and compiles nothing more for a worksheet."""

    async def go() -> dict[str, Any]:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await km.start_kernel()
        try:
            return await _run(
                km,
                "from workbook import worksheets\n"
                "from workbook.i18n import languages\n"
                "before = worksheets._templates.cache_info()\n"
                "worksheets.worksheet_html(2)\n"
                "worksheets.worksheet_html(3, lang='es')\n"
                "after = worksheets._templates.cache_info()\n"
                "print(before.currsize, len(languages()) + 1, after.misses - before.misses)",
            )
        finally:
            await km.shutdown_kernel(now=True)
            _done(km)

    cached, wanted, compiled_here = _arun(go())["out"].split()
    assert cached == wanted, "the kernel did not inherit one compiled template per language"
    assert compiled_here == "0"


def test_closing_the_template_process_ends_its_kernels_before_it_returns(
    zygote: Zygote, specs: KernelSpecManager
) -> None:
    """A kernel still running when the server stops (one a pool was still starting) is killed
    and reaped by the template process before it exits (kernel_zygote.end_kernels): none is
    left to notice its parent gone a second later and leave its connection file behind."""

    async def go() -> int:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await km.start_kernel()
        _done(km)  # the manager lets go without stopping it, as a stop that gave up would
        assert km.provisioner is not None
        return int(km.provisioner.pid)

    pid = _arun(go())
    assert _alive(pid)
    zygote.close()
    assert not _alive(pid), "the kernel outlived its template process"
    assert not Path(f"/proc/{pid}").exists(), "the kernel was not reaped"


def test_an_interrupt_reaches_a_forked_kernel(zygote: Zygote, specs: KernelSpecManager) -> None:
    async def go() -> dict[str, Any]:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await km.start_kernel()
        try:
            client = km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=30)
            msg_id = client.execute("import time; time.sleep(60)")
            await asyncio.sleep(1)
            await km.interrupt_kernel()
            while True:
                reply = await client.get_shell_msg(timeout=20)
                if reply["parent_header"].get("msg_id") == msg_id:
                    client.stop_channels()
                    return reply["content"]  # type: ignore[no-any-return]
        finally:
            await km.shutdown_kernel(now=True)
            _done(km)

    content = _arun(go())
    assert content["status"] == "error"
    assert content["ename"] == "KeyboardInterrupt"


def test_kernels_end_when_the_template_process_ends(
    zygote: Zygote, specs: KernelSpecManager
) -> None:
    async def go() -> int:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await km.start_kernel()
        await _run(km, "1")
        _done(km)
        return int(km.provisioner.pid)

    pid = _arun(go())
    assert _alive(pid)
    zygote.close()  # the server is gone: the template process ends...
    deadline = time.monotonic() + 15
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid), "...and so does every kernel forked from it"


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not a kernel, to stand for a pid."""
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    proc.kill()
    proc.wait()


def _answered(zygote: Zygote, request: int, pid: int) -> Any:
    """The kernel process the template's answer to `request` (forked as `pid`) stands for."""
    zygote.handle({"id": request, "pid": pid})
    return zygote._answers.pop(request)["process"]


def test_an_ended_kernel_is_never_signalled_and_its_reused_pid_is_a_new_kernel(
    sleeper: subprocess.Popen[bytes],
) -> None:
    """The template reports each kernel's end once; a later kernel may get the same pid (they
    wrap after some thousands of kernels) and was then taken for ended, and never stopped."""
    zygote = Zygote()
    first = _answered(zygote, 1, sleeper.pid)
    zygote.handle({"exit": sleeper.pid, "code": 0})
    assert first.poll() == 0
    first.kill()  # ended: the signal would reach whoever has the pid now
    assert sleeper.poll() is None, "an ended kernel's pid was signalled"
    second = _answered(zygote, 2, sleeper.pid)  # the same pid, a new kernel
    assert second.poll() is None, "a new kernel on a reused pid was taken for ended"
    second.kill()
    assert sleeper.wait(timeout=5) == -signal.SIGKILL
    assert second.wait(timeout=5) is not None


def test_a_kernel_is_followed_when_the_server_has_over_1024_files_open(
    sleeper: subprocess.Popen[bytes],
) -> None:
    """A workshop server holds a few sockets per kernel: with 20 couples its files were numbered
    past 1,024, where `select` refuses to look, and every kernel's poll raised."""
    zygote = Zygote()
    kernel = _answered(zygote, 1, sleeper.pid)
    assert kernel._pidfd is not None
    high = os.dup2(kernel._pidfd, 1500)  # as if 1,500 files were open (the limit here: 20,000)
    os.close(kernel._pidfd)
    kernel._pidfd = high
    assert kernel.poll() is None, "a running kernel"
    sleeper.kill()
    sleeper.wait(timeout=5)
    assert kernel.wait(timeout=5) is not None, "its end was seen"


def test_a_late_answer_is_stopped_and_never_taken_for_another_kernel(
    sleeper: subprocess.Popen[bytes],
) -> None:
    """A fork that answered after its wait gave up: its kernel started the usual way meanwhile,
    and the late pid went to the next page's kernel manager."""
    zygote = Zygote()
    zygote._abandoned.add(1)
    zygote.handle({"id": 1, "pid": sleeper.pid})
    assert sleeper.wait(timeout=5) == -signal.SIGKILL
    assert 1 not in zygote._answers
    assert sleeper.pid not in zygote.running


def test_a_kernel_runs_until_its_own_process_ends_though_the_template_is_gone(
    sleeper: subprocess.Popen[bytes],
) -> None:
    """Its kernels outlive the template by up to a second: counted ended at once, a restart
    started a second kernel on the same connection beside the first."""
    zygote = Zygote()
    kernel = _answered(zygote, 1, sleeper.pid)
    zygote._lost()
    assert kernel.poll() is None
    sleeper.kill()
    sleeper.wait()
    assert kernel.wait(timeout=5) is not None


def _memory(pid: int) -> bytes:
    """Every readable region of a process's memory."""
    chunks = []
    with open(f"/proc/{pid}/maps", encoding="ascii") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
        for line in maps:
            fields = line.split()
            if "r" not in fields[1] or (len(fields) > 5 and fields[5].startswith("[v")):
                continue
            low, high = (int(x, 16) for x in fields[0].split("-"))
            with contextlib.suppress(OSError, ValueError, OverflowError):
                mem.seek(low)
                chunks.append(mem.read(high - low))
    return b"".join(chunks)


def test_one_pages_request_never_reaches_the_template_or_a_later_kernel(
    zygote: Zygote, specs: KernelSpecManager, tmp_path: Path
) -> None:
    """A kernel started at its page's request has the page's address and cookies in its
    environment: decoded in the template, they were copied into every kernel forked after."""
    secret = f"ht_sit_x=SECRET-{uuid.uuid4().hex}"

    async def go() -> tuple[int, int, int]:
        first = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await first.start_kernel(env={"PATH": os.environ["PATH"], "HTTP_COOKIE": secret})
        later = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await later.start_kernel(env={"PATH": os.environ["PATH"]})
        result = await _run(first, "import os; print(os.environ['HTTP_COOKIE'])")
        await _run(later, "1")
        assert result["out"].strip() == secret  # the page's own kernel has it
        pids = (first.provisioner.pid, later.provisioner.pid, zygote._process.pid)  # type: ignore[union-attr]
        for km in (first, later):
            await km.shutdown_kernel(now=True)
            _done(km)
        return pids

    async def scan() -> tuple[bytes, bytes]:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await km.start_kernel(env={"PATH": os.environ["PATH"]})
        await _run(km, "1")
        found = _memory(km.provisioner.pid), _memory(zygote._process.pid)  # type: ignore[union-attr]
        await km.shutdown_kernel(now=True)
        _done(km)
        return found

    _arun(go())
    later_kernel, template = _arun(scan())
    needle = secret.split("=")[1].encode()
    assert needle not in template, "the request stayed in the template process"
    assert needle not in later_kernel, "another page's cookie is in a later kernel's memory"


def test_a_kernel_starts_the_usual_way_when_the_template_process_cannot(
    monkeypatch: pytest.MonkeyPatch, specs: KernelSpecManager
) -> None:
    broken = Zygote()
    broken.broken = True
    monkeypatch.setattr(ForkingProvisioner, "zygote", broken)

    async def go() -> tuple[str, str]:
        km = AsyncKernelManager(kernel_name="forked", kernel_spec_manager=specs)
        await km.start_kernel()
        try:
            result = await _run(km, "print('up')")
            cmdline = Path(f"/proc/{km.provisioner.pid}/cmdline").read_bytes()
            return result["out"].strip(), cmdline.decode().replace("\0", " ")
        finally:
            await km.shutdown_kernel(now=True)
            _done(km)

    out, cmdline = _arun(go())
    assert out == "up"
    assert "ipykernel_launcher" in cmdline


def test_the_server_forks_its_kernels() -> None:
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    from workbook.serving import FORKED_PROVISIONER, voila_argv

    argv = voila_argv("notebooks", data_dir=None)
    assert f"--KernelProvisionerFactory.default_provisioner_name={FORKED_PROVISIONER}" in argv
    entry = KernelProvisionerFactory().provisioners[FORKED_PROVISIONER]
    assert entry.load() is forked_kernels.ForkingProvisioner


def test_a_rewritten_connection_file_is_never_seen_empty(tmp_path: Path) -> None:
    """What a forked kernel rewrites as it starts is read whole by the server reading it at the
    same moment (jupyter_client's own writer unlinks the file first: once, in `make test`, the
    server read it empty and lost the kernel)."""
    from workbook.kernel_zygote import write_connection_file_atomically

    path = tmp_path / "kernel-1.json"
    info = {"ip": "127.0.0.1", "key": b"k" * 32, "transport": "tcp", "shell_port": 50001}
    write_connection_file_atomically(str(path), **info)
    seen: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                json.loads(path.read_text())
            except (OSError, ValueError) as err:
                seen.append(type(err).__name__)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for port in range(50002, 50402):
            write_connection_file_atomically(str(path), **{**info, "shell_port": port})
    finally:
        stop.set()
        reader.join()
    assert not seen, f"the file was read missing or half-written {len(seen)} times: {seen[:3]}"
    assert json.loads(path.read_text())["shell_port"] == 50401
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kernel-1.json"], "a draft was left"


def test_a_connection_file_draft_never_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The draft holds the kernel's keys: when it cannot be moved into place, it is removed."""
    from workbook.kernel_zygote import write_connection_file_atomically

    def refuse(src: str, dst: str) -> None:
        raise OSError("the folder went away")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="went away"):
        write_connection_file_atomically(str(tmp_path / "kernel-2.json"), key=b"k" * 32)
    assert list(tmp_path.iterdir()) == [], "the draft with the kernel's key was left"


def test_the_template_process_ends_quietly_when_the_server_is_gone() -> None:
    """A server that stops (or is killed) resets its end of the socket: the template process
    ends without a traceback in the facilitator's terminal (the walk saw one at every stop)."""
    import select
    import socket
    import subprocess
    import sys

    from workbook.forked_kernels import ONE_THREAD

    ours, theirs = socket.socketpair()
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbook.kernel_zygote", str(theirs.fileno())],
        pass_fds=[theirs.fileno()],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **ONE_THREAD},
    )
    theirs.close()
    try:
        assert select.select([ours], [], [], 120)[0], "the template process said it is ready"
        ours.close()  # its "ready" line unread: the template's next read is "connection reset"
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert b"Traceback" not in err, err.decode(errors="replace")
