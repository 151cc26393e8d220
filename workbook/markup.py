"""The one path for HTML built in Python: `markupsafe.Markup`, which escapes by default.

Pages built from widgets (`workbook.ui`) and the crisis resources compose small pieces of HTML
in Python. Every piece is a `Markup`: a literal template (`html("<p class='{}'>{}</p>", ...)`)
whose values are escaped as they are put in, unless they are `Markup` already. So text a
person wrote cannot be forgotten unescaped, and HTML already built cannot be escaped twice.
`tests/test_markup.py` fails if an f-string, `%` or `.format` on a plain string builds a tag in
`workbook.ui`. A widget's value is set from `str(markup)`.
The printable worksheets use Jinja2 templates with autoescaping, which accept `Markup` as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    import jinja2

__all__ = ["Markup", "esc", "html", "join"]


def esc(text: object) -> Markup:
    """Escape any value for HTML, quotes included; `Markup` passes through unchanged."""
    return escape(text)


def html(template: str, /, *args: object, **kwargs: object) -> Markup:
    """Fill a literal HTML template: every value is escaped unless it is `Markup` already.

    `template` must be project text (a literal), never a value from a person or a file.
    """
    return Markup(template).format(*args, **kwargs)  # noqa: S704 - a literal template, see above


def join(parts: Iterable[str], sep: str = "") -> Markup:
    """Join pieces of HTML (each escaped unless `Markup`) with a literal separator."""
    return Markup(sep).join(parts)  # noqa: S704 - a literal separator


def package_templates(folder: str, extensions: Sequence[str] = ()) -> jinja2.Environment:
    """Jinja2 templates from a folder of the package, escaping every value they are given
    (worksheets, the counsellor's report). Jinja2 is imported here, not by every page."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("workbook", folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=list(extensions),
    )
