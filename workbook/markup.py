"""The one escaping function for HTML built in Python, where a template cannot serve.

Pages built from widgets (`workbook.ui`) and the crisis resources compose small pieces of HTML
in Python; everything a person wrote, and every other value, goes through `esc` on the way.
The printable worksheets use Jinja2 templates with autoescaping instead.
"""

from __future__ import annotations

import html


def esc(text: object) -> str:
    """Escape any value for HTML, quotes included."""
    return html.escape(str(text), quote=True)
