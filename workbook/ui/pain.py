"""Step 2, acknowledge the pain: the checklist of situations that apply (prompts in `steps`)."""

from __future__ import annotations

from ..markup import html, join
from ..steps import PAIN
from .forms import ChecklistForm


class SituationsChecklist(ChecklistForm):
    """Which common situations apply to us; each partner's view, side by side once saved."""

    step, prompt = PAIN.number, "situations"
    own_label = "Something else (optional)"
    save_label = "Save what applies"
    nothing_ticked = "Tick at least one situation, or describe your own."
    saved_message = "Saved."

    def refresh(self) -> None:
        """Show each partner's latest choice, and tick this partner's last saved answers."""
        names = self.session.wb.names()
        latest = {r.author: r.text.splitlines() for r in self.saved()}
        mine = latest.get(self.session.who, [])
        for b in self.boxes:
            b.value = b.description in mine
        # The partner's own item is part of their answer: put it back in its field, so that
        # saving again (say, to tick one more box) keeps it.
        listed = {b.description for b in self.boxes}
        self.own.value = "; ".join(item for item in mine if item not in listed)
        if not latest:
            self.summary.value = "<p class='ht-empty'>Nothing saved yet.</p>"
            return
        cols = join(
            html(
                "<div class='ht-col'><strong>{}</strong><ul>{}</ul></div>",
                names[who],
                join(html("<li>{}</li>", item) for item in items),
            )
            for who, items in sorted(latest.items())
        )
        self.summary.value = str(html("<div class='ht-cols'>{}</div>", cols))
