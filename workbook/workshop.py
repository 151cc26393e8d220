"""A workshop: one facilitator, a folder of couple workbooks, join codes and printable worksheets.

A workshop is simply a data folder holding one workbook per couple. The facilitator creates the
couples' workbooks up front (`create_couples`); each gets a random 12-letter join code, kept in
``workshop.json`` in the same folder (0600), which a couple types in to reach their workbook
(`resolve_code`).

What a facilitator may see is deliberately narrow:

* `progress_table`: how many steps each partner has marked done and the day of the last shared
  activity. No entry text, no partner names, nothing private.
* `aggregate_trends`: daily mean mood and trust across couples where *both* partners consented,
  from shared check-ins only, with no names, and nothing at all while fewer than three couples
  consented. Days to which fewer than `min_couples` couples contributed are left out too, so
  one couple's numbers can never be read off a day on which only they checked in.

`worksheet_html` renders a printable page for any step, blank (for paper) or with one
workbook's *shared* answers. It never reads private entries, and step 8's safety check is never
stored, so it can never be printed.

This module is domain level: it uses the store and plain data, never widgets.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import math
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .content import AGREEMENTS, SITUATIONS, THERAPIST_QUESTIONS
from .domain import PARTNER_IDS, STEPS, CheckIn, ValidationError
from .paths import NAME_RE, check_name, default_data_dir, ensure_private_dir, list_names
from .store import Workbook, WorkbookError, WorkbookExists, create, open_workbook

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
#: (1 s, 2 s, 4 s ...), up to PAGE_MAX_DELAY seconds.
PAGE_FREE_ATTEMPTS = 5
PAGE_MAX_DELAY = 60.0
#: The same for the whole workshop (every page of every couple, shared through the data
#: folder): SERVER_FREE_ATTEMPTS wrong codes per SERVER_WINDOW seconds, then doubling delays
#: up to SERVER_MAX_DELAY. So no one guesses faster than one code per SERVER_MAX_DELAY seconds
#: for long: about 2,900 a day (see SECURITY.md for what that means for 12-letter codes).
SERVER_FREE_ATTEMPTS = 30
SERVER_WINDOW = 3600.0
SERVER_MAX_DELAY = 30.0
ATTEMPTS_FILE = ".join-attempts.json"

#: Placeholder partner names; couples rename themselves on the start page.
PLACEHOLDER_NAMES = ("Partner A", "Partner B")
MAX_COUPLES = 100
#: Fewer consenting couples than this and no aggregate is shown at all.
MIN_COUPLES = 3


class UnknownCode(ValidationError):
    """A join code that is not part of this workshop."""


class TooManyAttempts(UnknownCode):
    """Too many wrong codes just now; `wait` says how many seconds until the next try."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(message)
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
        raise UnknownCode("Type the join code your facilitator gave you.")
    cleaned = re.sub(r"[\s\-\u2010-\u2015\u2212]+", "", code).upper()
    if not CODE_RE.fullmatch(cleaned):
        raise UnknownCode(
            f"{code.strip()[:20]!r} is not a join code. A code has {CODE_LENGTH} letters and "
            "digits, for example 'KT7Q-4MXP-9RWA'. Check it with your facilitator."
        )
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
    return sorted(t for t in times if now - SERVER_WINDOW < t <= now + SERVER_MAX_DELAY)


def _write_failures(path: Path, times: list[float]) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"failures": times[-1000:]}, fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _wait_message(wait: float, where: str) -> str:
    seconds = max(1, math.ceil(wait))
    return (
        f"{where} Please wait {seconds} second{'s' if seconds != 1 else ''}, then type the code "
        "again carefully. If it keeps happening, ask your facilitator."
    )


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
    """The workbook name a join code opens, or UnknownCode (a ValidationError) with a message.

    Wrong codes are limited per page and per workshop (`PAGE_FREE_ATTEMPTS`,
    `SERVER_FREE_ATTEMPTS`): while a delay runs every code, right or wrong, is refused with
    `TooManyAttempts`, so waiting out the delay is the only way to learn anything. A code that
    is not a code at all (wrong length or letters) tells nothing and is not counted.
    """
    cleaned = normalize_code(code)
    folder = _folder(data_dir)
    page = _page_attempts(folder)
    page_wait = page.last + _delay(page.failures, PAGE_FREE_ATTEMPTS, PAGE_MAX_DELAY)
    if time.monotonic() < page_wait:
        wait = page_wait - time.monotonic()
        raise TooManyAttempts(_wait_message(wait, "Several codes did not match."), wait)
    if not (folder / WORKSHOP_FILE).is_file():
        raise UnknownCode(
            "That join code is not part of this workshop. Check each letter with your "
            "facilitator and try again."
        )
    attempts = folder / ATTEMPTS_FILE
    with _locked(folder):  # one check at a time across every page of the workshop
        now = time.time()
        failures = _read_failures(attempts, now)
        if failures:
            server_delay = _delay(len(failures), SERVER_FREE_ATTEMPTS, SERVER_MAX_DELAY)
            wait = min(failures[-1] + server_delay - now, SERVER_MAX_DELAY)
            if wait > 0:
                raise TooManyAttempts(
                    _wait_message(wait, "Many codes that did not match were typed just now."),
                    wait,
                )
        name = _read_codes(folder / WORKSHOP_FILE).get(cleaned)
        if name is None:
            _write_failures(attempts, [*failures, now])
    if name is None:
        page.failures += 1
        page.last = time.monotonic()
        log.warning(
            "A join code that is not part of the workshop was typed (%d on this page, %d in "
            "the workshop in the last hour).",
            page.failures,
            len(failures) + 1,
        )
        raise UnknownCode(
            "That join code is not part of this workshop. Check each letter with your "
            "facilitator and try again."
        )
    page.failures = 0
    if name not in list_names(folder):
        raise UnknownCode(
            "That join code's workbook is no longer here. Please ask your facilitator."
        )
    return name


def replace_code(data_dir: Path | str | None, name: str) -> CoupleCode:
    """Give a couple's workbook a new join code; the old one opens nothing from now on.

    For a code that was lost, overheard or handed to the wrong couple, and for old six-letter
    codes. Pages already open keep working until they are reloaded.
    """
    check_name(name)
    folder = _folder(data_dir)
    if name not in list_names(folder):
        raise ValidationError(f"There is no workbook called {name!r} in this workshop.")
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


# --- progress, without any entry text -----------------------------------------------------------


@dataclass(frozen=True)
class CoupleProgress:
    """One couple's progress as a facilitator sees it: counts and a date, never entry text."""

    name: str
    steps_a: int
    steps_b: int
    last_activity: date | None
    code: str | None = None
    problem: str = ""

    @property
    def total_steps(self) -> int:
        """How many steps (1 to 8) there are to do, per partner."""
        return max(STEPS)


def _last_activity(wb: Workbook) -> date | None:
    """The local day of the latest *shared* activity (private entries are not looked at)."""
    times = [c.at for c in wb.checkins(viewer=None)]
    times += [r.at for r in wb.reflections(viewer=None)]
    times += [p.at for p in wb.progress()]
    return max(times).astimezone().date() if times else None


def progress_table(data_dir: Path | str | None = None) -> list[CoupleProgress]:
    """Progress of every workbook in the workshop folder, sorted by name.

    A workbook that cannot be read is listed with a short `problem` instead of failing the
    whole table.
    """
    folder = _folder(data_dir)
    try:
        codes = {c.name: c.code for c in couple_codes(folder)}
    except ValidationError:
        codes = {}
    rows = []
    for name in list_names(folder):
        try:
            with open_workbook(name, data_dir=folder) as wb:
                done = {p: {s for s in wb.steps_done(p) if s >= 1} for p in PARTNER_IDS}
                rows.append(
                    CoupleProgress(
                        name=name,
                        steps_a=len(done["a"]),
                        steps_b=len(done["b"]),
                        last_activity=_last_activity(wb),
                        code=codes.get(name),
                    )
                )
        except (WorkbookError, ValidationError):
            rows.append(
                CoupleProgress(
                    name=name,
                    steps_a=0,
                    steps_b=0,
                    last_activity=None,
                    code=codes.get(name),
                    problem="cannot be read",
                )
            )
    return rows


# --- consented, anonymised aggregate trends --------------------------------------------------


@dataclass(frozen=True)
class AggregatePoint:
    """The mean mood and trust on one day across the consenting couples who checked in."""

    day: date
    mood: float
    trust: float
    couples: int


@dataclass(frozen=True)
class AggregateTrends:
    """`points` (None when too few couples consented) and a plain sentence saying why or what.

    It unpacks as ``points, message = aggregate_trends(folder)``.
    """

    points: list[AggregatePoint] | None
    message: str
    consenting: int = 0

    def __iter__(self) -> Iterator[object]:
        return iter((self.points, self.message))


def _couple_days(checkins: list[CheckIn]) -> dict[date, tuple[float, float]]:
    """A couple's mood and trust per day: the mean of the partners' daily means."""
    from . import stats  # numpy: only the facilitator's group chart needs it, not every page

    per_day: dict[date, list[tuple[float, float]]] = {}
    for p in stats.daily_means(checkins):
        per_day.setdefault(p.day, []).append((p.mood, p.trust))
    return {
        d: (sum(m for m, _ in v) / len(v), sum(t for _, t in v) / len(v))
        for d, v in per_day.items()
    }


def aggregate_trends(
    data_dir: Path | str | None = None, *, min_couples: int = MIN_COUPLES
) -> AggregateTrends:
    """Daily mean mood and trust across couples where both partners consented.

    Only shared check-ins are read (`checkins(viewer=None)`); every couple counts equally on a
    day (the mean of its partners' daily means), and no names or workbook names are kept. With
    fewer than `min_couples` consenting couples `points` is None and `message` says why. A day
    to which fewer than `min_couples` couples contributed is left out as well.
    """
    if isinstance(min_couples, bool) or not isinstance(min_couples, int) or min_couples < 1:
        raise ValidationError("The smallest group must be a whole number of at least 1.")
    folder = _folder(data_dir)
    days: dict[date, list[tuple[float, float]]] = {}
    consenting = 0
    for name in list_names(folder):
        try:
            with open_workbook(name, data_dir=folder) as wb:
                if not all(wb.consent(p) for p in PARTNER_IDS):
                    continue
                shared = [c for c in wb.checkins(viewer=None) if c.visibility == "shared"]
        except (WorkbookError, ValidationError):
            continue
        consenting += 1
        for d, values in _couple_days(shared).items():
            days.setdefault(d, []).append(values)
    if consenting < min_couples:
        return AggregateTrends(
            None,
            f"Fewer than {_count_word(min_couples)} couples have agreed to share their mood and "
            f"trust ({consenting} so far), so no group trend is shown. This keeps "
            "every couple's numbers anonymous.",
            consenting,
        )
    points = [
        AggregatePoint(
            day=d,
            mood=sum(m for m, _ in v) / len(v),
            trust=sum(t for _, t in v) / len(v),
            couples=len(v),
        )
        for d, v in sorted(days.items())
        if len(v) >= min_couples
    ]
    return AggregateTrends(points, summarize_aggregate(points, consenting), consenting)


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def summarize_aggregate(points: list[AggregatePoint], consenting: int) -> str:
    """A plain sentence on the group trend: who is included and how the last weeks moved."""
    from . import stats  # numpy, as above

    head = (
        f"{consenting} couples agreed to share; each day shows the average of the couples who "
        "checked in that day (days with too few couples are left out)."
    )
    if not points:
        return head + " There are no days with enough check-ins yet."
    last = points[-1].day
    recent = [p for p in points if (last - p.day).days < 14]
    earlier = [p for p in points if 14 <= (last - p.day).days < 28]

    def mean(ps: list[AggregatePoint], attr: str) -> float:
        return sum(getattr(p, attr) for p in ps) / len(ps)

    parts = [head]
    if recent and earlier:
        for attr in ("mood", "trust"):
            before, after = mean(earlier, attr), mean(recent, attr)
            if abs(after - before) < stats.STEADY_THRESHOLD:
                parts.append(f"Average {attr} held steady at about {after:.1f}.")
            else:
                verb = "rose" if after > before else "fell"
                parts.append(
                    f"Average {attr} {verb} from {before:.1f} to {after:.1f} over the last "
                    "four weeks."
                )
    else:
        parts.append(
            f"Over the last two weeks average mood was {mean(recent, 'mood'):.1f} and average "
            f"trust {mean(recent, 'trust'):.1f} (1 to 10)."
        )
    return " ".join(parts)


# --- printable worksheets ---------------------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    """One exercise on a worksheet.

    `prompt` is the key the step page saves answers under (None for exercises with nothing
    saved); `items` become tick boxes; `lines` is the blank space on the paper version;
    `columns` make a table with blank rows instead of lines.
    """

    title: str
    question: str
    prompt: str | None = None
    items: tuple[str, ...] = ()
    lines: int = 5
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Worksheet:
    """A step's worksheet: an intro and its exercises."""

    intro: str
    exercises: tuple[Exercise, ...]


#: Step 8 text. The safety check itself never appears on paper: its answers are never stored,
#: and a printed sheet with ticks could be found by the person a partner is afraid of.
NOT_ADVISED = (
    "Couples exercises, including the ones in this workbook, are not advised when there is "
    "abuse in the relationship: physical, sexual or emotional violence, threats, or one "
    "partner controlling the other. Abuse is not a shared communication problem that two "
    "people fix together, and it is not your fault."
)
RESOURCES: tuple[tuple[str, str], ...] = (
    ("In immediate danger", "call 911"),
    (
        "National Domestic Violence Hotline",
        "call 1-800-799-7233 (TTY 1-800-787-3224), or text START to 88788",
    ),
    ("988 Suicide & Crisis Lifeline", "call or text 988"),
)

WORKSHEETS: dict[int, Worksheet] = {
    1: Worksheet(
        "Honest conversation needs a place where both of you feel safe to speak. Agree on a few "
        "ground rules, say what you feel rather than what your partner is, take turns to "
        "speak and listen, and show that you understood.",
        (
            Exercise(
                "Our agreements",
                "Tick the ground rules you both want for hard conversations, and add your own.",
                "agreements",
                items=AGREEMENTS,
                lines=2,
            ),
            Exercise(
                "An “I” statement",
                "I feel … when … and I need … (avoid “you always” and “you never”).",
                "i-statement",
                lines=4,
            ),
            Exercise(
                "Speaker and listener",
                "Take turns of two or three minutes. The speaker talks about their own "
                "experience; the listener does not interrupt, then sums up what they heard. "
                "What did you hear?",
                None,
                lines=4,
            ),
            Exercise(
                "Validation",
                "What did you hear your partner say, and what makes sense about it?",
                "validation",
            ),
        ),
    ),
    2: Worksheet(
        "Healing starts with naming what hurt, without blame: what happened, how it affected "
        "each of you and the two of you together, and what part you played.",
        (
            Exercise(
                "What brings us here",
                "Tick what applies to your relationship now. There is no score.",
                "situations",
                items=SITUATIONS,
                lines=1,
            ),
            Exercise("What happened", "In your own words, what happened?", "what-happened"),
            Exercise("How it affected me", "How has it affected you?", "how-it-affected-me"),
            Exercise(
                "How it affected us",
                "How has it affected the two of you as a couple?",
                "how-it-affected-us",
            ),
            Exercise("Naming my part", "What mistakes of your own can you name?", "my-mistakes"),
            Exercise(
                "Pain I have not shared",
                "Is there pain you have not shared before? You may keep this one to yourself.",
                "unshared-pain",
                lines=4,
            ),
        ),
    ),
    3: Worksheet(
        "Empathy means imagining the other side before defending your own. Healing is not a "
        "straight line: setbacks happen, and patience, with each other and yourself, helps.",
        (
            Exercise(
                "Perspective-taking: feelings",
                "What might your partner be feeling about what happened? Answer separately, "
                "then compare.",
                "perspective-feel",
            ),
            Exercise(
                "Perspective-taking: needs",
                "What might your partner need from you right now?",
                "perspective-need",
            ),
            Exercise(
                "Setbacks log",
                "A setback, what set it off, and how you came back from it.",
                "setback",
                columns=("Date", "What happened", "How we came back"),
                lines=4,
            ),
            Exercise(
                "Patience with myself",
                "What would you tell a friend who was healing at your pace?",
                "patience",
                lines=4,
            ),
        ),
    ),
    4: Worksheet(
        "Trust comes back through small promises kept, over and over. Keep a record of "
        "promises made, kept and broken, so you can both see whether words and actions align.",
        (
            Exercise(
                "Promise ledger",
                "Small, concrete promises; mark each one kept or broken honestly.",
                None,
                columns=("Who", "I promise to…", "Made", "By", "Kept / broken"),
                lines=6,
            ),
            Exercise(
                "Honesty notes",
                "Something small you were honest about this week, even when it was easier not "
                "to be.",
                "honesty",
            ),
            Exercise(
                "Signs of trust",
                "When did your partner's words and actions line up recently?",
                "trust-signs",
            ),
        ),
    ),
    5: Worksheet(
        "A qualified couples therapist gives you both a neutral place to be heard. Common "
        "approaches are Emotionally Focused Therapy (EFT), the Gottman Method, CBT for "
        "couples and trauma-informed counselling; an LMFT is a licensed marriage and family "
        "therapist. Many also see couples online.",
        (
            Exercise(
                "Questions to ask a therapist",
                "Tick the questions you would like to ask, and add your own.",
                "therapist-questions",
                items=THERAPIST_QUESTIONS,
                lines=2,
            ),
            Exercise(
                "Session notes",
                "What stood out for me in our last session?",
                "session-notes",
            ),
            Exercise(
                "Preparing for the next session",
                "What would I like to bring up next time?",
                "session-prep",
            ),
        ),
    ),
    6: Worksheet(
        "Looking after yourself helps you show up for the relationship: a journal, a few "
        "minutes of mindfulness, a hobby, and people you can talk to.",
        (
            Exercise(
                "Journal", "What is on my mind today? (This is yours to keep.)", "journal", lines=8
            ),
            Exercise(
                "Self-care log",
                "Mindfulness, journaling, a hobby, exercise, talking with someone, rest.",
                None,
                columns=("Day", "What I did", "Minutes", "How it felt"),
                lines=7,
            ),
            Exercise(
                "People I can talk to",
                "Who can I turn to when things feel heavy, and how do I reach them?",
                "support-people",
                lines=4,
            ),
        ),
    ),
    7: Worksheet(
        "Closeness grows back through shared goals, time together, small appreciations and "
        "boundaries that help both of you feel respected and safe.",
        (
            Exercise(
                "Shared goals and values",
                "What matters to us both, and what would we like to build together?",
                "shared-goal",
            ),
            Exercise(
                "Time together",
                "What would we like to do together, and when?",
                "quality-time",
                lines=4,
            ),
            Exercise(
                "Appreciations",
                "Something I appreciated about you this week.",
                "appreciation",
                lines=4,
            ),
            Exercise(
                "Healthy boundaries",
                "What do I need so I feel respected and safe with you?",
                "boundary",
            ),
        ),
    ),
    8: Worksheet(
        NOT_ADVISED,
        (
            Exercise(
                "What helps instead",
                "Talk in confidence to a domestic violence advocate, who can help you think "
                "through your options and make a safety plan; look for individual support "
                "from a counsellor experienced with abuse rather than couples therapy; and if "
                "you are in danger right now, call 911. Sometimes separating is the healthiest "
                "step, and an advocate can help you plan it safely.",
                None,
                lines=0,
            ),
            Exercise(
                "A private safety check",
                "The safety check is only on screen, for you alone: its answers are never "
                "saved and are not printed here.",
                None,
                lines=0,
            ),
        ),
    ),
}

_CSS = """\
@page { size: auto; margin: 18mm 16mm 20mm; }
* { box-sizing: border-box; }
html { font-family: Georgia, 'Times New Roman', serif; font-size: 12pt; color: #1a1a1a; }
body { max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }
header { border-bottom: 2px solid #2f5d62; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; color: #2f5d62; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .3rem; break-after: avoid; page-break-after: avoid; }
.sub { margin: 0 0 .6rem; color: #444; }
.intro { font-size: 1.02rem; }
section { break-inside: avoid; page-break-inside: avoid; }
.q { margin: .2rem 0 .5rem; }
.line { border-bottom: 1px solid #8a8a8a; height: 1.9rem; }
ul.ticks { list-style: none; padding-left: 0; margin: .3rem 0; }
ul.ticks li { margin: .25rem 0; padding-left: 1.6rem; text-indent: -1.6rem; }
ul.ticks li::before { content: '\\2610'; display: inline-block; width: 1.6rem; text-indent: 0; }
table.grid { width: 100%; border-collapse: collapse; margin-top: .3rem; }
table.grid th, table.grid td { border: 1px solid #8a8a8a; padding: .3rem .4rem; text-align: left;
  vertical-align: top; }
table.grid td { height: 1.9rem; }
.answers { list-style: none; padding: 0; margin: .3rem 0; }
.answer { border-left: 3px solid #2f5d62; padding: .2rem .6rem; margin: .5rem 0; }
.meta { font-size: .85rem; color: #555; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.empty { color: #555; font-style: italic; }
.resources { border: 2px solid #2f5d62; padding: .6rem .9rem; margin: 1rem 0; }
.resources p { margin: 0 0 .3rem; }
.resources ul { margin: .3rem 0; padding-left: 1.2rem; }
footer { margin-top: 2rem; border-top: 1px solid #bbb; padding-top: .5rem; font-size: .85rem;
  color: #333; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lines(n: int) -> str:
    return "<div class='lines'>" + "<div class='line'></div>" * n + "</div>" if n > 0 else ""


def _grid(columns: tuple[str, ...], rows: list[tuple[str, ...]], blank: int) -> str:
    head = "".join(f"<th scope='col'>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>" for r in rows)
    body += ("<tr>" + "<td></td>" * len(columns) + "</tr>") * blank
    return f"<table class='grid'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def resources_html() -> str:
    """The U.S. crisis resources as plain, printable HTML (fixed project text)."""
    items = "".join(f"<li><strong>{_e(k)}:</strong> {_e(v)}</li>" for k, v in RESOURCES)
    return (
        "<div class='resources'><p><strong>Help in the U.S., free and confidential, day and "
        f"night</strong></p><ul>{items}</ul></div>"
    )


def _answers_html(wb: Workbook, step: int, ex: Exercise, who: str | None) -> str:
    """The workbook's shared answers to one exercise (private ones are never read)."""
    if ex.prompt is None:
        return ""
    names = wb.names()
    entries = [
        r
        for r in wb.reflections(step, ex.prompt, viewer=None, author=who)
        if r.visibility != "private"
    ]
    if not entries:
        return "<p class='empty'>No shared answers yet.</p>" + _lines(min(ex.lines, 3))
    items = "".join(
        "<li class='answer'>"
        f"<div class='meta'>{_e(names[r.author])} · {_e(f'{r.at.astimezone():%d %B %Y}')}</div>"
        f"<div class='text'>{_e(r.text)}</div></li>"
        for r in entries
    )
    return f"<ul class='answers'>{items}</ul>"


def _promise_rows(wb: Workbook, who: str | None) -> list[tuple[str, ...]]:
    names = wb.names()
    return [
        (
            names[p.author],
            p.text,
            f"{p.made:%d %b %Y}",
            f"{p.due:%d %b %Y}" if p.due else "",
            p.status if p.status == "open" else f"{p.status} {p.resolved:%d %b %Y}",
        )
        for p in wb.promises(who)
    ]


def _exercise_html(step: int, ex: Exercise, wb: Workbook | None, who: str | None) -> str:
    parts = [f"<section><h2>{_e(ex.title)}</h2><p class='q'>{_e(ex.question)}</p>"]
    if ex.items:
        parts.append(
            "<ul class='ticks'>" + "".join(f"<li>{_e(i)}</li>" for i in ex.items) + "</ul>"
        )
    if wb is not None and ex.prompt is not None:
        parts.append(_answers_html(wb, step, ex, who))
    elif ex.columns:
        rows = _promise_rows(wb, who) if wb is not None and step == 4 else []
        parts.append(_grid(ex.columns, rows, 2 if rows else ex.lines))
    else:
        parts.append(_lines(ex.lines))
    parts.append("</section>")
    return "".join(parts)


def _check_step(step: object) -> int:
    if isinstance(step, str) and step.strip().isdigit():
        step = int(step.strip())
    if isinstance(step, bool) or not isinstance(step, int) or step not in WORKSHEETS:
        raise ValidationError(
            f"There is no worksheet for step {str(step)[:20]!r}. Choose a step from 1 to "
            f"{max(WORKSHEETS)}."
        )
    return step


def worksheet_html(step: int, wb: Workbook | None = None, who: str | None = None) -> str:
    """A standalone, printable HTML page for a step (1 to 8), with no scripts.

    Without a workbook the page is blank, with lined space to write on. With one, each
    exercise shows that workbook's *shared* answers (only `who`'s, when given); private
    entries are never read. Step 8 never shows any answers: its safety check is not stored.
    Every piece of text is escaped.
    """
    step = _check_step(step)
    if who is not None and who not in PARTNER_IDS:
        raise ValidationError(f"Who is writing must be partner 'a' or 'b', got {who!r}.")
    sheet = WORKSHEETS[step]
    source = wb if step != 8 else None  # nothing from a workbook is ever shown on step 8
    title = f"Step {step}: {STEPS[step]}"
    if wb is not None and step != 8:
        names = wb.names()
        whose = names[who] if who else " & ".join(names[p] for p in PARTNER_IDS)  # type: ignore[index]
        sub = f"Shared answers of {whose}, printed {date.today():%d %B %Y}."
    elif step == 8:
        sub = "Free, confidential help. Nothing from the safety check is ever printed."
    else:
        sub = "Name: ____________________   Date: ______________"
    body = [
        f"<header><h1>{_e(title)}</h1><p class='sub'>{_e(sub)}</p></header>",
        f"<p class='intro'>{_e(sheet.intro)}</p>",
    ]
    if step == 8:
        body.append(resources_html())
    body += [_exercise_html(step, ex, source, who) for ex in sheet.exercises]
    body.append(
        "<footer>Healing Together · If you are afraid of your partner or not safe at home, "
        "couples exercises are not the right tool now. In the U.S.: National Domestic "
        "Violence Hotline 1-800-799-7233 (text START to 88788) · 988 Suicide &amp; Crisis "
        "Lifeline: call or text 988 · emergency 911.</footer>"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)} · Healing Together worksheet</title>"
        f"<style>\n{_CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def worksheet_filename(step: int) -> str:
    """A file name for a step's worksheet, e.g. ``step-3-worksheet.html``."""
    return f"step-{_check_step(step)}-worksheet.html"
