"""Step 2, acknowledge the pain: the checklist of situations that apply (prompts in `steps`)."""

from __future__ import annotations

from ..app_phrases import entry_text
from ..i18n import N_
from ..markup import html, join
from ..steps import PAIN
from .base import say
from .forms import ChecklistForm


class SituationsChecklist(ChecklistForm):
    """Which common situations apply to us; each partner's view, side by side once saved."""

    step, prompt = PAIN.number, "situations"
    own_label = N_("Something else (optional)")
    save_label = N_("Save what applies")
    nothing_ticked = N_("Tick at least one situation, or describe your own.")
    saved_message = N_("Saved.")

    def refresh(self) -> None:
        """Show each partner's latest choice, and tick this partner's last saved answers."""
        names = self.session.wb.names()
        lang = self.session.lang  # the app's items in the reader's language, own words as written
        latest = {r.author: entry_text(r, lang).splitlines() for r in self.saved()}
        mine = latest.get(self.session.who, [])
        # `entry_text` gave the ticked situations in the reader's language, whichever language
        # they were saved in: each box is ticked by its own words.
        for b in self.boxes:
            b.value = b.description in mine
        # The partner's own item is part of their answer: put it back in its field, so that
        # saving again (say, to tick one more box) keeps it.
        listed = {b.description for b in self.boxes}
        self.own.value = "; ".join(item for item in mine if item not in listed)
        if not latest:
            nothing = self.session.gettext("Nothing saved yet.")
            say(self.summary, nothing, "ht-empty")
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
