"""Join-code slips for a workshop: one card per couple, to print, cut and hand out.

The facilitator gives each couple their code on paper (README, "Running a workshop"). A slip
holds the couple's workbook name, their code, how to join, and that the code is theirs alone.
Nothing a couple wrote is ever on it. `slips_html` renders a standalone page with no scripts
(Jinja2 templates in ``workbook/templates/slips/``, escaping every value).

This module is domain level: plain data in, text out, no widgets.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import jinja2

from .domain import ValidationError
from .i18n import N_, install_jinja
from .markup import package_templates
from .workshop import CoupleCode, format_code

#: The file a facilitator downloads with the slips of several couples.
SLIPS_FILENAME = "join-code-slips.html"


@functools.cache
def _templates(lang: str | None) -> jinja2.Environment:
    """The slip templates in `lang`, escaping every value they are given."""
    return install_jinja(package_templates("templates/slips", ["jinja2.ext.i18n"]), lang)


def slips_html(codes: Sequence[CoupleCode], lang: str | None = None) -> str:
    """A printable page of join-code slips, one per couple, in `lang` (English for None)."""
    if not codes:
        raise ValidationError(N_("There are no couples yet; create them first."))
    return (
        _templates(lang)
        .get_template("slips.html.j2")
        .render(
            lang=lang or "en",
            slips=[(c.name, format_code(c.code)) for c in codes],
        )
    )


def slips_filename(codes: Sequence[CoupleCode]) -> str:
    """The slips' file name: one couple's slip is named after it (a replaced code's), so it is
    not taken for the whole room's."""
    if len(codes) == 1:
        return f"join-code-slip-{codes[0].name}.html"
    return SLIPS_FILENAME
