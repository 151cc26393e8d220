"""Each page's title and opening paragraphs, in the reader's language.

These words used to be the notebooks' first markdown cell, which Voila shows as written, so a
Spanish page began in English. They are data here, one whole paragraph per catalogue entry
(`N_`), and a page shows them through `intro_html(key, lang)`.

A paragraph may use three marks of markdown, kept by the translation: ``**strong**`` (the
lead-in words), ``*emphasis*`` and ```code```. The text is escaped first and only those
marks become tags, so a translation can never add HTML.

Step 8's intro is its title only: the page leads with the ways to get help, and nothing here
is saved, logged or counted (the intro is fixed text, the same for everyone).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from . import settings
from .i18n import N_, translator
from .markup import Markup, esc, html, join
from .steps import steps_in

#: The product's name, the start page's heading in every language.
NAME = "Healing Together"

#: A page's key (as in its address: 0 the start page, 1 to 8 the steps, or a name) ->
#: (its title, or None for a step: "Step n: title" from the step's definition; paragraphs).
INTROS: dict[int | str, tuple[str | None, tuple[str, ...]]] = {
    0: (
        NAME,
        (
            N_(
                "Every couple meets stretches of hurt: arguments that keep coming back, "
                "distance that settles in, trust that breaks, a loss you carry together. Pain "
                "that is ignored does not leave; it comes back as anger, defensiveness, "
                "withdrawal or blame. This workbook walks the two of you through eight steps, "
                "at your own pace, so that both of you can feel heard, respected and safe again."
            ),
            N_(
                "**How it works.** Open or create your workbook, choose who is writing, and pick "
                "a step. What you save stays in your own workbook file, on the computer that runs "
                "the app. Private entries are locked with your own passphrase, and your partner "
                "never sees them."
            ),
        ),
    ),
    1: (
        None,
        (
            N_(
                "Healing begins with talking, and talking needs safety: each of you should be "
                "able to say what you feel without fearing judgement or attack."
            ),
            N_(
                "**Why it matters.** When one of you braces for criticism, the conversation "
                "becomes a defence. Safety lets the real feelings come out."
            ),
            N_(
                "**What to do here.** Agree on ground rules for hard talks. Practise “I” "
                "statements, which name your feeling and your need (“I felt hurt when…”) instead "
                "of your partner's faults. Take turns as speaker and listener with the timer: the "
                "listener does not interrupt. Then say back what you heard, and what makes sense "
                "about it, even if you do not fully agree."
            ),
            N_(
                "**Tip.** Validation is not agreement. “I can see why that hurt” costs nothing "
                "and opens a door."
            ),
        ),
    ),
    2: (
        None,
        (
            N_(
                "Pushing pain aside, or playing it down, makes the wound deeper. Healing starts "
                "when both of you name the problem and how it has touched each of you, and the "
                "two of you as a couple."
            ),
            N_(
                "**What to do here.** Tick which common situations apply to you. Write what "
                "happened, in your own words, and how it affected you and your relationship. Name "
                "your own mistakes, without the “but”. If there is pain you have never shared, "
                "you can write it privately first."
            ),
            N_(
                "**Tip.** Recognising the damage is not the same as assigning blame. You are "
                "describing, not prosecuting."
            ),
        ),
    ),
    3: (
        None,
        (
            N_(
                "Empathy means stepping into your partner's shoes and understanding their pain "
                "without rushing to fix it or to defend yourself."
            ),
            N_(
                "**What to do here.** Answer the perspective-taking questions. Your answer stays "
                "hidden from your partner until you have both answered; then the two answers "
                "appear side by side. Keep a log of setbacks: they will happen, and seeing them "
                "written down helps you notice that you come back from them."
            ),
            N_(
                "**Tip.** Healing takes time. Consistency matters more than speed; be patient "
                "with yourself as well as with your partner."
            ),
        ),
    ),
    4: (
        None,
        (
            N_(
                "Trust is usually the most fragile part of a hurt relationship, and it comes back "
                "through steady action over time, not through one big gesture."
            ),
            N_(
                "**What to do here.** Use the promise ledger: make small, concrete promises, and "
                "mark each one kept or broken, honestly. The ledger shows whether words and "
                "actions line up. Write honesty notes about small truths, and notice the moments "
                "when your partner's words and actions matched."
            ),
            N_(
                "**Tip.** Be honest even in small things, keep your promises, and be dependable "
                "and predictable. Your trust trend is on the Trends page."
            ),
        ),
    ),
    5: (
        None,
        (
            N_(
                "Some wounds are too deep to work through alone, and that is not a failure. A "
                "qualified couples therapist offers a neutral space to talk, learn communication "
                "skills, and heal together."
            ),
            N_(
                "**What to do here.** Read about the common approaches to couples therapy and "
                "what a licensed marriage and family therapist is. Pick the questions you want to "
                "ask a therapist before you start. Keep notes after sessions and prepare for the "
                "next one. Many therapists also offer sessions online, which can make support "
                "easier to reach."
            ),
            N_(
                "**Tip.** Notes from therapy can be private. Choose “private” when you save if "
                "you want them only for yourself."
            ),
        ),
    ),
    6: (
        None,
        (
            N_(
                "Working on the relationship also means looking after yourself. Each of you "
                "needs time to reflect, to rest, and to handle strong feelings in a healthy way. "
                "A steadier you brings more to the relationship."
            ),
            N_(
                "**What to do here.** Write in your journal; it is private by default and locked "
                "with your passphrase. Log the minutes you spend on mindfulness or meditation, "
                "hobbies, exercise, or rest. Note the people you can talk to: trusted friends, or "
                "a therapist of your own."
            ),
            N_(
                "**Tip.** If you lose your passphrase, your private entries cannot be recovered "
                "by anyone. Shared entries are not affected."
            ),
        ),
    ),
    7: (
        None,
        (
            N_(
                "Once communication and trust are coming back, you can turn towards each other "
                "again, emotionally and physically. Reconnecting is not only about repairing what "
                "went wrong; it is also about making new, good experiences together."
            ),
            N_(
                "**What to do here.** Write down shared goals and values, plan quality time, tell "
                "each other what you appreciate, and agree on boundaries that protect mutual "
                "respect."
            ),
            N_(
                "**Tip.** Small and regular beats grand and rare: one evening a week together "
                "often does more than a big trip."
            ),
        ),
    ),
    # Step 8 leads with its ways to get help: its title only, nothing that could be counted.
    8: (None, ()),
    "trends": (
        N_("Trends"),
        (
            N_(
                "How each of you has been feeling, day by day: mood and trust with a rolling "
                "mean, the gap between you, how promises have gone, the weekly satisfaction "
                "check, and a year at a glance. Each chart has a sentence beside it that says "
                "what it shows."
            ),
            N_(
                "Only shared check-ins appear here, and your own private ones if you have "
                "unlocked them. Your partner's private entries never do."
            ),
            N_(
                "Where each measure comes from is at the foot of the page, under *About these "
                "measures*."
            ),
        ),
    ),
    "facilitator": (
        N_("Workshop: for the facilitator"),
        (
            N_(
                "Follow a room of couples through the workbook: how many steps each partner has "
                "marked done, how the group's mood and trust are moving, join codes for new "
                "couples, and blank worksheets to print for any step."
            ),
            N_(
                "You never see what couples write. The progress table shows counts and dates "
                "only. The group trend uses shared check-ins of couples where *both* partners "
                "agreed to share, without names, and stays hidden until at least three couples "
                "have agreed. Private entries and the safety check are never included."
            ),
            N_(
                "This page opens only with its own address, which the server printed when it "
                "started (it carries the facilitator's key). Once the page is open, the key "
                "leaves the address bar, so a projected screen does not show it. A reload or "
                "Back in this browser opens the page again until the browser is closed or the "
                "quick exit is used; anywhere else, open that address again."
            ),
        ),
    ),
    "keep": (
        N_("Keep and move"),
        (
            N_(
                "Your workbook, to keep and to take with you: gentle reminders for your calendar, "
                "a backup file you can restore on another computer, and your Daylio diary "
                "brought in as check-ins."
            ),
            N_(
                "Everything on this page is yours alone: your reminders, your backup (your "
                "partner's private entries are never in it), your imported check-ins."
            ),
        ),
    ),
    "counsellor": (
        N_("For your counsellor"),
        (
            N_(
                "A printable report for your counsellor of what you choose: your shared answers "
                "step by step, the charts with the sentence beside each, and your weekly "
                "satisfaction totals (CSI-4) with the 13.5 line explained."
            ),
            N_(
                "It is made only while both of you agree, and each of you ticks for yourself; "
                "either of you can withdraw at any time. It never holds private entries, and "
                "nothing of step 8."
            ),
            N_(
                "The report is a page to open in your browser and print; to keep it as a PDF, "
                "print it and choose *Save as PDF*."
            ),
        ),
    ),
}

#: The values a paragraph may name (``%(setting)s``): fixed project words, never translated.
_VALUES = {"setting": settings.FACILITATOR_KEY.name}

#: The marks a paragraph may use, applied to escaped text: (pattern, tag).
_MARKS = (
    (re.compile(r"\*\*(.+?)\*\*"), "strong"),
    (re.compile(r"\*(.+?)\*"), "em"),
    (re.compile(r"`(.+?)`"), "code"),
)


def _marked(text: str) -> Markup:
    """`text` escaped, with its ``**strong**``, ``*emphasis*`` and ```code``` as tags."""
    out = str(esc(text))
    for pattern, tag in _MARKS:
        out = pattern.sub(functools.partial(_tagged, tag), out)
    return Markup(out)  # escaped above; only the fixed tags were added


def _tagged(tag: str, match: re.Match[str]) -> str:
    inner = Markup(match.group(1))  # already escaped by `_marked`
    if tag == "strong":
        return str(html("<strong>{}</strong>", inner))
    if tag == "em":
        return str(html("<em>{}</em>", inner))
    return str(html("<code>{}</code>", inner))


def intro_title(key: int | str, gettext: Callable[[str], str], lang: str | None = None) -> str:
    """The page's heading: "Step 3: Empathy and patience", "Trends", in the reader's language."""
    title, _paragraphs = INTROS[key]
    if title is None:
        number = int(key)
        step = steps_in(lang)[number]
        return gettext("Step %(number)d: %(title)s") % {"number": number, "title": step.title}
    return title if title == NAME else gettext(title)


def intro_html(key: int | str, lang: str | None = None) -> Markup:
    """The page's title and opening paragraphs as HTML, in `lang` (English for None)."""
    _ = translator(lang).gettext
    paragraphs = join(
        html("<p class='ht-p'>{}</p>", _marked(_(p) % _VALUES if "%(" in p else _(p)))
        for p in INTROS[key][1]
    )
    return html(
        "<div class='ht-intro'><h1 class='ht-h1'>{}</h1>{}</div>",
        intro_title(key, _, lang),
        paragraphs,
    )
