"""Helpers for tests that look inside widget trees."""

from __future__ import annotations

import ipywidgets as widgets


def walk(w: widgets.Widget) -> list[widgets.Widget]:
    """The widget and all its descendants, depth first."""
    out = [w]
    for child in getattr(w, "children", ()):
        out += walk(child)
    return out


def html_of(w: widgets.Widget) -> str:
    """All HTML text shown by a widget tree, joined."""
    return "\n".join(x.value for x in walk(w) if isinstance(x, widgets.HTML))
