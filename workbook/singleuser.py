"""A couple's own server on JupyterHub (Kubernetes): ``jupyterhub-singleuser`` set up for Voila.

The Zero to JupyterHub deployment (deploy/kubernetes/) starts each couple's pod with
``healing-together-singleuser``, which runs ``jupyterhub-singleuser`` with the settings below and
the same Voila options as ``workbook serve`` (`workbook.serving.voila_options`). The options come
from the package inside the pod's image, so the hub's image needs no copy of this package and the
two can never disagree.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from .paths import notebooks_dir
from .serving import JUPYTER_DATA_ROOT, voila_options

#: Only Voila pages: no JupyterLab, classic notebook or terminals in a couple's server.
SERVER_ARGS = (
    "--ServerApp.terminals_enabled=False",
    "--ServerApp.jpserver_extensions=jupyterlab=False",
    "--ServerApp.jpserver_extensions=notebook_shim=False",
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
    "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
    "--ServerApp.jpserver_extensions=voila.server_extension=True",
    # Kernel websocket frames checked before Jupyter Server reads them (workbook/kernel_guard.py).
    "--ServerApp.kernel_websocket_connection_class=workbook.kernel_guard.CheckedKernelConnection",
    # No token, join code, facilitator key, kernel id or step 8 in the server's log, and a
    # page's kernel answers only its page (workbook/log_privacy.py, workbook/kernel_guard.py).
    "--ServerApp.jpserver_extensions=workbook.kernel_guard=True",
)


def singleuser_argv(extra: Sequence[str] = ()) -> list[str]:
    """The command line of a couple's server: the installed notebooks, Voila's options."""
    return [
        "jupyterhub-singleuser",
        f"--ServerApp.root_dir={notebooks_dir()}",
        *SERVER_ARGS,
        *voila_options(),
        *extra,
    ]


def singleuser_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: Voila finds the 'healing' page template in the package."""
    env = dict(os.environ if base is None else base)
    parts = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join([str(JUPYTER_DATA_ROOT), *parts])
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def main(argv: Sequence[str] | None = None) -> None:  # pragma: no cover - replaces the process
    """Replace this process with the couple's server (arguments from the spawner are kept)."""
    args = singleuser_argv(list(sys.argv[1:] if argv is None else argv))
    os.execvpe(args[0], args, singleuser_env())  # noqa: S606 - an argv list, no shell
