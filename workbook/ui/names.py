"""A partner's own display name, on the start page: asked for first in a workshop (where the
workbook holds placeholder names), changeable any time."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..workshop import PLACEHOLDER_NAMES
from .base import Session, Status, button, card, guarded, layout, paragraph, text_input


class NameForm(widgets.VBox):
    """A partner's own display name: asked for first in a workshop, changeable any time."""

    def __init__(self, session: Session, *, on_renamed: Callable[[], object]) -> None:
        self.session = session
        self._on_renamed = on_renamed
        _ = session.gettext
        placeholder = session.name in PLACEHOLDER_NAMES
        self.name = text_input(_("Your name in this workbook"), "" if placeholder else session.name)
        self.name.value = "" if placeholder else session.name
        self.save = button(_("Save my name") if placeholder else _("Change my name"), style="")
        self.status = Status(session.gettext)
        self.save.on_click(lambda _: guarded(self.status, self._save))
        lead = (
            _(
                "What should this workbook call you? Your partner sees this name; choose any "
                "you like, a first name or a nickname."
            )
            if placeholder
            else _(
                "Your partner sees this name on every page. You can change your own, not theirs."
            )
        )
        title = _("What should we call you?") if placeholder else _("Your name")
        super().__init__(
            [card(paragraph(lead), self.name, self.save, self.status, title=title)],
            layout=layout(),
        )

    def _save(self) -> str:
        new = self.session.wb.rename_partner(self.session.who, self.name.value)
        self._on_renamed()
        return self.session.gettext("Thank you, %(name)s.") % {"name": new.name}
