"""Kernel websocket frames checked before Jupyter Server reads them (server side only).

jupyter_server 2.x reads the offset count at the start of a binary frame from the browser and
loops over it, or builds a format string that long, without a bound: one crafted frame made a
server allocate hundreds of megabytes while no page answered. `CheckedKernelConnection` closes
the websocket instead. `workbook serve` checks frames in its own handler (workbook/voila_app.py);
JupyterHub's per-account servers use this class (deploy/jupyterhub/jupyterhub_config.py):

    --ServerApp.kernel_websocket_connection_class=workbook.kernel_guard.CheckedKernelConnection

A page's kernel answers only that page. The page's script opens its kernel websocket with a
``session_id`` of its own making (a random id, kept for reconnections after a network blip and
never in the page's HTML); the first connection binds the kernel to it, and a connection with
any other session id is refused (403), while the page is open and after it closed. Someone who
learns a kernel id (it is in the page's HTML) therefore can neither read the page's widget
updates (a passphrase as it is typed, the sitting cookie) nor press its buttons.

As a Jupyter Server extension (``--ServerApp.jpserver_extensions=workbook.kernel_guard=True``)
this module also keeps secrets out of the server's log (workbook.log_privacy).

Importing this module imports Jupyter Server: never import it in a kernel.
"""

from __future__ import annotations

from typing import Any, ClassVar

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado import web

from . import log_privacy

#: The only kernel websocket protocol the server speaks (see `workbook.voila_app`).
KERNEL_WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: A v1 kernel frame has 7 offsets (channel, header, parent, metadata, content, end) plus one
#: per binary buffer; more than this many is refused without reading them.
MAX_FRAME_OFFSETS = 64


def v1_frame_offsets(frame: bytes) -> list[int] | None:
    """The offsets of a v1 kernel websocket frame, or None when the frame is not one.

    The frame starts with the number of offsets (8 bytes, little-endian) and then the offsets.
    Voila 0.5.13 and jupyter_server 2.x read that number and loop over it without a bound, so
    one frame in another layout (or a hostile one) made the server loop on billions of offsets
    and freeze for everyone. Here the count is checked against the frame's length first.
    """
    if not isinstance(frame, bytes | bytearray | memoryview) or len(frame) < 8:
        return None
    count = int.from_bytes(frame[:8], "little")
    if not 3 <= count <= MAX_FRAME_OFFSETS or len(frame) < 8 * (count + 1):
        return None
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    if offsets[0] != 8 * (count + 1) or offsets != sorted(offsets) or offsets[-1] > len(frame):
        return None
    return offsets


def legacy_frame_ok(frame: bytes) -> bool:
    """True when a binary frame of the legacy protocol can be read at a bounded cost.

    It starts with the number of parts (4 bytes, big-endian) and then one 4-byte offset each.
    """
    if len(frame) < 8:
        return False
    count = int.from_bytes(frame[:4], "big", signed=True)
    return 1 <= count <= MAX_FRAME_OFFSETS and len(frame) >= 4 * (count + 1)


def frame_ok(frame: Any, subprotocol: str | None) -> bool:
    """True when Jupyter Server may read `frame`, sent by a browser on `subprotocol`."""
    if subprotocol == KERNEL_WS_PROTOCOL:
        return isinstance(frame, bytes) and v1_frame_offsets(frame) is not None
    if isinstance(frame, str):
        return True  # legacy JSON text: read by json.loads, which has no such loop
    return isinstance(frame, bytes) and legacy_frame_ok(frame)


class CheckedKernelConnection(ZMQChannelsWebsocketConnection):
    """Jupyter Server's kernel websocket connection, bound to the first page that connects and
    closing on a frame it cannot read safely."""

    #: kernel id -> the session id of the one page that kernel serves
    _bound: ClassVar[dict[str, str]] = {}

    async def prepare(self) -> None:
        session_id = self.websocket_handler.get_argument("session_id", "")
        bound = type(self)._bound
        for kernel_id in [k for k in bound if k not in self.multi_kernel_manager]:
            del bound[kernel_id]  # the kernel has ended
        owner = bound.setdefault(self.kernel_id, session_id) if session_id else None
        if owner is None or owner != session_id:
            # No kernel id or session id in the log (see workbook.log_privacy).
            self.log.warning("Refused a second connection to a page's kernel.")
            raise web.HTTPError(403)
        await super().prepare()

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        if not frame_ok(incoming_msg, self.subprotocol):
            self.log.warning("Closed a kernel websocket that sent a malformed frame.")
            self.websocket_handler.close(1003, "malformed frame")
            return
        super().handle_incoming_message(incoming_msg)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "workbook.kernel_guard"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Keep tokens, join codes, keys and kernel ids out of this Jupyter server's log."""
    log_privacy.install()
