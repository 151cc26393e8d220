"""Checklists shared by the step pages and their printable worksheets: one copy, two uses."""

from __future__ import annotations

AGREEMENTS: tuple[str, ...] = (
    "We speak about our own feelings, not our partner's character.",
    "One person speaks at a time; the other listens to understand.",
    "Either of us can ask for a pause, and we agree when to come back.",
    "No name-calling, threats or bringing up everything at once.",
    "We can disagree and still say: I can see why you feel that way.",
)

SITUATIONS: tuple[str, ...] = (
    "Ongoing arguments and resentment",
    "Emotional distance or little intimacy",
    "Betrayal, infidelity or broken trust",
    "Loss of a child, or another shared trauma",
    "Mental health challenges",
    "Miscommunication or unmet needs",
)

#: Questions people often find useful when choosing a therapist, in the project's own words.
THERAPIST_QUESTIONS: tuple[str, ...] = (
    "What training and licence do you have for working with couples?",
    "Which approach do you use, and why might it suit us?",
    "How do you make sure both of us feel heard and no one is taking sides?",
    "What does a typical session look like, and how often would we meet?",
    "How will we know whether therapy is helping?",
    "What happens to something one of us tells you alone?",
    "What do you do if one of us feels unsafe in the relationship?",
    "What are your fees, and do you take insurance or offer a sliding scale?",
    "Do you offer online sessions?",
)
