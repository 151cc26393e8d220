"""The shape of a healing step: a `Step` of `Exercise`s, as plain data (see `workbook.steps`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from .i18n import N_

#: Who may read an answer: shared (the partner may choose private), private by default,
#: paired (hidden until both have answered) or shared-only (no private choice offered).
Privacy = Literal["shared", "private", "paired", "shared-only"]

#: What "{partner}" in a question becomes on paper; on the page it is the partner's name.
PARTNER_ON_PAPER = N_("your partner")


@dataclass(frozen=True)
class Exercise:
    """One exercise of a step, as its page shows it and its worksheet prints it."""

    title: str
    question: str  # on the page; "{partner}" stands for the other partner's name
    prompt: str | None = None  # the key answers are saved under; None when nothing is saved
    kind: str = "prompt"  # "prompt" is a plain written answer; others name a custom exercise
    privacy: Privacy = "shared"
    placeholder: str = ""
    empty: str = "Nothing saved here yet."
    rows: int = 4
    items: tuple[str, ...] = ()  # a checklist's tick boxes
    on_page: bool = True
    printed: bool = True
    paper_title: str | None = None  # the printed title, when it differs from the page's
    paper_question: str | None = None  # the printed question, when it differs from the page's
    lines: int = 5  # blank lines to write on, on paper
    columns: tuple[str, ...] = ()  # on paper, a table with blank rows instead of lines

    def question_for(self, partner: str) -> str:
        """The page's question, naming the other partner."""
        return self.question.replace("{partner}", partner)

    def strings(self) -> Iterator[str]:
        """Every piece of text a person may read, for the translation catalogue."""
        for text in (self.title, self.question, self.placeholder, self.empty):
            if text:
                yield text
        yield from self.items
        yield from (t for t in (self.paper_title, self.paper_question) if t)
        yield from self.columns

    def translated(self, gettext: Callable[[str], str]) -> Exercise:
        """This exercise with its text in the reader's language (`gettext` of a translator)."""

        def tr(text: str | None) -> str | None:
            return gettext(text) if text else text

        return replace(
            self,
            title=gettext(self.title),
            question=tr(self.question) or "",
            placeholder=tr(self.placeholder) or "",
            empty=tr(self.empty) or "",
            items=tuple(gettext(i) for i in self.items),
            paper_title=tr(self.paper_title),
            paper_question=tr(self.paper_question),
            columns=tuple(gettext(c) for c in self.columns),
        )

    @property
    def printed_title(self) -> str:
        """The title on the worksheet."""
        return self.paper_title or self.title

    def printed_question(self, gettext: Callable[[str], str] = str) -> str:
        """The question on paper (a worksheet, the report): "{partner}" is "your partner" in
        the language of `gettext`."""
        return (self.paper_question or self.question).replace(
            "{partner}", gettext(PARTNER_ON_PAPER)
        )


@dataclass(frozen=True)
class Step:
    """A healing step: its title, notebook, printed intro and exercises in page order."""

    number: int
    title: str
    notebook: str
    intro: str
    exercises: tuple[Exercise, ...]
    stores: bool = True  # False for step 8: nothing on it is ever saved or printed from a file

    @property
    def on_page(self) -> tuple[Exercise, ...]:
        """The exercises its page shows, in order."""
        return tuple(ex for ex in self.exercises if ex.on_page)

    @property
    def printed(self) -> tuple[Exercise, ...]:
        """The exercises its worksheet prints, in order."""
        return tuple(ex for ex in self.exercises if ex.printed)

    def strings(self) -> Iterator[str]:
        """Every piece of text of the step a person may read, for the translation catalogue."""
        yield self.title
        yield self.intro
        for ex in self.exercises:
            yield from ex.strings()

    def translated(self, gettext: Callable[[str], str]) -> Step:
        """The step with its text in the reader's language; answers keep their keys."""
        return replace(
            self,
            title=gettext(self.title),
            intro=gettext(self.intro),
            exercises=tuple(ex.translated(gettext) for ex in self.exercises),
        )

    def exercise(self, key: str) -> Exercise:
        """The exercise saved under `key`, or else the one of kind `key`."""
        for ex in self.exercises:
            if ex.prompt == key:
                return ex
        for ex in self.exercises:
            if ex.kind == key:
                return ex
        raise KeyError(f"step {self.number} has no exercise {key!r}")
