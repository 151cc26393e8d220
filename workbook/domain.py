"""The domain of a couple's workbook: frozen dataclasses, validated on construction.

Every class here is plain data. Nothing in this module touches the disk, the network or
a widget; the store (`workbook.store`) persists these objects and the widgets build them.
Validation messages are written for the person using the page, not for a programmer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from .i18n import N_
from .steps import HEALING_STEPS

# MAX_TEXT, name_key, partner_name and same_name are re-exported: callers find them with the
# partners' records.
from .validation import (
    MAX_NAME,
    NAME_CHARACTERS,
    NAME_RE,
    PARTNER_NAME,
    ValidationError,
    _aware,
    _date,
    _text,
    _whole_number,
    now,
)
from .validation import MAX_TEXT as MAX_TEXT
from .validation import name_key as name_key
from .validation import partner_name as partner_name
from .validation import same_name as same_name

PartnerId = Literal["a", "b"]
PARTNER_IDS: tuple[PartnerId, PartnerId] = ("a", "b")

Visibility = Literal["shared", "private", "paired"]
VISIBILITIES: tuple[str, ...] = ("shared", "private", "paired")

#: What the messages call the fields of more than one record.
NOTE, YOUR_ANSWER, THE_TIME = N_("The note"), N_("Your answer"), N_("The time")
HOW_IT_WENT, THE_ENTRY = N_("How it went"), N_("The entry")

PromiseStatus = Literal["open", "kept", "broken"]
PROMISE_STATUSES: tuple[str, ...] = ("open", "kept", "broken")


#: Page titles by step number: 0 is the start page, 1 to 8 the healing steps (`workbook.steps`).
STEPS: dict[int, str] = {0: "Start here", **{n: s.title for n, s in HEALING_STEPS.items()}}
#: Steps whose progress is never recorded: nothing done on step 8 may leave a trace the other
#: partner, a facilitator, an export or a chart could show (`workbook.steps.Step.stores`).
UNRECORDED_STEPS: frozenset[int] = frozenset(n for n, s in HEALING_STEPS.items() if not s.stores)
#: The steps whose progress can be marked, in order (1 to 7).
RECORDED_STEPS: tuple[int, ...] = tuple(n for n in sorted(HEALING_STEPS) if HEALING_STEPS[n].stores)


def check_partner(value: object) -> PartnerId:
    """A partner id, "a" or "b", or ValidationError with a message a person understands."""
    if value not in PARTNER_IDS:
        raise ValidationError(
            N_("Who is writing must be partner 'a' or 'b', got %(got)s."), got=repr(value)
        )
    return value


def _step(value: object) -> int:
    return _whole_number(value, N_("Step"), 0, max(STEPS))


def _visibility(value: object) -> Visibility:
    if value not in VISIBILITIES:
        raise ValidationError(
            N_("Visibility must be one of shared, private, paired, got %(got)s."), got=repr(value)
        )
    return value  # type: ignore[return-value]


@dataclass(frozen=True)
class Partner:
    """One of the two people in the couple. `id` is 'a' or 'b'; `name` is how they are shown."""

    id: PartnerId
    name: str

    def __post_init__(self) -> None:
        check_partner(self.id)
        name = _text(self.name, PARTNER_NAME, required=True, limit=MAX_NAME)
        if not NAME_RE.match(name):
            raise ValidationError(NAME_CHARACTERS)
        object.__setattr__(self, "name", name)


@dataclass(frozen=True)
class CheckIn:
    """A mood and trust check-in, each 1 to 10, with an optional note."""

    author: PartnerId
    mood: int
    trust: int
    note: str = ""
    at: datetime = field(default_factory=now)
    visibility: Visibility = "shared"
    id: int | None = None
    #: Counts saved changes; a change made from an older view is refused (two tabs).
    version: int = 1

    def __post_init__(self) -> None:
        check_partner(self.author)
        object.__setattr__(self, "mood", _whole_number(self.mood, N_("Mood"), 1, 10))
        object.__setattr__(self, "trust", _whole_number(self.trust, N_("Trust"), 1, 10))
        object.__setattr__(self, "note", _text(self.note, NOTE, required=False))
        object.__setattr__(self, "at", _aware(self.at, N_("The check-in time")))
        if _visibility(self.visibility) == "paired":
            raise ValidationError(N_("A check-in is either shared or private."))

    @property
    def day(self) -> date:
        """The local calendar day this check-in belongs to."""
        return self.at.astimezone().date()


@dataclass(frozen=True)
class Reflection:
    """A written answer to a prompt of one step.

    `prompt` names the exercise or question (for example ``"i-statement"``).
    `visibility` is "shared" (both partners see it), "private" (only the author, encrypted at
    rest) or "paired" (hidden from the partner until both have answered the same prompt).
    """

    author: PartnerId
    step: int
    prompt: str
    text: str
    visibility: Visibility = "shared"
    at: datetime = field(default_factory=now)
    id: int | None = None
    #: Counts saved changes; a change made from an older view is refused (two tabs).
    version: int = 1

    def __post_init__(self) -> None:
        check_partner(self.author)
        _step(self.step)
        prompt = _text(self.prompt, N_("The prompt"), required=True, limit=200)
        object.__setattr__(self, "prompt", prompt)
        object.__setattr__(self, "text", _text(self.text, YOUR_ANSWER, required=True))
        _visibility(self.visibility)
        object.__setattr__(self, "at", _aware(self.at, THE_TIME))


@dataclass(frozen=True)
class Promise:
    """A promise one partner made to the other, and whether it was kept."""

    author: PartnerId
    text: str
    made: date
    due: date | None = None
    status: PromiseStatus = "open"
    resolved: date | None = None
    id: int | None = None
    #: Counts saved changes; a change made from an older view is refused (two tabs).
    version: int = 1

    def __post_init__(self) -> None:
        check_partner(self.author)
        object.__setattr__(
            self, "text", _text(self.text, N_("The promise"), required=True, limit=500)
        )
        _date(self.made, N_("The date the promise was made"))
        if self.due is not None:
            _date(self.due, N_("The due date"))
            if self.due < self.made:
                raise ValidationError(
                    N_("The due date cannot be before the day the promise was made.")
                )
        if self.status not in PROMISE_STATUSES:
            raise ValidationError(
                N_("A promise is open, kept or broken, got %(got)s."), got=repr(self.status)
            )
        if self.status == "open" and self.resolved is not None:
            raise ValidationError(N_("An open promise has no date it was kept or broken."))
        if self.status != "open":
            kept = self.status == "kept"
            if self.resolved is None:
                raise ValidationError(
                    N_("Say on which day the promise was kept.")
                    if kept
                    else N_("Say on which day the promise was broken.")
                )
            if self.resolved < self.made:
                raise ValidationError(
                    N_("A promise cannot be kept before the day it was made.")
                    if kept
                    else N_("A promise cannot be broken before the day it was made.")
                )


@dataclass(frozen=True)
class StepProgress:
    """One partner's progress on one step: done or not, and a line on how it went."""

    author: PartnerId
    step: int
    done: bool
    how_it_went: str = ""
    at: datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        check_partner(self.author)
        if _step(self.step) in UNRECORDED_STEPS:
            raise ValidationError(
                N_(
                    "Step %(step)d is never marked done: nothing done on it is saved, so it "
                    "leaves no trace your partner could see. Nothing was saved."
                ),
                step=self.step,
            )
        object.__setattr__(
            self, "how_it_went", _text(self.how_it_went, HOW_IT_WENT, required=False, limit=500)
        )
        object.__setattr__(self, "at", _aware(self.at, THE_TIME))


#: The answers to CSI-4 items 3 and 4.
_HOW_MUCH = (
    N_("Not at all"),
    N_("A little"),
    N_("Somewhat"),
    N_("Mostly"),
    N_("Almost completely"),
    N_("Completely"),
)
#: CSI-4 (Funk & Rogge, 2007, Journal of Family Psychology 21(4), 572-583). Item 1 is scored
#: 0 to 6, items 2 to 4 are scored 0 to 5, so the total runs from 0 to 21; a total below 13.5
#: suggests notable relationship dissatisfaction.
CSI4_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        N_("Please indicate the degree of happiness, all things considered, of your relationship."),
        (
            N_("Extremely unhappy"),
            N_("Fairly unhappy"),
            N_("A little unhappy"),
            N_("Happy"),
            N_("Very happy"),
            N_("Extremely happy"),
            N_("Perfect"),
        ),
    ),
    (
        N_("I have a warm and comfortable relationship with my partner."),
        (
            N_("Not at all true"),
            N_("A little true"),
            N_("Somewhat true"),
            N_("Mostly true"),
            N_("Almost completely true"),
            N_("Completely true"),
        ),
    ),
    (N_("How rewarding is your relationship with your partner?"), _HOW_MUCH),
    (N_("In general, how satisfied are you with your relationship?"), _HOW_MUCH),
)
CSI4_MAX = (6, 5, 5, 5)
#: The four answers, as the messages about them name them.
CSI4_ANSWERS = (N_("Answer 1"), N_("Answer 2"), N_("Answer 3"), N_("Answer 4"))
CSI4_DISTRESS_CUTOFF = 13.5
#: What the cut-off line means, said wherever a total is shown (start page, report, charts).
CSI4_LINE_MEANING = N_(
    "The 13.5 line comes from the questionnaire's authors: below it, the people they studied "
    "described their relationship as notably hard, a sign to talk things through rather than "
    "a verdict on either of you."
)


@dataclass(frozen=True)
class CSI4Answer:
    """One partner's answers to the four CSI-4 items on one day."""

    author: PartnerId
    items: tuple[int, int, int, int]
    day: date
    id: int | None = None

    def __post_init__(self) -> None:
        check_partner(self.author)
        items = tuple(self.items)
        if len(items) != 4:
            raise ValidationError(
                N_("The CSI-4 has four questions, got %(count)d answers."), count=len(items)
            )
        checked = tuple(
            _whole_number(v, what, 0, top)
            for v, top, what in zip(items, CSI4_MAX, CSI4_ANSWERS, strict=True)
        )
        object.__setattr__(self, "items", checked)
        _date(self.day, N_("The day"))

    @property
    def total(self) -> int:
        """The CSI-4 total, 0 to 21."""
        return sum(self.items)

    @property
    def distressed(self) -> bool:
        """True when the total falls below the published cutoff of 13.5."""
        return self.total < CSI4_DISTRESS_CUTOFF


SELF_CARE_KINDS: tuple[str, ...] = (
    "mindfulness",
    "journaling",
    "hobby",
    "exercise",
    "talking",
    "rest",
)


@dataclass(frozen=True)
class SelfCare:
    """Time one partner spent caring for themselves on one day."""

    author: PartnerId
    day: date
    kind: str
    minutes: int
    note: str = ""
    id: int | None = None
    #: Counts saved changes; a change made from an older view is refused (two tabs).
    version: int = 1

    def __post_init__(self) -> None:
        check_partner(self.author)
        if self.kind not in SELF_CARE_KINDS:
            raise ValidationError(
                N_(
                    "Self-care is one of mindfulness, journaling, hobby, exercise, talking, "
                    "rest, got %(got)s."
                ),
                got=repr(self.kind),
            )
        object.__setattr__(self, "minutes", _whole_number(self.minutes, N_("Minutes"), 0, 1440))
        object.__setattr__(self, "note", _text(self.note, NOTE, required=False, limit=2000))
        _date(self.day, N_("The day"))


def reveal_when_both_answered(
    answers: list[Reflection], prompt: str
) -> dict[PartnerId, Reflection] | None:
    """Both partners' latest answers to a paired prompt, or None while either is missing."""
    latest: dict[PartnerId, Reflection] = {}
    for r in sorted(answers, key=lambda r: r.at):
        if r.prompt == prompt:
            latest[r.author] = r
    if set(latest) != set(PARTNER_IDS):
        return None
    return latest


#: The entries a partner can answer: reflections (shared, or paired once revealed) and promises.
REPLY_TABLES: tuple[str, ...] = ("reflections", "promises")
#: The longest answer to a partner's entry: a few words, not a new entry.
MAX_REPLY = 500


@dataclass(frozen=True)
class Reply:
    """A partner's few words (or "I hear you") under the other partner's shared entry."""

    author: PartnerId
    entry_table: str
    entry_id: int
    text: str
    at: datetime = field(default_factory=now)
    id: int | None = None
    #: Counts saved changes; a change made from an older view is refused (two tabs).
    version: int = 1
    #: The answered entry's version when this answer was written: an entry corrected since
    #: shows that the answer was to its earlier words.
    entry_version: int = 1

    def __post_init__(self) -> None:
        check_partner(self.author)
        if self.entry_table not in REPLY_TABLES:
            raise ValidationError(N_("Only reflections and promises can be answered."))
        object.__setattr__(self, "entry_id", _whole_number(self.entry_id, THE_ENTRY, 1, 2**62))
        text = _text(self.text, YOUR_ANSWER, required=True, limit=MAX_REPLY)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "at", _aware(self.at, THE_TIME))
