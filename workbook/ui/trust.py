"""Step 4, rebuild trust gradually: the promise ledger (its written prompts are in `steps`)."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from ..domain import Promise, ValidationError
from ..steps import TRUST, Exercise
from .base import (
    Session,
    Status,
    button,
    card,
    esc,
    guarded,
    html_text,
    layout,
    paragraph,
    text_input,
)


def keeping_summary(promises: list[Promise], names: dict[str, str]) -> str:
    """One sentence per partner: how many promises were kept of those resolved."""
    parts = []
    for who in ("a", "b"):
        mine = [p for p in promises if p.author == who]
        kept = sum(p.status == "kept" for p in mine)
        broken = sum(p.status == "broken" for p in mine)
        open_ = sum(p.status == "open" for p in mine)
        if not mine:
            continue
        if kept + broken:
            rate = round(100 * kept / (kept + broken))
            parts.append(
                f"{names[who]} kept {kept} of {kept + broken} promises resolved so far "
                f"({rate}%), with {open_} still open."
            )
        else:
            parts.append(f"{names[who]} has {open_} open promise{'s' if open_ != 1 else ''}.")
    return " ".join(parts) or "No promises yet. Start with something small you can surely keep."


class PromiseLedger(widgets.VBox):
    """Promises made, kept and broken, with dates: do words and actions align?"""

    def __init__(self, session: Session, exercise: Exercise | None = None) -> None:
        self.session = session
        ex = exercise or TRUST.exercise("promise-ledger")
        self.text = text_input("I promise to…", "text you if I will be more than 30 minutes late")
        self.due = widgets.DatePicker(description="By (optional)", layout=layout())
        self.due.style.description_width = "initial"
        self.add = button("Add promise")
        self.status = Status()
        self.summary = html_text()
        self.rows = widgets.VBox(layout=layout())
        self.add.on_click(lambda _: guarded(self.status, self._add))
        super().__init__(
            [
                card(
                    paragraph(ex.question),
                    self.text,
                    self.due,
                    self.add,
                    self.status,
                    self.summary,
                    self.rows,
                    title=ex.title,
                    cls="ht-ledger",
                )
            ],
            layout=layout(),
        )
        self.refresh()

    def _add(self) -> str:
        due = self.due.value
        if due is not None and due < date.today():
            raise ValidationError("The due date is in the past. Pick today or a later day.")
        p = self.session.wb.add_promise(self.session.who, self.text.value, due=due)
        self.text.value = ""
        self.due.value = None
        self.refresh()
        return f"Promise added: “{p.text}”."

    def resolve(self, promise_id: int, status: str) -> None:
        """Mark a promise kept, broken or open again (only its author may)."""

        def act() -> str:
            mine = {p.id for p in self.session.wb.promises(self.session.who)}
            if promise_id not in mine:
                raise ValidationError("Only the partner who made a promise marks it.")
            self.session.wb.resolve_promise(promise_id, status)  # type: ignore[arg-type]
            self.refresh()
            return "Marked kept. Well done." if status == "kept" else f"Marked {status}."

        guarded(self.status, act)

    def refresh(self) -> None:
        """Re-read the promises and rebuild the ledger rows."""
        wb = self.session.wb
        names = wb.names()
        promises = wb.promises()
        self.summary.value = f"<p class='ht-summary'>{esc(keeping_summary(promises, names))}</p>"
        rows: list[widgets.Widget] = []
        for p in reversed(promises):
            due = f" · by {p.due:%d %b}" if p.due else ""
            resolved = f" on {p.resolved:%d %b}" if p.resolved else ""
            label = html_text(
                f"<div class='ht-entry ht-promise ht-{p.status}'>"
                f"<div class='ht-entry-meta'>{esc(names[p.author])} · made {p.made:%d %b %Y}"
                f"{due} · <strong>{esc(p.status)}{resolved}</strong></div>"
                f"<div class='ht-entry-text'>{esc(p.text)}</div></div>"
            )
            items: list[widgets.Widget] = [label]
            if p.author == self.session.who and p.id is not None and p.status == "open":
                kept = button("Kept", style="success")
                broken = button("Broken", style="warning")
                kept.on_click(lambda _, i=p.id: self.resolve(i, "kept"))
                broken.on_click(lambda _, i=p.id: self.resolve(i, "broken"))
                items.append(widgets.HBox([kept, broken], layout=layout(flex_flow="row wrap")))
            rows.append(widgets.VBox(items, layout=layout()))
        self.rows.children = rows
