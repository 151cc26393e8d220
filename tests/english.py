"""Finding English left on a page meant to be in Spanish (issue 21).

`english_left` looks for words only English uses (the, your, you, with, ...) and for the
English of the interface's own buttons; what a person wrote is passed in `allowed` and left
out first (their words are shown as written). Unit tests feed it `shown_text(widget)`;
the browser test feeds it the page's visible text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import ipywidgets as widgets
from widget_utils import walk

from workbook.workshop import CODE_ALPHABET, CODE_GROUP, LEGACY_CODE_LENGTH

#: Words that are English and never Spanish (nor common names): one of them in a line of a
#: Spanish page means the line was left in English.
ENGLISH_WORDS = frozenset(
    """the your you yours with what this that these those there their they them and or not
    have had was were will would should could can't don't isn't it's here when which who
    whom please saved save nothing yet from into about after before other partner partners
    workbook step steps private shared only both each every been being our we us my mine
    lock unlock passphrase delete correct answer answers question today yesterday week weeks
    month months year days day show hide print back next open close start done entry entries
    mood trust promise promises kept broken journal minutes note notes""".split()  # noqa: SIM905 (a word list reads better as text)
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_TAG = re.compile(r"<[^>]+>")
#: Names that are the same in every language: time zones (America/New_York), addresses, and
#: join codes as shown (KT7Q-4MXP-9RWA: random letters, which may spell "WE" or "US").
_CODE = f"[{CODE_ALPHABET}]{{{CODE_GROUP}}}"
_NAMES = re.compile(
    r"\b[A-Z][A-Za-z_-]+(?:/[A-Za-z0-9_+-]+)+|\bhttps?://\S+"
    rf"|\b{_CODE}(?:-{_CODE})+\b|\b[{CODE_ALPHABET}]{{{LEGACY_CODE_LENGTH}}}\b"
)


def shown_text(w: widgets.Widget) -> list[str]:
    """Every piece of text a person reads in a widget tree: HTML (tags taken out, entities
    read), labels, button words, placeholders, tooltips and the options of choices."""
    out: list[str] = []
    for x in walk(w):
        if isinstance(x, widgets.HTML | widgets.HTMLMath | widgets.Label):
            text = html.unescape(_TAG.sub("\n", str(x.value)))
            out += [line.strip() for line in text.splitlines() if line.strip()]
        for attr in ("description", "placeholder", "tooltip"):
            value = getattr(x, attr, None)
            if isinstance(value, str) and value.strip():
                out.append(html.unescape(_TAG.sub(" ", value)).strip())
        options = getattr(x, "_options_labels", None)
        if options:
            out += [str(o) for o in options]
    return out


def english_left(lines: Iterable[str], allowed: Iterable[str] = ()) -> list[str]:
    """The lines that still read as English (after taking out `allowed` words as written)."""
    keep = [a for a in allowed if a]
    found = []
    for line in lines:
        rest = _NAMES.sub(" ", line)
        for a in keep:
            rest = rest.replace(a, " ")
        words = {m.group(0).lower().replace("’", "'") for m in _WORD.finditer(rest)}
        if words & ENGLISH_WORDS:
            found.append(line)
    return found
