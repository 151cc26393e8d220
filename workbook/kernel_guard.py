"""Kernel websocket frames checked before Jupyter Server reads them (server side only).

jupyter_server 2.x reads the offset count at the start of a binary frame from the browser and
loops over it, or builds a format string that long, without a bound: one crafted frame made a
server allocate hundreds of megabytes while no page answered. `CheckedKernelConnection` closes
the websocket instead. `workbook serve` checks frames in its own handler (workbook/voila_app.py);
JupyterHub's per-account servers use this class (deploy/jupyterhub/jupyterhub_config.py):

    --ServerApp.kernel_websocket_connection_class=workbook.kernel_guard.CheckedKernelConnection

Importing this module imports Jupyter Server: never import it in a kernel.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from .serving import KERNEL_WS_PROTOCOL, MAX_FRAME_OFFSETS, v1_frame_offsets


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
    """Jupyter Server's kernel websocket connection, closing on a frame it cannot read safely."""

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        if not frame_ok(incoming_msg, self.subprotocol):
            self.log.warning("Closed a kernel websocket that sent a malformed frame.")
            self.websocket_handler.close(1003, "malformed frame")
            return
        super().handle_incoming_message(incoming_msg)
