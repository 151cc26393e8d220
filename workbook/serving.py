"""The launcher of `workbook serve`: check the settings, build Voila's command line, run it.

`voila_options`, `voila_argv`, `voila_env` and `serve` run on the command line's side; the
server itself is Voila's application with the workbook's additions, `workbook.voila_app`, run in
a child process as ``python -m workbook.voila_app NOTEBOOKS_DIR --Voila.port=...``. A page's
kernel reads its request with `workbook.request`; `workbook.kernel_guard` checks its frames.

The token travels in the ``WORKBOOK_TOKEN`` environment variable, never on the command line,
so that other local users cannot read it from the process list.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

from . import settings
from .child_process import end_with_parent, run_until_stopped
from .i18n import N_
from .paths import default_data_dir
from .settings import DEFAULT_HOST, DEFAULT_PORT

START_PAGE = "00_start.ipynb"
TEMPLATE_NAME = "healing"
#: The Jupyter data folder shipped in the package: it holds voila/templates/healing/.
JUPYTER_DATA_ROOT = Path(__file__).resolve().parent / "templates"
#: The facilitator's page, under the server's address.
FACILITATOR_PATH = "/voila/render/10_facilitator.ipynb"

#: Kernels of closed pages are stopped after this many idle seconds (see voila_options).
CULL_IDLE_TIMEOUT = 15 * 60
CULL_INTERVAL = 60
#: Pre-started kernels kept ready per notebook; one each suits a 2-core laptop.
POOL_SIZE = 1
#: In a workshop, the start page keeps this many kernels ready, so that a table of partners
#: arriving together each find one (about 60 MB each: see README, "Room size").
WORKSHOP_START_POOL = 10
#: ... and refills it this many seconds after a kernel is taken (Voila's default is 1 s). Voila
#: renders a preheated notebook's page on the server's one event loop, which holds up the other
#: pages meanwhile, so a table arriving together is served from the pool before any refill; but
#: a long delay left later arrivals waiting for kernels still starting (40 partners over a
#: minute: 6.3 s median at 20 s, about 1 s at 3 s; README, "Room size").
WORKSHOP_FILL_DELAY = 3.0
#: A Unix socket's path must be shorter than this (104 bytes on macOS, 108 on Linux).
_SOCKET_PATH_LIMIT = 100
#: The kernel provisioner of `workbook serve`: workbook.forked_kernels, by its entry point.
FORKED_PROVISIONER = "workbook-forked"
#: Seconds Voila waits for a cell's output after its reply (nbclient's default is 4).
IOPUB_TIMEOUT = 60

#: Request headers Voila copies into a page kernel's environment (as HTTP_COOKIE).
HTTP_HEADER_ENVS = ["Cookie"]
#: Shown in place of a failed cell's traceback (which goes to the server log instead).
#: Voila shows it in English (it is set once for the server); a page whose address asks for
#: another language adds that language's words above it (`workbook.page_words`, healing.js).
CELL_ERROR_MESSAGE = N_(
    "This part of the page could not be shown. Nothing you wrote has been lost. "
    "Reload the page to try again; if it happens again, tell the person who runs the workbook."
)

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
#: Addresses meaning "every interface" (named here, never bound by this module itself).
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104


class ServingError(ValueError):
    """A serving setting that cannot be used; the message says what to do instead."""


def generate_token(nbytes: int = 24) -> str:
    """A random URL-safe token for a shared server (32 characters for the default 24 bytes)."""
    import secrets

    return secrets.token_urlsafe(nbytes)


def is_loopback(host: str) -> bool:
    """True when ``host`` can only be reached from this computer."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host_token(host: str, token: str | None) -> None:
    """Refuse to listen beyond this computer without a token."""
    if not host:
        raise ServingError(
            "Give an address to listen on, for example 127.0.0.1 (this computer only)."
        )
    if not is_loopback(host) and not token:
        raise ServingError(
            f"Listening on {host!r} lets other devices on the network open the workbook, so a "
            "token is required. Add --token with a secret of your own (for example the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(24))'), or keep the "
            f"default address {DEFAULT_HOST} to use the workbook on this computer only."
        )
    if token is not None and (len(token) < 8 or not token.isprintable() or " " in token):
        raise ServingError(
            "The token must be at least 8 characters, without spaces; "
            "leave it out to have a strong one generated."
        )


def voila_options(
    *, cull_idle_timeout: int = CULL_IDLE_TIMEOUT, cull_interval: int = CULL_INTERVAL
) -> list[str]:
    """Voila's settings for the workbook's pages: look, errors, cookies, waiting, culling.

    The one list used by `workbook serve` (through `voila_argv`) and by the JupyterHub
    deployment (deploy/jupyterhub/jupyterhub_config.py), so the two serve the same pages.
    """
    return [
        # Look: the project template (lab + calm stylesheet), light theme, and no way for a
        # visitor to switch them with ?template= or ?theme= (which would also skip preheating).
        f"--VoilaConfiguration.template={TEMPLATE_NAME}",
        "--VoilaConfiguration.theme=light",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.strip_sources=True",
        # Errors: people see a calm sentence; the traceback goes to the server log.
        "--VoilaConfiguration.show_tracebacks=False",
        # Private entries: a partner's unlock is carried from page to page by a session
        # cookie of this app (see workbook/ui/sitting.py); kernels read it from the request.
        # One item per option: traitlets 5 deprecates a Python list literal here and printed
        # a DeprecationWarning at every start.
        *(f"--VoilaConfiguration.http_header_envs={header}" for header in HTTP_HEADER_ENVS),
        f"--VoilaExecutor.cell_error_instruction={CELL_ERROR_MESSAGE}",
        # Output of a cell may reach the server after the cell's reply. nbclient waits only 4 s
        # for it by default and then renders the page without it: in a busy workshop room
        # (20 couples arriving) pages came out with no form at all. Waiting costs nothing on
        # a quiet server, where the output comes within milliseconds.
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}",
        # Culling: a kernel with no open page (tab closed, phone asleep, connection lost) is
        # stopped after cull_idle_timeout seconds of quiet. Kernels whose page is still open
        # are kept (cull_connected=False): someone may be thinking for a long time before
        # pressing Save, and culling would lose what they wrote. Busy kernels are kept too.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        # Kernels talk to the server over local TCP: with CurveZMQ keys made by the server for
        # each kernel, that traffic is encrypted (and the kernels no longer warn at every page
        # that it is not).
        *(["--MappingKernelManager.transport_encryption=auto"] if _has_curve() else []),
    ]


def voila_argv(
    notebooks_dir: str | os.PathLike[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    preheat: bool = True,
    pool_size: int = POOL_SIZE,
    start_pool_size: int | None = None,
    open_browser: bool = False,
    start_page: str | None = START_PAGE,
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
    cull_interval: int = CULL_INTERVAL,
    python: str = sys.executable,
) -> list[str]:
    """The command line that runs the workbook's Voila server on ``notebooks_dir``.

    ``token`` is only checked here (a non-loopback ``host`` needs one); pass it to the child
    through `voila_env`. ``data_dir`` becomes the kernels' ``WORKBOOK_DATA``.
    ``start_pool_size`` (a workshop: `WORKSHOP_START_POOL`) sizes the start page's pool apart.
    """
    check_host_token(host, token)
    folder = Path(notebooks_dir).expanduser().resolve()
    if not folder.is_dir():
        raise ServingError(f"The notebooks folder {str(folder)!r} does not exist.")
    if start_page is not None and not (folder / start_page).is_file():
        raise ServingError(
            f"The start page {start_page!r} is missing from {str(folder)!r}; "
            "check the notebooks folder."
        )
    if not 0 < port < 65536:
        raise ServingError(f"Port {port} is not usable; choose one from 1024 to 65535.")
    if pool_size < 0 or (start_pool_size or 0) < 0 or cull_idle_timeout < 0 or cull_interval <= 0:
        raise ServingError("pool_size and cull_idle_timeout must be >= 0, cull_interval > 0.")

    argv = [
        python,
        "-m",
        "workbook.voila_app",
        str(folder),
        # Network: exactly this address and port. With retries Voila would silently move to
        # another port and the printed link would be wrong.
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.open_browser={open_browser}",
        f"--WorkbookVoila.start_page={start_page or ''}",
        *voila_options(cull_idle_timeout=cull_idle_timeout, cull_interval=cull_interval),
        # Kernels: pre-started per notebook so pages open fast. Notebooks must call
        # voila.utils.wait_for_request() before reading the query string or per-user data.
        # (Voila's server extension, used on JupyterHub, has neither preheating nor pools.)
        f"--VoilaConfiguration.preheat_kernel={preheat}",
        f"--VoilaConfiguration.default_pool_size={pool_size if preheat else 0}",
    ]
    # Kernels talk to the server over Unix sockets in Voila's private connection folder where
    # they can, not loopback TCP ports: no other account on the machine can reach them, and no
    # port picked for a kernel can be taken by another process before the kernel binds it
    # (seen as "Address already in use" when many kernels start at once).
    argv.append(f"--KernelManager.transport={kernel_transport()}")
    # Each page's kernel is forked from one process that has imported ipykernel and the pages
    # already (workbook.kernel_zygote): about half a CPU-second less per page.
    argv.append(f"--KernelProvisionerFactory.default_provisioner_name={FORKED_PROVISIONER}")
    if preheat and start_pool_size is not None and start_page is not None:
        # The pools are set inside the app from this number (voila_app.WorkbookVoila): given
        # on the command line as a dict, traitlets warns at every start.
        argv.append(f"--WorkbookVoila.start_pool_size={start_pool_size}")
        argv.append(f"--VoilaKernelManager.fill_delay={WORKSHOP_FILL_DELAY}")
    if data_dir is not None:
        argv.append(f"--WorkbookVoila.data_dir={Path(data_dir).expanduser().resolve()}")
    return argv


def kernel_transport(temp_dir: str | None = None) -> str:
    """How pages' kernels talk to the server: "ipc" (Unix sockets in Voila's connection
    folder, under the temporary folder) where such a socket's path fits, else "tcp" (Windows,
    or a temporary folder with a long path)."""
    if sys.platform == "win32":
        return "tcp"
    folder = temp_dir or tempfile.gettempdir()
    # Voila's folder is mkdtemp("voila_"); jupyter_client names sockets kernel-<id>-ipc-<n>.
    longest = os.path.join(folder, "voila_" + "x" * 8, "kernel-" + "0" * 36 + "-ipc-5")
    return "ipc" if len(os.fsencode(longest)) < _SOCKET_PATH_LIMIT else "tcp"


def _has_curve() -> bool:
    """True when pyzmq can encrypt kernel traffic (its wheels bundle libsodium)."""
    try:
        import zmq
    except ImportError:  # pragma: no cover - pyzmq comes with Jupyter
        return False
    return bool(zmq.has("curve"))


def voila_env(
    token: str | None = None,
    base: Mapping[str, str] | None = None,
    values: Mapping[settings.Setting, str | None] | None = None,
) -> dict[str, str]:
    """The environment for the child started from `voila_argv`: ``base`` (this process's) with
    the token and the other settings ``values`` (`workbook.settings`), which its kernels inherit.
    """
    env = settings.child_env({**(values or {}), settings.TOKEN: token or None}, base)
    # Kernels print through the server log; keep it unbuffered so the log is in order.
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def lan_address() -> str | None:
    """This computer's address on the local network, or None (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith(("0.", "127.")) else address


def app_url(host: str, port: int, token: str | None = None, path: str = "/", **query: str) -> str:
    """The link a person opens: a reachable address, the port, the token and any `query`."""
    shown = (lan_address() or DEFAULT_HOST) if host in _WILDCARDS else host
    if ":" in shown:
        shown = f"[{shown}]"
    params = ({"token": token} if token else {}) | query
    return f"http://{shown}:{port}{path}" + (f"?{urlencode(params)}" if params else "")


def print_url(url: str, out: TextIO | None = None) -> bool:
    """Print the link, and a QR code of it when the optional ``qrcode`` package is installed.

    Returns True when a QR code was printed.
    """
    stream = out if out is not None else sys.stdout
    stream.write(f"\nOpen the workbook at:\n\n    {url}\n\n")
    try:
        import qrcode  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        stream.flush()
        return False
    code = qrcode.QRCode(border=2)
    code.add_data(url)
    code.make(fit=True)
    stream.write("Or scan this with a phone on the same network:\n\n")
    code.print_ascii(out=stream, invert=True)
    stream.write("\n")
    stream.flush()
    return True


def serve(
    notebooks_dir: str | os.PathLike[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    values: Mapping[settings.Setting, str | None] | None = None,
    **options: Any,
) -> int:
    """Run the Voila server until it stops (Ctrl-C); returns its exit code.

    ``values`` are settings for the server and its kernels (see `voila_env`);
    ``options`` are `voila_argv`'s (``preheat``, ``open_browser``, ...). A non-loopback
    ``host`` without a token raises `ServingError`; call `generate_token` first if the person
    did not choose one.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    argv = voila_argv(notebooks_dir, host=host, port=port, token=token, data_dir=folder, **options)
    _check_port_free(host, port)
    # The kernels' connection files go to a folder of this run, removed however Voila ends.
    runtime = Path(tempfile.mkdtemp(prefix="workbook-serve-"))
    argv.append(f"--Voila.connection_dir_root={runtime}")
    try:
        # Voila runs in its own process group: Ctrl-C reaches this process only, which then
        # stops Voila and every kernel itself (see `workbook.child_process.run_until_stopped`).
        proc = subprocess.Popen(
            argv,
            env=voila_env(token, values=values),
            start_new_session=True,
            preexec_fn=end_with_parent(os.getpid()) if sys.platform.startswith("linux") else None,
        )
        return run_until_stopped(proc)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServingError(
                    f"Port {port} on {host} is already in use (is the workbook already "
                    "running?). Stop the other server or choose another port."
                ) from exc
            raise ServingError(
                f"Cannot listen on {host}:{port} ({exc.strerror or exc}). "
                "Check the address: it must belong to this computer."
            ) from exc


#: Where Voila serves the widgets' scripts and styles (JupyterLab extensions).
LABEXTENSIONS_ROUTE = "/voila/labextensions/(.*)"


def cacheable_labextensions(spec: Any) -> Any:
    """Voila's route for the widgets' scripts, without its "no-cache" on every file.

    Voila marks each file there "no-cache", so every page a person opens asked the server again
    for each of them (17 requests a page, each answered "not modified"), from a phone over
    Wi-Fi and on the laptop serving a room. The pages ask for them with a hash of their content
    (``?v=``), so a browser may keep them: the route now answers as jupyter_server's other
    static files do (with ``?v=``, kept for long; without, checked each time). Other routes are
    returned unchanged.
    """
    if len(spec) < 3 or not str(spec[0]).endswith(LABEXTENSIONS_ROUTE):
        return spec
    options = {**spec[2], "no_cache_paths": []}
    return (spec[0], spec[1], options, *spec[3:])
