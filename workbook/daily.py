"""The question of the day: short questions written for this workbook, one a day per couple.

Each question has a stable key (stored with the answers, so an answer always finds its
question). A workbook walks the questions in its own shuffled order (seeded by the workbook's
creation time), one a day, so a question comes back only after every other one has been asked:
with `len(QUESTIONS)` days between repeats, never within two months. Answers are step 0's
paired reflections under the prompt ``daily:<day>:<key>``, revealed when both have answered,
exactly like step 3's perspective-taking.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date

from .i18n import N_

#: The step that daily answers are saved under (the start page's).
DAILY_STEP = 0
_PREFIX = "daily:"

#: (key, question). Warm, non-blaming, about one's own side, drawn from the steps' themes:
#: safe conversation, naming pain, empathy and patience, trust, support, self-care, connection.
#: The question is English, marked for the catalogue; a page shows ``gettext(question.text)``.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("listened", N_("When did you last feel really listened to, by anyone?")),
    ("calm-place", N_("Where do you feel most calm, and what is it like there?")),
    ("small-kindness", N_("What small kindness from me would mean a lot this week?")),
    ("good-memory", N_("What is a memory of us that still makes you smile?")),
    ("today-feeling", N_("In one or two words, how are you arriving today?")),
    ("need-today", N_("What do you need a little more of today?")),
    ("proud-of", N_("What is something you did recently that you feel quietly proud of?")),
    ("rest", N_("What helps you rest when your mind will not settle?")),
    ("hard-talk", N_("What makes a hard conversation feel safer for you?")),
    ("heard-sign", N_("How can I tell that you feel heard?")),
    ("pause-word", N_("What word or sign could either of us use to ask for a pause?")),
    ("first-met", N_("What did you notice first about me, back at the beginning?")),
    ("laugh", N_("What made you laugh this week?")),
    ("comfort-food", N_("What food or drink feels like comfort to you?")),
    ("friend-advice", N_("What would you tell a friend who was healing at your pace?")),
    ("patience", N_("Where could you be a little more patient with yourself this week?")),
    ("trust-small", N_("What is one small thing that helps you trust someone?")),
    ("promise-small", N_("What is a small promise you could keep this week?")),
    ("kept-word", N_("When did someone keep their word to you in a way that mattered?")),
    ("honest-moment", N_("What is something you were honest about lately, even when it was hard?")),
    ("feel-close", N_("When do you feel closest to me?")),
    ("quality-time", N_("What would an easy hour together look like for you?")),
    ("shared-goal", N_("What is something you would like us to build or try together?")),
    ("value", N_("What value matters most to you in how we treat each other?")),
    ("boundary", N_("What is one boundary that helps you feel respected?")),
    ("appreciate", N_("What is something about me you appreciate but rarely say?")),
    ("thank-you", N_("What did I do lately that you would like to thank me for, however small?")),
    ("support-person", N_("Who, besides me, do you find it easy to talk to?")),
    ("help-ask", N_("What makes it easier for you to ask for help?")),
    ("stress-sign", N_("What is an early sign that you are getting stressed?")),
    ("care-stress", N_("When you are stressed, what helps more: space, or company?")),
    ("self-care", N_("What did you do for yourself this week?")),
    ("body", N_("Where in your body do you notice how you feel today?")),
    ("breath", N_("Take three slow breaths. What do you notice afterwards?")),
    ("song", N_("What song would you choose for this week, and why?")),
    ("place-together", N_("What is a place you would like us to visit together one day?")),
    ("routine", N_("Which small daily routine of ours do you like most?")),
    ("morning", N_("What makes a morning start well for you?")),
    ("evening", N_("What helps you end a day gently?")),
    ("growing", N_("In what way do you feel you are growing lately?")),
    ("learned", N_("What have you learned about yourself in the last month?")),
    ("setback-back", N_("After a setback, what helps you find your way back?")),
    ("hope", N_("What is one hope you have for us this month?")),
    ("looking-forward", N_("What are you looking forward to this week?")),
    ("childhood", N_("What did love look like in the home you grew up in?")),
    ("comfort-words", N_("What words comfort you when you are upset?")),
    ("feel-safe", N_("What helps you feel safe to be yourself with me?")),
    ("repair", N_("What helps you feel that things are mended after a disagreement?")),
    ("apology", N_("What makes an apology feel real to you?")),
    ("forgive-self", N_("Is there something you are ready to forgive yourself for?")),
    (
        "changed-mind",
        N_("When did you last change your mind about something, and how did it feel?"),
    ),
    ("curious", N_("What is something about me you are curious about?")),
    ("dream", N_("What is a dream of yours that you have not talked about in a while?")),
    ("strength", N_("What is a strength of ours as a couple?")),
    ("team", N_("When did we last feel like a team?")),
    ("weekend", N_("What would make this weekend feel restful for you?")),
    ("touch", N_("What kind of closeness feels good to you right now?")),
    ("space", N_("How much time alone do you need to feel like yourself?")),
    ("celebrate", N_("What is something small we could celebrate this week?")),
    ("gentle", N_("Where could we both be a little gentler with each other?")),
    ("understood", N_("What is something you wish I understood better about your day?")),
    ("energy", N_("What gives you energy, and what drains it?")),
    ("nature", N_("What is your favourite time of day to be outside?")),
    ("kind-self", N_("What is a kind thing you can say to yourself today?")),
    ("grateful", N_("What are you grateful for today?")),
    ("support-me", N_("What is one way I could support you this week?")),
    ("notice", N_("What did you notice today that you would like to share?")),
    ("tradition", N_("Is there a tradition you would like us to start?")),
)
_BY_KEY = dict(QUESTIONS)
assert len(_BY_KEY) == len(QUESTIONS), "question keys are unique"


@dataclass(frozen=True)
class DailyQuestion:
    """The question asked on one day, and the prompt its answers are saved under."""

    day: date
    key: str
    #: The question in English (the catalogue's entry); shown as ``gettext(text)``.
    text: str

    @property
    def prompt(self) -> str:
        """The paired prompt of this day's answers (step `DAILY_STEP`)."""
        return f"{_PREFIX}{self.day.isoformat()}:{self.key}"


def order_for(seed: str) -> list[str]:
    """A workbook's own order of the questions' keys (the same every time for one seed)."""
    keys = [k for k, _ in QUESTIONS]
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(keys)
    return keys


def question_for(seed: str, day: date) -> DailyQuestion:
    """The question of `day` for the workbook whose seed is `seed`.

    Day by day the workbook walks its shuffled order, so any two days fewer than
    `len(QUESTIONS)` days apart have different questions.
    """
    keys = order_for(seed)
    key = keys[day.toordinal() % len(keys)]
    return DailyQuestion(day, key, _BY_KEY[key])


def from_prompt(prompt: str) -> DailyQuestion | None:
    """The question a saved daily answer's prompt names, or None if it is not one."""
    if not prompt.startswith(_PREFIX):
        return None
    try:
        day_text, key = prompt[len(_PREFIX) :].split(":", 1)
        day = date.fromisoformat(day_text)
    except ValueError:
        return None
    text = _BY_KEY.get(key)
    return None if text is None else DailyQuestion(day, key, text)
