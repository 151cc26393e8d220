"""Step 2, acknowledge the pain: the checklist of situations that apply (prompts in `steps`)."""

from __future__ import annotations

from ..i18n import N_
from ..steps import PAIN
from .checklists import ChecklistForm


class SituationsChecklist(ChecklistForm):
    """Which common situations apply to us; each partner's view, side by side once saved."""

    step, prompt = PAIN.number, "situations"
    own_label = N_("Something else (optional)")
    save_label = N_("Save what applies")
    nothing_ticked = N_("Tick at least one situation, or describe your own.")
    saved_message = N_("Saved.")
    nothing_saved = N_("Nothing saved yet.")
