"""What goes into the translation catalogue: the marked strings of the code and templates, and
the text of the steps (plain data, read from the definitions themselves).

``babel.cfg`` names ``extract_steps`` as the extractor of ``workbook/steps.py``; ``marked()``
runs the same extraction in Python for the catalogue checks (tests/test_i18n.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

#: The checkout's root: babel.cfg sits beside the package.
ROOT = Path(__file__).resolve().parent.parent


def extract_steps(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """A Babel extractor: every piece of text of every healing step (the file is not parsed)."""
    from .steps import HEALING_STEPS

    for step in HEALING_STEPS.values():
        for text in step.strings():
            yield step.number, None, text, [f"step {step.number}"]


def marked(root: Path = ROOT) -> set[str]:
    """Every msgid the code and templates mark, extracted as ``make translations`` does."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root / "workbook"),
        method_map,
        options_map,
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    ):
        if isinstance(message, tuple):
            # A plural (ngettext) is one catalogue entry, named by its singular.
            found.update(message[:1] if message[0] else ())
        elif message:
            found.add(message)
    return found
