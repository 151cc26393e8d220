"""The U.S. crisis resources and the plain word on abuse: one list, used everywhere.

Every page footer, step 8 (`workbook.ui.safety`) and every printable worksheet
(`workbook.worksheets`) render `RESOURCES` and `NOT_ADVISED` from here, so a number cannot be
right in one place and stale in another. Phone links are E.164 (``tel:+1…``), except the
three-digit 911 and 988.

Checked on 2026-11-27 against the stored public material (see the report of issue 15):

* National Domestic Violence Hotline: 1-800-799-SAFE (7233), TTY 1-800-787-3224, text START to
  88788, open 24/7, advocates in English and Spanish and over 200 more languages through
  interpreters.
* 988 Suicide & Crisis Lifeline: call or text 988, 24/7; on a call press 1 for the Veterans
  Crisis Line and 2 for Spanish. Calls, texts and chat in English and Spanish; interpreters for
  other languages on calls. Its LGBTQ+ youth option ("press 3") ended on 17 July 2025 and is
  deliberately absent.
* 911 for an emergency.

This is domain-level data with small HTML renderers (every value escaped): no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from .markup import esc


@dataclass(frozen=True)
class Contact:
    """One way to reach a service: how ("call", "TTY", "text"), as shown, and its link."""

    how: str
    shown: str
    href: str


@dataclass(frozen=True)
class CrisisResource:
    """A crisis service: its name, ways to reach it, options on a call, hours and languages."""

    name: str
    contacts: tuple[Contact, ...]
    hours: str
    languages: str = ""
    options: str = ""


RESOURCES: tuple[CrisisResource, ...] = (
    CrisisResource(
        "In immediate danger",
        (Contact("call", "911", "tel:911"),),
        hours="day and night",
    ),
    CrisisResource(
        "National Domestic Violence Hotline",
        (
            Contact("call", "1-800-799-7233", "tel:+18007997233"),
            Contact("TTY", "1-800-787-3224", "tel:+18007873224"),
            Contact("text", "START to 88788", "sms:88788?body=START"),
        ),
        hours="day and night",
        languages="in English and Spanish, and over 200 other languages through interpreters",
    ),
    CrisisResource(
        "988 Suicide & Crisis Lifeline",
        (Contact("call", "988", "tel:988"), Contact("text", "988", "sms:988")),
        options="press 1 for veterans, press 2 for Spanish",
        hours="day and night",
        languages="in English and Spanish, with interpreters for other languages on a call",
    ),
)

#: The plain word on abuse, on step 8, on the start page's safety question and in every footer.
NOT_ADVISED = (
    "Couples exercises, including the ones in this workbook, are not advised when there is "
    "abuse in the relationship: physical, sexual or emotional violence, threats, or one "
    "partner controlling the other."
)
#: Why, on step 8 and its worksheet.
NOT_ADVISED_WHY = (
    "Talking openly in front of the person who hurts you can make things more dangerous, and "
    "abuse is not a shared communication problem that two people fix together. It is not your "
    "fault."
)
#: What to do instead, on step 8 and its worksheet.
HELP_INSTEAD = (
    "Talk in confidence to a domestic violence advocate, who can help you think through your "
    "options and make a safety plan; look for individual support from a counsellor experienced "
    "with abuse rather than couples therapy; and if you are in danger right now, call 911. "
    "Sometimes separating is the healthiest step, and an advocate can help you plan it safely."
)
#: The heading over the full list.
RESOURCES_TITLE = "Help in the U.S., free and confidential, day and night"


def _contacts_html(contacts: tuple[Contact, ...]) -> str:
    links = [
        f"{esc(c.how)} <a class='ht-call' href='{esc(c.href)}'>{esc(c.shown)}</a>" for c in contacts
    ]
    return links[0] if len(links) == 1 else ", ".join(links[:-1]) + " or " + links[-1]


def resource_html(resource: CrisisResource, *, details: bool = True) -> str:
    """One resource as HTML: name, tap-to-call and tap-to-text links, and (with `details`)
    the options on a call, hours and languages."""
    text = f"<strong>{esc(resource.name)}:</strong> {_contacts_html(resource.contacts)}"
    if resource.options:
        text += f" ({esc(resource.options)})"
    if details:
        when = ", ".join(x for x in (resource.hours, resource.languages) if x)
        text += f"; {esc(when)}" if when else ""
    return text


def resources_list_html(list_class: str = "") -> str:
    """Every resource, with its details, as an HTML list."""
    cls = f" class='{esc(list_class)}'" if list_class else ""
    items = "".join(f"<li>{resource_html(r)}</li>" for r in RESOURCES)
    return f"<ul{cls}>{items}</ul>"


def resources_line_html() -> str:
    """Every resource on one line, for a footer."""
    return "In the U.S.: " + " · ".join(resource_html(r, details=False) for r in RESOURCES) + "."
