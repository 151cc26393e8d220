"""A made-up couple for demos and tests: 120 days with a rupture and a slow recovery.

Nothing here is real. The arc: a steady start, a rupture around day 30 (trust falls hard for
one partner), a raw few weeks, then a slow, uneven recovery as they work through the steps.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from .domain import CheckIn, PartnerId, PromiseStatus, Visibility
from .steps import Exercise, healing_step
from .store import Workbook, create

DEMO_NAME = "demo"
DEMO_PARTNERS = ("Sam", "Alex")
DEMO_PASSPHRASES = {"a": "sam demo passphrase", "b": "alex demo passphrase"}

_NOTES = {
    "low": [
        "Hard day. We barely spoke.",
        "Still thinking about what happened.",
        "Couldn't sleep well.",
        "Felt shut out tonight.",
    ],
    "mid": [
        "Talked a little after dinner.",
        "A calmer evening.",
        "We walked the dog together.",
        "Some tension, but we named it.",
    ],
    "high": [
        "Laughed together for the first time in a while.",
        "Felt heard today.",
        "Good talk about the weekend plans.",
        "Cooked together, it felt easy.",
    ],
}


#: What the demo couple wrote: (partner, step, prompt, answer, day). An answer is a text, or for
#: a checklist the indexes of the ticked items, so that it always names the page's own items.
DEMO_ANSWERS: tuple[tuple[PartnerId, int, str, str | tuple[int, ...], int], ...] = (
    (
        "a",
        1,
        "i-statement",
        "I feel hurt when plans change without a word, because I need to feel I matter.",
        34,
    ),
    (
        "b",
        1,
        "i-statement",
        "I feel anxious when we argue late at night, because I need rest to listen well.",
        35,
    ),
    ("a", 1, "agreements", (0, 2), 36),
    ("a", 2, "situations", (2, 0), 38),
    (
        "b",
        2,
        "what-happened",
        "I kept something important from Sam for months. It broke something between us.",
        39,
    ),
    ("a", 3, "perspective-feel", "Alex might feel ashamed and afraid I will leave.", 45),
    ("b", 3, "perspective-feel", "Sam probably feels foolish for having trusted me.", 46),
    ("a", 3, "setback", "Old argument came back at the weekend.", 58),
    ("a", 6, "journal", "Private: I am not sure I can forgive yet, and that is allowed.", 50),
    ("b", 6, "journal", "Private: I am scared this will not be enough.", 52),
    ("b", 7, "appreciation", "Thank you for making coffee every morning.", 100),
    ("a", 7, "shared-goal", "A weekend away in spring, just us.", 104),
)

#: The visibility an answer is saved with, from its exercise's privacy.
_SAVED_AS: dict[str, Visibility] = {
    "shared": "shared",
    "shared-only": "shared",
    "private": "private",
    "paired": "paired",
}


def demo_exercise(step: int, prompt: str) -> Exercise:
    """The exercise a page shows for `prompt` on `step`; KeyError when no page saves there."""
    definition = healing_step(step)
    ex = definition.exercise(prompt)
    if not definition.stores or ex.prompt != prompt or not ex.on_page:
        raise KeyError(f"no page of step {step} saves answers under {prompt!r}")
    return ex


def answer_as(
    wb: Workbook,
    who: PartnerId,
    step: int,
    prompt: str,
    answer: str | tuple[int, ...],
    *,
    at: datetime,
) -> None:
    """Save `answer` the way the page of `step` saves it: under its prompt, with its privacy."""
    ex = demo_exercise(step, prompt)
    if isinstance(answer, tuple):
        if not ex.items:
            raise KeyError(f"{prompt!r} on step {step} is not a checklist")
        answer = "\n".join(ex.items[i] for i in answer)
    wb.add_reflection(who, step, prompt, answer, visibility=_SAVED_AS[ex.privacy], at=at)


def _curve(day: int, *, drop: float, recover: float) -> float:
    """Baseline level on a given day: steady, a rupture at day 30, then slow recovery."""
    if day < 30:
        return 7.0
    since = day - 30
    return 7.0 - drop * math.exp(-since / recover) - 0.6 * math.exp(-since / 200)


def demo_checkins(start: date, days: int = 120, seed: int = 7) -> list[CheckIn]:
    """Check-ins for both partners with a believable arc; some days missed, some doubled."""
    rng = random.Random(seed)
    out: list[CheckIn] = []
    for d in range(days):
        day = start + timedelta(days=d)
        shapes: tuple[tuple[PartnerId, float, float, float], ...] = (
            ("a", 4.5, 45.0, 0.12),
            ("b", 3.0, 35.0, 0.2),
        )
        for who, drop, recover, skip in shapes:
            if rng.random() < skip:
                continue
            for _ in range(2 if rng.random() < 0.1 else 1):
                base = _curve(d, drop=drop, recover=recover)
                mood = round(min(10, max(1, base + rng.gauss(0, 1.0))))
                trust = round(
                    min(10, max(1, base - (0.8 if who == "a" else 0.3) + rng.gauss(0, 0.8)))
                )
                level = "low" if mood <= 4 else "high" if mood >= 7 else "mid"
                note = rng.choice(_NOTES[level]) if rng.random() < 0.3 else ""
                at = datetime.combine(
                    day, time(hour=rng.choice([8, 12, 19, 21]), minute=rng.randrange(60))
                )
                if at > datetime.now():  # today's check-ins lie in the past, not the future
                    at = datetime.now() - timedelta(minutes=rng.randrange(1, 120))
                out.append(
                    CheckIn(author=who, mood=mood, trust=trust, note=note, at=at.astimezone())
                )
    return out


def write_demo(
    name: str = DEMO_NAME, *, data_dir: Path | None = None, today: date | None = None
) -> Workbook:
    """Create the demo workbook `name` (120 days ending today) and return it open."""
    today = today or date.today()
    start = today - timedelta(days=119)
    wb = create(name, *DEMO_PARTNERS, data_dir=data_dir)
    wb.add_checkins(demo_checkins(start))
    for who, phrase in DEMO_PASSPHRASES.items():
        wb.set_passphrase(who, phrase)

    def at(d: int) -> datetime:
        return datetime.combine(start + timedelta(days=d), time(20, 0)).astimezone()

    for who, step, prompt, answer, on_day in DEMO_ANSWERS:
        answer_as(wb, who, step, prompt, answer, at=at(on_day))

    promises: list[tuple[PartnerId, str, int, PromiseStatus | None, int | None]] = [
        ("b", "Tell Sam when I will be home late", 40, "kept", 47),
        ("b", "Share my phone calendar", 42, "kept", 50),
        ("a", "Say when I need a break instead of going quiet", 44, "broken", 60),
        ("b", "No more secrets about money", 55, "kept", 80),
        ("a", "Plan one evening out each week", 70, "kept", 90),
        ("b", "Call if I am more than 30 minutes late", 85, None, None),
    ]
    for who, text, made, status, resolved in promises:
        p = wb.add_promise(who, text, made=start + timedelta(days=made))
        if status and resolved is not None and p.id is not None:
            wb.resolve_promise(p.id, status, on=start + timedelta(days=resolved))

    weekly = [(3, 2, 2, 2), (1, 1, 1, 1), (1, 2, 1, 2), (2, 2, 2, 2), (3, 3, 3, 3), (3, 4, 3, 3)]
    for week in range(17):
        items_a = (
            weekly[min(len(weekly) - 1, max(0, (week - 4) // 2 + 1))] if week >= 4 else (4, 4, 4, 4)
        )
        items_b = tuple(min(top, v + 1) for v, top in zip(items_a, (6, 5, 5, 5), strict=True))
        day = start + timedelta(days=week * 7)
        wb.add_csi4("a", items_a, day=day)
        wb.add_csi4("b", items_b, day=day)  # type: ignore[arg-type]

    for d in range(40, 120, 3):
        wb.add_selfcare("a", "mindfulness", 10 + (d % 4) * 5, day=start + timedelta(days=d))
    for d in range(45, 120, 5):
        wb.add_selfcare("b", "exercise", 30, day=start + timedelta(days=d))

    for who in ("a", "b"):
        for step, on_day, how in (
            (1, 37, "Slow, but we kept to the agreements."),
            (2, 44, "Painful and needed."),
        ):
            wb.mark_step(who, step, how_it_went=how, at=at(on_day + (who == "b")))
    wb.mark_step("a", 3, how_it_went="Guessing Alex's side helped.", at=at(62))
    wb.lock("a")
    wb.lock("b")
    return wb
