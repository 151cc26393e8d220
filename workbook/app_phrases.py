"""The app's own phrases inside saved text, shown in the reader's language.

A ticked checklist item (step 1's agreements, step 2's situations, step 5's questions for a
therapist) and a one-press answer ("I hear you") are saved in the words their writer read, but
they are the app's words, not the writer's: each is recognised in any language the workbook
speaks and shown in the reader's. A partner's own words (typed items, typed answers) are shown
as written. Storage is unchanged: this is only how saved text is shown.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from .domain import Reflection
from .i18n import N_, languages, translator
from .steps import steps_in

#: One-press answers: small acknowledgements (the buttons under a partner's entry).
ACKNOWLEDGEMENTS = (N_("I hear you"), N_("Thank you"))
#: How a ticked item may be marked on its line (step 5's questions are saved as bullets).
_BULLET = "\u2022 "


@functools.cache
def _acknowledgement_words() -> dict[str, str]:
    """Each one-press answer as every language says it, to its catalogue entry."""
    return {
        translator(lang).gettext(msgid): msgid for msgid in ACKNOWLEDGEMENTS for lang in languages()
    }


def reply_text(text: str, gettext: Callable[[str], str]) -> str:
    """A reply as the reader reads it: a one-press answer in `gettext`'s language (whichever
    language it was pressed in), typed words as written."""
    msgid = _acknowledgement_words().get(text.strip())
    return gettext(msgid) if msgid is not None else text


@functools.cache
def _items(step: int, prompt: str) -> dict[str, int]:
    """A checklist's items (by place) as every language says them; empty for no checklist."""
    said: dict[str, int] = {}
    for lang in languages():
        definition = steps_in(lang).get(step)
        try:
            items = definition.exercise(prompt).items if definition else ()
        except KeyError:
            items = ()
        for i, item in enumerate(items):
            said[item] = i
    return said


def checklist_text(step: int, prompt: str, text: str, lang: str | None) -> str:
    """Saved checklist text, its ticked items (a line each, recognised in any language) in
    `lang`; the writer's own lines, and any text of a prompt with no checklist, as written."""
    said = _items(step, prompt)
    if not said:
        return text
    items = steps_in(lang)[step].exercise(prompt).items
    lines = []
    for line in text.split("\n"):
        bullet = _BULLET if line.startswith(_BULLET) else ""
        place = said.get(line.removeprefix(bullet).strip())
        lines.append(line if place is None else bullet + items[place])
    return "\n".join(lines)


def entry_text(entry: object, lang: str | None) -> str:
    """An entry's words as the reader reads them: a reflection's checklist items in `lang`."""
    if isinstance(entry, Reflection):
        return checklist_text(entry.step, entry.prompt, entry.text, lang)
    return str(getattr(entry, "text", ""))


def same_answer(step: int, prompt: str, one: str, other: str) -> bool:
    """Whether two saved checklist answers say the same (items compared in any language)."""
    return checklist_text(step, prompt, one, None) == checklist_text(step, prompt, other, None)
