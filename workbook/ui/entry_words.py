"""How the lists name an entry in a label: its day and its first words."""

from __future__ import annotations

from datetime import date

from ..i18n import format_date


def day_text(day: date, lang: str | None = None, *, year: bool = True) -> str:
    """A day as the lists show it, in the reader's language: ``05 Dec 2026`` / ``05 dic 2026``
    (``05 Dec`` without the year)."""
    return format_date(day, lang, "dd MMM y" if year else "dd MMM")


def first_words(text: str, limit: int = 40) -> str:
    """The start of a text on one line, for a label (shortened with an ellipsis)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
