"""A workshop: one facilitator, a folder of couple workbooks and their join codes.

A workshop is simply a data folder holding one workbook per couple. The facilitator creates the
couples' workbooks up front (`create_couples`); each gets a short random join code, kept in
``workshop.json`` in the same folder (0600), which a couple types in to reach their workbook
(`resolve_code`).

What the facilitator sees of the couples is in `workbook.aggregates`; the printable
worksheets are in `workbook.worksheets`.

This module is domain level: it uses the store and plain data, never widgets.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .domain import ValidationError
from .paths import NAME_RE, check_name, default_data_dir, ensure_private_dir, list_names
from .store import WorkbookExists, create

WORKSHOP_FILE = "workshop.json"
WORKSHOP_FORMAT = "healing-together-workshop"
WORKSHOP_VERSION = 1

#: Join-code letters: no 0/O, 1/I/L, 5/S or 2/Z, so a code read aloud or from paper is not
#: mistyped. 27 symbols, 6 characters: about 387 million codes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 6
CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

#: Placeholder partner names; couples rename themselves on the start page.
PLACEHOLDER_NAMES = ("Partner A", "Partner B")
MAX_COUPLES = 100


class UnknownCode(ValidationError):
    """A join code that is not part of this workshop."""


# --- join codes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoupleCode:
    """One couple's workbook name and its join code."""

    name: str
    code: str


def _folder(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir else default_data_dir()


def _workshop_path(data_dir: Path | str | None) -> Path:
    return _folder(data_dir) / WORKSHOP_FILE


def _read_codes(path: Path) -> dict[str, str]:
    """Code -> workbook name from ``workshop.json``; {} when there is none yet."""
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ValidationError(
            f"The workshop file {path.name} cannot be read ({err}). It was left untouched."
        ) from err
    codes = doc.get("codes") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != WORKSHOP_FORMAT
        or not isinstance(codes, dict)
    ):
        raise ValidationError(
            f"{path.name} is not a Healing Together workshop file. It was left untouched."
        )
    if doc.get("version", 0) > WORKSHOP_VERSION:
        raise ValidationError(
            f"{path.name} was written by a newer version of Healing Together. "
            "Update the app to use it. It was left untouched."
        )
    return {
        str(code): str(name)
        for code, name in codes.items()
        if CODE_RE.match(str(code)) and NAME_RE.match(str(name))
    }


def _write_codes(path: Path, codes: dict[str, str]) -> None:
    """Write ``workshop.json`` atomically, readable by its owner only (0600)."""
    doc = {
        "format": WORKSHOP_FORMAT,
        "version": WORKSHOP_VERSION,
        "codes": dict(sorted(codes.items(), key=lambda kv: (kv[1], kv[0]))),
    }
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if os.name == "posix":
        path.chmod(0o600)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Serialise changes to ``workshop.json`` between processes (POSIX; a no-op elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(folder / ".workshop.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def new_code(taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A random join code that is not in `taken`."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def normalize_code(code: object) -> str:
    """A code as typed ('abc 346', 'ABC-346') in its stored form ('ABC346'), or raise."""
    if not isinstance(code, str) or not code.strip():
        raise UnknownCode("Type the join code your facilitator gave you.")
    cleaned = re.sub(r"[\s-]+", "", code).upper()
    if not CODE_RE.match(cleaned):
        raise UnknownCode(
            f"{code.strip()[:20]!r} is not a join code. A code has {CODE_LENGTH} letters and "
            "digits, for example 'KT7 Q4M'. Check it with your facilitator."
        )
    return cleaned


def _next_numbers(prefix: str, existing: list[str], n: int) -> list[int]:
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    used = [int(m.group(1)) for name in existing if (m := pattern.match(name))]
    start = max(used, default=0) + 1
    return list(range(start, start + n))


def create_couples(data_dir: Path | str | None, n: int, prefix: str = "couple") -> list[CoupleCode]:
    """Create `n` couple workbooks (``couple-01``, ...) with join codes; returns them in order.

    Numbering continues after any existing ``prefix-NN`` workbooks, so running it twice adds
    couples rather than failing. The partners are called "Partner A" and "Partner B" until they
    rename themselves. The codes are stored in ``workshop.json`` (0600) in the data folder.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_COUPLES:
        raise ValidationError(f"Choose how many couples: a whole number from 1 to {MAX_COUPLES}.")
    if not isinstance(prefix, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", prefix):
        raise ValidationError(
            "The name prefix must be 1 to 40 lowercase letters, digits, '-' or '_', "
            "for example 'couple'."
        )
    folder = ensure_private_dir(_folder(data_dir))
    path = folder / WORKSHOP_FILE
    with _locked(folder):
        codes = _read_codes(path)  # a damaged file stops us before anything is created
        numbers = _next_numbers(prefix, list_names(folder), n)
        width = max(2, len(str(numbers[-1])))
        names = [check_name(f"{prefix}-{i:0{width}d}") for i in numbers]
        made: list[CoupleCode] = []
        try:
            for name in names:
                try:
                    create(name, *PLACEHOLDER_NAMES, data_dir=folder).close()
                except WorkbookExists:
                    continue  # created meanwhile by someone else: leave it alone
                code = new_code(set(codes))
                codes[code] = name
                made.append(CoupleCode(name=name, code=code))
        finally:
            if made:
                _write_codes(path, codes)
    return made


def couple_codes(data_dir: Path | str | None = None) -> list[CoupleCode]:
    """Every couple with a join code, sorted by workbook name."""
    codes = _read_codes(_workshop_path(data_dir))
    return sorted((CoupleCode(name=v, code=k) for k, v in codes.items()), key=lambda c: c.name)


def join_code(name: str, data_dir: Path | str | None = None) -> str | None:
    """The join code of a workbook, or None if it has none."""
    check_name(name)
    return next((c.code for c in couple_codes(data_dir) if c.name == name), None)


def resolve_code(data_dir: Path | str | None, code: str) -> str:
    """The workbook name a join code opens, or UnknownCode (a ValidationError) with a message."""
    cleaned = normalize_code(code)
    folder = _folder(data_dir)
    name = _read_codes(folder / WORKSHOP_FILE).get(cleaned)
    if name is None:
        raise UnknownCode(
            "That join code is not part of this workshop. Check each letter with your "
            "facilitator and try again."
        )
    if name not in list_names(folder):
        raise UnknownCode(
            "That join code's workbook is no longer here. Please ask your facilitator."
        )
    return name
