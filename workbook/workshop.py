"""A workshop: one facilitator, a folder of couple workbooks and their join codes.

A workshop is simply a data folder holding one workbook per couple. The facilitator creates the
couples' workbooks up front (`create_couples`); each gets a random 12-letter join code, kept in
``workshop.json`` in the same folder (0600), which a couple types in to reach their workbook
(`resolve_code`).

What the facilitator sees of the couples is in `workbook.aggregates`; the printable
worksheets are in `workbook.worksheets`.

This module is domain level: it uses the store and plain data, never widgets.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import workshop_messages as said
from .domain import ValidationError
from .i18n import N_
from .paths import NAME_RE, check_name, default_data_dir, ensure_private_dir, list_names
from .store import WorkbookExists, create

log = logging.getLogger("workbook.workshop")

WORKSHOP_FILE = "workshop.json"
WORKSHOP_FORMAT = "healing-together-workshop"
WORKSHOP_VERSION = 1

#: Join-code letters: no 0/O, 1/I/L, 5/S or 2/Z, so a code read aloud or from paper is not
#: mistyped. 27 symbols, 12 characters (shown as KT7Q-4MXP-9RWA): about 1.5e17 codes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 12
CODE_GROUP = 4
#: Codes made before codes grew to 12 characters still open their workbook (the attempt limits
#: below keep them out of reach too); the facilitator can replace them (`replace_code`).
LEGACY_CODE_LENGTH = 6
CODE_RE = re.compile(
    f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}|[{CODE_ALPHABET}]{{{LEGACY_CODE_LENGTH}}}"
)

#: Wrong codes one page may try freely; after that each waits twice as long as the one before
#: (1 s, 2 s, 4 s ...), up to PAGE_MAX_DELAY seconds. While a page's wait runs that page refuses
#: every code, the right one too, so waiting is the only way to learn anything on it. A page is
#: one kernel: the wait is that phone's alone and never stops another page.
PAGE_FREE_ATTEMPTS = 5
PAGE_MAX_DELAY = 60.0
#: The whole workshop (every page of every couple, counted through a file in the data folder)
#: never refuses a code: a room-wide wait would let one phone typing wrong codes lock every
#: couple out. Instead, once more than SERVER_FREE_ATTEMPTS wrong codes were typed in the last
#: SERVER_WINDOW seconds (far more than a room's honest typos), each page gets only
#: PAGE_FREE_ATTEMPTS_BUSY free wrong codes before its own waits start. See SECURITY.md for the
#: figures: with 27^12 codes, guessing is impractical even at the server's full speed.
SERVER_FREE_ATTEMPTS = 300
SERVER_WINDOW = 3600.0
PAGE_FREE_ATTEMPTS_BUSY = 1
ATTEMPTS_FILE = ".join-attempts.json"

#: Placeholder partner names; couples rename themselves on the start page.
PLACEHOLDER_NAMES = ("Partner A", "Partner B")
MAX_COUPLES = 100


class UnknownCode(ValidationError):
    """A join code that is not part of this workshop."""


class TooManyAttempts(UnknownCode):
    """Too many wrong codes just now; `wait` says how many seconds until the next try."""

    def __init__(self, wait: float) -> None:
        seconds = max(1, math.ceil(wait))  # said in whole seconds, one or several
        super().__init__(said.WAIT[seconds != 1], seconds=seconds)
        self.wait = wait


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
        raise ValidationError(said.UNREADABLE, file=path.name, why=str(err)) from err
    codes = doc.get("codes") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != WORKSHOP_FORMAT
        or not isinstance(codes, dict)
    ):
        raise ValidationError(said.NOT_A_WORKSHOP, file=path.name)
    if doc.get("version", 0) > WORKSHOP_VERSION:
        raise ValidationError(said.NEWER, file=path.name)
    return {
        str(code): str(name)
        for code, name in codes.items()
        if CODE_RE.fullmatch(str(code)) and NAME_RE.fullmatch(str(name))
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
    """A random join code (stored form, 12 characters) that is not in `taken`."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def format_code(code: str) -> str:
    """A code as printed for a couple: 'KT7Q-4MXP-9RWA' (an old six-letter code 'KT7 Q4M')."""
    if len(code) == LEGACY_CODE_LENGTH:
        return f"{code[:3]} {code[3:]}"
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalize_code(code: object) -> str:
    """A code as typed ('kt7q 4mxp-9rwa') in its stored form ('KT7Q4MXP9RWA'), or raise."""
    if not isinstance(code, str) or not code.strip():
        raise UnknownCode(said.TYPE_THE_CODE)
    cleaned = re.sub(r"[\s\-\u2010-\u2015\u2212]+", "", code).upper()
    if not CODE_RE.fullmatch(cleaned):
        raise UnknownCode(said.NOT_A_CODE, typed=code.strip()[:20], length=CODE_LENGTH)
    return cleaned


def _delay(failures: int, free: int, cap: float) -> float:
    """Seconds to wait after `failures` wrong codes: none for the first `free`, then doubling."""
    if failures < free:
        return 0.0
    return min(cap, 2.0 ** min(failures - free, 30))  # bounded: 2.0 ** 1100 overflows


@dataclass
class _PageAttempts:
    """Wrong codes tried by this page (a Voila page is one kernel, so: by this process)."""

    failures: int = 0
    last: float = 0.0  # time.monotonic() of the last wrong code
    free: int = PAGE_FREE_ATTEMPTS  # fewer when the workshop has seen many wrong codes


#: Per data folder, so that one page's tries at one workshop are counted together.
_PAGE_ATTEMPTS: dict[str, _PageAttempts] = {}


def _page_attempts(folder: Path) -> _PageAttempts:
    return _PAGE_ATTEMPTS.setdefault(str(folder.resolve()), _PageAttempts())


def _read_failures(path: Path, now: float) -> list[float]:
    """Times of the wrong codes of the last SERVER_WINDOW seconds (an unreadable file: none)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        times = [float(t) for t in doc["failures"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return sorted(t for t in times if now - SERVER_WINDOW < t <= now + 1.0)


def _write_failures(path: Path, times: list[float]) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"failures": times[-2 * SERVER_FREE_ATTEMPTS :]}, fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


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
        raise ValidationError(
            N_("Choose how many couples: a whole number from 1 to %(most)d."), most=MAX_COUPLES
        )
    if not isinstance(prefix, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", prefix):
        raise ValidationError(
            N_(
                "The name prefix must be 1 to 40 lowercase letters, digits, '-' or '_', "
                "for example 'couple'."
            )
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
    """The workbook name a join code opens, or UnknownCode (a ValidationError) with a message.

    Wrong codes are limited per page (`PAGE_FREE_ATTEMPTS`, then doubling waits): while this
    page's wait runs every code typed on it, right or wrong, is refused with `TooManyAttempts`.
    Other pages are never refused because of it, so one phone typing wrong codes cannot block
    the room. The workshop counts wrong codes across pages (`SERVER_FREE_ATTEMPTS`); when many
    were typed, a page's waits start after `PAGE_FREE_ATTEMPTS_BUSY` wrong codes instead. A
    code that is not a code at all (wrong length or letters) tells nothing and is not counted.
    """
    cleaned = normalize_code(code)
    folder = _folder(data_dir)
    page = _page_attempts(folder)
    page_wait = page.last + _delay(page.failures, page.free, PAGE_MAX_DELAY)
    if time.monotonic() < page_wait:
        wait = page_wait - time.monotonic()
        raise TooManyAttempts(wait)
    if not (folder / WORKSHOP_FILE).is_file():
        raise UnknownCode(said.NOT_IN_WORKSHOP)
    # workshop.json is replaced atomically: reading it needs no lock, so no check waits for
    # another page's.
    name = _read_codes(folder / WORKSHOP_FILE).get(cleaned)
    if name is None:
        attempts = folder / ATTEMPTS_FILE
        with _locked(folder):  # the workshop's count, shared by every page's process
            now = time.time()
            failures = [*_read_failures(attempts, now), now]
            _write_failures(attempts, failures)
        page.failures += 1
        page.last = time.monotonic()
        if len(failures) > SERVER_FREE_ATTEMPTS:
            page.free = min(page.free, PAGE_FREE_ATTEMPTS_BUSY)
        log.warning(
            "A join code that is not part of the workshop was typed (%d on this page, %d in "
            "the workshop in the last hour).",
            page.failures,
            len(failures),
        )
        raise UnknownCode(said.NOT_IN_WORKSHOP)
    page.failures = 0
    if name not in list_names(folder):
        raise UnknownCode(said.GONE)
    return name


def replace_code(data_dir: Path | str | None, name: str) -> CoupleCode:
    """Give a couple's workbook a new join code; the old one opens nothing from now on.

    For a code that was lost, overheard or handed to the wrong couple, and for old six-letter
    codes. Pages already open keep working until they are reloaded.
    """
    check_name(name)
    folder = _folder(data_dir)
    if name not in list_names(folder):
        raise ValidationError(
            N_("There is no workbook called %(name)r in this workshop."), name=name
        )
    ensure_private_dir(folder)
    path = folder / WORKSHOP_FILE
    with _locked(folder):
        codes = _read_codes(path)
        kept = {code: owner for code, owner in codes.items() if owner != name}
        code = new_code(set(codes))
        kept[code] = name
        _write_codes(path, kept)
    log.info("The join code of %s was replaced.", name)
    return CoupleCode(name=name, code=code)
