"""Activity on a page: a sitting in use is not quiet.

`workbook.ui.blocks.guarded` notes every form action here; the private-entry states of the page
(`workbook.ui.sitting.PrivateState`) are told. A module of its own so that the widget building
blocks need not import the sitting (which is built from them).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sitting import PrivateState

#: The private-entry states of this kernel's pages (a state leaves when its page is gone, and
#: `PrivateState.close` takes a replaced session's state out).
_STATES: weakref.WeakSet[PrivateState] = weakref.WeakSet()


def note_activity() -> None:
    """Something was done on the page: a sitting in use is not quiet."""
    for state in list(_STATES):
        state.touch()
