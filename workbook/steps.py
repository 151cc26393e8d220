"""Each healing step defined once, as plain data: its page and its worksheet are built from it."""

from __future__ import annotations

import functools

from .content import AGREEMENTS, SITUATIONS, THERAPIST_QUESTIONS
from .i18n import translator
from .resources import HELP_INSTEAD, NOT_ADVISED, NOT_ADVISED_WHY

# The shape of a step is declared in workbook/step_model.py; re-exported for the pages.
from .step_model import PARTNER_ON_PAPER as PARTNER_ON_PAPER
from .step_model import Exercise as Exercise
from .step_model import Privacy as Privacy
from .step_model import Step as Step

CONVERSATION = Step(
    1,
    "A safe space for honest conversation",
    "01_safe_space.ipynb",
    "Honest conversation needs a place where both of you feel safe to speak. Agree on a few "
    "ground rules, say what you feel rather than what your partner is, take turns to "
    "speak and listen, and show that you understood.",
    (
        Exercise(
            "Our agreements",
            "Tick the ground rules you both want for hard conversations.",
            "agreements",
            kind="agreements",
            items=AGREEMENTS,
            paper_question="Tick the ground rules you both want for hard conversations, and "
            "add your own.",
            lines=2,
        ),
        Exercise(
            "“I” statement builder",
            "Say what you feel and what you need, not what your partner is. "
            "Fill in the three parts; the sentence builds itself.",
            "i-statement",
            kind="i-statement",
            paper_title="An “I” statement",
            paper_question="I feel … when … and I need … (avoid “you always” and “you never”).",
            lines=4,
        ),
        Exercise(
            "Speaker and listener",
            "The speaker talks about their own experience. The listener does not "
            "interrupt, then sums up what they heard before the roles swap.",
            kind="speaker-listener",
            paper_question="Take turns of two or three minutes. The speaker talks about their "
            "own experience; the listener does not interrupt, then sums up what they heard. "
            "What did you hear?",
            lines=4,
        ),
        Exercise(
            "Validation",
            "What did you hear {partner} say, and what makes sense about it?",
            "validation",
            privacy="shared-only",
            placeholder="It makes sense that you felt … because …",
        ),
    ),
)

PAIN = Step(
    2,
    "Acknowledge the pain",
    "02_acknowledge_pain.ipynb",
    "Healing starts with naming what hurt, without blame: what happened, how it affected "
    "each of you and the two of you together, and what part you played.",
    (
        Exercise(
            "What brings us here",
            "Tick what applies to your relationship now. There is no score.",
            "situations",
            kind="situations",
            items=SITUATIONS,
            lines=1,
        ),
        Exercise(
            "What happened",
            "In your own words, what happened?",
            "what-happened",
            placeholder="Describe it as you lived it, without judging either of you.",
        ),
        Exercise(
            "How it affected me",
            "How has it affected you?",
            "how-it-affected-me",
            placeholder="I have felt … I have noticed that I …",
        ),
        Exercise(
            "How it affected us",
            "How has it affected the two of you as a couple?",
            "how-it-affected-us",
        ),
        Exercise(
            "Naming my part",
            "What mistakes of your own can you name?",
            "my-mistakes",
            placeholder="I see now that I …",
        ),
        Exercise(
            "Pain I have not shared",
            "Is there pain you have not shared before? You can keep it private for now.",
            "unshared-pain",
            privacy="private",
            paper_question="Is there pain you have not shared before? You may keep this one "
            "to yourself.",
            lines=4,
        ),
    ),
)

EMPATHY = Step(
    3,
    "Empathy and patience",
    "03_empathy_patience.ipynb",
    "Empathy means imagining the other side before defending your own. Healing is not a "
    "straight line: setbacks happen, and patience, with each other and yourself, helps.",
    (
        Exercise("Answers for two", "", kind="reveal-guard", printed=False),
        Exercise(
            "Perspective-taking: feelings",
            "What might {partner} be feeling about what happened?",
            "perspective-feel",
            kind="perspective",
            privacy="paired",
            placeholder="Put yourself in their shoes for a moment.",
            paper_question="What might {partner} be feeling about what happened? Answer "
            "separately, then compare.",
        ),
        Exercise(
            "Perspective-taking: needs",
            "What might {partner} need from you right now?",
            "perspective-need",
            kind="perspective",
            privacy="paired",
            placeholder="Put yourself in their shoes for a moment.",
        ),
        Exercise(
            "Setbacks log",
            "A setback, what set it off, and how you came back from it.",
            "setback",
            placeholder="Old argument resurfaced on Sunday; we took a pause and talked on Monday.",
            empty="No setbacks logged. Writing one down when it happens helps you see patterns.",
            columns=("Date", "What happened", "How we came back"),
            lines=4,
        ),
        Exercise(
            "Patience with myself",
            "What would you tell a friend who was healing at your pace?",
            "patience",
            privacy="private",
            lines=4,
        ),
    ),
)

TRUST = Step(
    4,
    "Rebuild trust gradually",
    "04_rebuild_trust.ipynb",
    "Trust comes back through small promises kept, over and over. Keep a record of "
    "promises made, kept and broken, so you can both see whether words and actions align.",
    (
        Exercise(
            "Promise ledger",
            "Small, concrete promises rebuild trust faster than big ones. Mark each "
            "one kept or broken honestly; the record is for both of you.",
            kind="promise-ledger",
            paper_question="Small, concrete promises; mark each one kept or broken honestly.",
            columns=("Who", "I promise to…", "Made", "By", "Kept / broken"),
            lines=6,
        ),
        Exercise(
            "Honesty notes",
            "Something small you were honest about this week, even when it was easier not to be.",
            "honesty",
            privacy="shared-only",
        ),
        Exercise(
            "Signs of trust",
            "When did {partner}'s words and actions line up recently?",
            "trust-signs",
            privacy="shared-only",
        ),
    ),
)

SUPPORT = Step(
    5,
    "Professional support",
    "05_professional_support.ipynb",
    "A qualified couples therapist gives you both a neutral place to be heard. Common "
    "approaches are Emotionally Focused Therapy (EFT), the Gottman Method, CBT for "
    "couples and trauma-informed counselling; an LMFT is a licensed marriage and family "
    "therapist. Many also see couples online.",
    (
        Exercise(
            "Kinds of couples therapy",
            "A qualified therapist gives you both a neutral place to be heard, and can teach "
            "skills for talking and listening. These are the approaches you are most likely to "
            "meet. Open one to read a short summary.",
            kind="therapy-approaches",
            printed=False,
        ),
        Exercise(
            "Online sessions",
            "Therapy does not have to happen in an office. Many licensed therapists also see "
            "couples by video, which can help when distance, work hours or childcare get in the "
            "way. If you choose online sessions, check that the therapist is licensed in the "
            "state where you live.",
            kind="note",
            printed=False,
        ),
        Exercise(
            "Questions to ask a therapist",
            "Tick the questions you would like to ask. Save them to take along to a first "
            "call or session.",
            "therapist-questions",
            kind="therapist-questions",
            items=THERAPIST_QUESTIONS,
            placeholder="Anything else you want to know before you choose",
            empty="No question list saved yet.",
            rows=2,
            paper_question="Tick the questions you would like to ask, and add your own.",
            lines=2,
        ),
        Exercise(
            "Session notes",
            "What stood out for me in our last session?",
            "session-notes",
            placeholder="A feeling, an insight, something the therapist suggested",
            empty="No session notes yet.",
        ),
        Exercise(
            "Preparing for the next session",
            "What would I like to bring up next time?",
            "session-prep",
            placeholder="Something that happened, a question, a hope",
            empty="Nothing noted for the next session yet.",
        ),
    ),
)

SELF_CARE = Step(
    6,
    "Self-care",
    "06_self_care.ipynb",
    "Looking after yourself helps you show up for the relationship: a journal, a few "
    "minutes of mindfulness, a hobby, and people you can talk to.",
    (
        Exercise("Your private entries", "", kind="passphrase", printed=False),
        Exercise(
            "Journal",
            "What is on my mind today?",
            "journal",
            privacy="private",
            placeholder="Write freely; private entries are for you alone",
            empty="No journal entries yet (private ones show here once unlocked).",
            rows=6,
            paper_question="What is on my mind today? (This is yours to keep.)",
            lines=8,
        ),
        Exercise(
            "Self-care log",
            "Looking after yourself helps you show up for the relationship. Log a few "
            "minutes of something that did you good today.",
            kind="self-care-log",
            paper_question="Mindfulness, journaling, a hobby, exercise, talking with someone, "
            "rest.",
            columns=("Day", "What I did", "Minutes", "How it felt"),
            lines=7,
        ),
        Exercise(
            "People I can talk to",
            "Who can I turn to when things feel heavy, and how do I reach them?",
            "support-people",
            privacy="private",
            placeholder="A friend, a family member, a therapist of my own",
            empty="No one listed yet.",
            rows=3,
            lines=4,
        ),
    ),
)

CONNECTION = Step(
    7,
    "Rebuilding intimacy and connection",
    "07_intimacy_connection.ipynb",
    "Closeness grows back through shared goals, time together, small appreciations and "
    "boundaries that help both of you feel respected and safe.",
    (
        Exercise(
            "Shared goals and values",
            "What matters to us both, and what would we like to build together?",
            "shared-goal",
            placeholder="A value we share, a goal for this year, a hope for our home",
            empty="No shared goals written yet.",
        ),
        Exercise(
            "Time together",
            "What would we like to do together?",
            "quality-time",
            kind="quality-time",
            privacy="shared-only",
            placeholder="A walk, cooking a meal, an evening without phones",
            empty="No plans yet. Small ones count.",
            rows=2,
            paper_question="What would we like to do together, and when?",
            lines=4,
        ),
        Exercise(
            "Appreciations",
            "Something I appreciated about you this week",
            "appreciation",
            privacy="shared-only",
            placeholder="Thank you for…",
            empty="No appreciations yet. Be the first.",
            rows=3,
            paper_question="Something I appreciated about you this week.",
            lines=4,
        ),
        Exercise(
            "Healthy boundaries",
            "What do I need so I feel respected and safe with you?",
            "boundary",
            placeholder="I need… / I'm not okay with… / I'd like us to…",
            empty="No boundaries written yet.",
        ),
    ),
)

# The safety check's answers are never stored, and a printed sheet with ticks could be found
# by the person a partner is afraid of: so nothing of it is saved, and its questions are never
# printed (they live only in the page, `workbook.ui.safety`).
WALK_AWAY = Step(
    8,
    "When to walk away",
    "08_walk_away.ipynb",
    f"{NOT_ADVISED} {NOT_ADVISED_WHY}",
    (
        # Help first: the first thing on the page after its title, on a phone too.
        Exercise("Help, any time", "", kind="crisis-resources", printed=False),
        Exercise("When it is not safe", "", kind="not-advised", printed=False),
        Exercise("What helps instead", HELP_INSTEAD, kind="note", on_page=False, lines=0),
        Exercise(
            "A private safety check",
            "Only you see this. Your answers are not saved anywhere: not in the workbook, not "
            "for your partner, not for a facilitator. Tick anything that is true for you.",
            kind="safety-check",
            paper_question="The safety check is only on screen, for you alone: its answers are "
            "never saved and are not printed here.",
            lines=0,
        ),
    ),
    stores=False,
)

#: Every healing step, by number.
HEALING_STEPS: dict[int, Step] = {
    s.number: s
    for s in (CONVERSATION, PAIN, EMPATHY, TRUST, SUPPORT, SELF_CARE, CONNECTION, WALK_AWAY)
}


def healing_step(number: int) -> Step:
    """The definition of step `number` (1 to 8)."""
    return HEALING_STEPS[number]


@functools.cache
def steps_in(lang: str | None) -> dict[int, Step]:
    """Every healing step, its text in `lang` (English for None or a language not spoken)."""
    gettext = translator(lang).gettext
    return {n: s.translated(gettext) for n, s in HEALING_STEPS.items()}
