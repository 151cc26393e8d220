"""Daylio's CSV export as this partner's check-ins: choose the file, map each mood name to
1 to 10, see a preview and a count, then import. Importing the same file again adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from .. import daylio
from ..domain import ValidationError, Visibility
from ..i18n import N_, format_date
from ..markup import Markup, html, join
from .base import CardForm, Session, guarded, html_text, layout, own_layout, paragraph, say
from .corrections import entries_changed

#: How many entries the preview shows.
PREVIEW_ROWS = 5
#: The mood list's first entry: no mood chosen yet for a name.
CHOOSE = N_("choose")


def uploaded(upload: widgets.FileUpload) -> tuple[str, bytes] | None:
    """The name and bytes of the file chosen in `upload` (None: none yet)."""
    files = upload.value
    if not files:
        return None
    first: Any = files[0]
    return str(first["name"]), bytes(first["content"])


class DaylioImport(CardForm):
    """The Daylio import card; the page's time-zone picker gives the entries' zone."""

    def __init__(self, session: Session, zone: widgets.Dropdown) -> None:
        self.session, self.zone = session, zone
        _ = session.gettext
        self.entries: list[daylio.DaylioEntry] = []
        #: The chosen file, kept in memory while it is being mapped (never written anywhere).
        self.raw = b""
        self.moods: dict[str, widgets.Dropdown] = {}
        self.upload = widgets.FileUpload(
            accept=".csv,text/csv", multiple=False, description=_("Choose Daylio's CSV file")
        )
        self.upload.add_class("ht-upload")
        self.mapping = widgets.VBox(layout=layout())
        self.trust = widgets.Dropdown(
            options=list(range(1, 11)),
            value=daylio.IMPORTED_TRUST,
            description=_("Trust for every imported day"),
            layout=layout(),
            style={"description_width": "initial"},
        )
        self.trust.add_class("ht-stacked")
        self.private = widgets.RadioButtons(
            options=[
                (_("Private: only I see these check-ins and notes"), "private"),
                (_("Shared with my partner"), "shared"),
            ],
            value="private",
            layout=layout(),
        )
        # Shown while "private" is chosen: a shared import needs no passphrase. The page's
        # one passphrase panel is above (`KeepPage`).
        self.passphrase_note = html_text()
        self.passphrase_box = widgets.VBox([self.passphrase_note], layout=widgets.Layout())
        self._passphrase_said()
        self.preview = html_text()
        self.go = self.action(_("Import"), self._import, icon="upload")
        # Its own layout: it is hidden when there is nothing new (the shared one is never changed).
        self.go.layout = own_layout(width="auto", min_height="44px")
        self.steps = widgets.VBox(
            [
                paragraph(
                    _("What each of your Daylio moods becomes, from 1 (worst) to 10 (best):")
                ),
                self.mapping,
                self.trust,
                paragraph(
                    _(
                        "Daylio keeps no trust rating, so every imported day gets the trust "
                        "you choose here (5, the middle, unless you change it); your trend of "
                        "trust over those days is flat for that reason."
                    ),
                    cls="ht-small",
                ),
                self.private,
                self.passphrase_box,
                self.preview,
                self.go,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.upload.observe(lambda _: guarded(self.status, self._read), names="value")
        self.trust.observe(lambda _: self._show_preview(), names="value")
        zone.observe(lambda _: guarded(self.status, self._zone_changed), names="value")
        self.private.observe(lambda _: self._private_changed(), names="value")
        # Lock takes the diary's notes off the page at once, like every private text.
        session.privacy.subscribe(self._privacy_changed)
        super().__init__(
            paragraph(
                _(
                    "In Daylio: Settings, Export entries, CSV. Choose that file here; its "
                    "entries become your check-ins after you say what each mood means. "
                    "Notes come in private unless you choose to share them. Importing the "
                    "same file again adds nothing twice."
                )
            ),
            self.upload,
            self.steps,
            self.status,
            title=_("Import from Daylio"),
        )

    def _read(self) -> str:
        got = uploaded(self.upload)
        if got is None:
            return ""
        self.upload.value = ()
        self.entries, self.raw, self.steps.layout.display = [], b"", "none"
        lang = self.session.lang
        self.entries = daylio.read_daylio(got[1], str(self.zone.value), lang)
        self.raw = got[1]
        counts = daylio.mood_counts(self.entries)
        self.moods = {}
        moods = [(self.session.gettext(CHOOSE), None)] + [(str(n), n) for n in range(1, 11)]
        for name, mood in daylio.default_mapping(daylio.mood_order(counts)).items():
            pick = widgets.Dropdown(
                options=moods,
                value=mood,
                description=f"{name} ({daylio.entries_text(counts[name], lang)})",
                layout=layout(),
                style={"description_width": "initial"},
            )
            pick.observe(lambda _: self._show_preview(), names="value")
            self.moods[name] = pick
        self.mapping.children = tuple(self.moods.values())
        self.steps.layout.display = "flex"
        self._show_preview()
        return ""

    def _zone_changed(self) -> None:
        # Daylio's times carry no zone: the file is read again in the zone now chosen.
        if self.raw:
            self.entries = daylio.read_daylio(self.raw, str(self.zone.value), self.session.lang)
            self._show_preview()

    def _passphrase_said(self) -> None:
        """What a private import needs, as the sitting's privacy state has it now."""
        _ = self.session.gettext
        if self.session.wb.is_unlocked(self.session.who):
            said = _(
                "Your private entries are open: a private import is locked with your passphrase."
            )
        else:
            said = _(
                "A private import needs your passphrase: set or type it under "
                "Your private entries, above."
            )
        say(self.passphrase_note, said, "ht-small")

    def _privacy_changed(self) -> None:
        self._passphrase_said()
        if self.entries and not self.session.wb.is_unlocked(self.session.who):
            self.entries, self.moods, self.raw = [], {}, b""
            self.mapping.children = ()
            self.preview.value = ""
            self.steps.layout.display = "none"
            said = self.session.gettext("Locked: choose the Daylio file again to import it.")
            self.status.show(said, "info")

    def _private_changed(self) -> None:
        private = self._visibility() == "private"
        self.passphrase_box.layout.display = "flex" if private else "none"
        self._show_preview()

    def _visibility(self) -> Visibility:
        return "shared" if self.private.value == "shared" else "private"

    def _new(self) -> list[daylio.DaylioEntry]:
        """The entries this partner does not have yet (same moment)."""
        have = self.session.wb.checkin_times(self.session.who)
        return [e for e in self.entries if e.at not in have]

    def _show_preview(self) -> None:
        if not self.entries:
            self.preview.value = ""
            return
        new = self._new()
        lang, ngettext = self.session.lang, self.session.ngettext
        first, last = self.entries[0].at, self.entries[-1].at
        total = len(self.entries)
        said = ngettext(
            "%(total)d entry from %(first)s to %(last)s: "
            "%(new)d new, %(old)d already among your check-ins.",
            "%(total)d entries from %(first)s to %(last)s: "
            "%(new)d new, %(old)d already among your check-ins.",
            total,
        ) % {
            "total": total,
            "first": format_date(first.date(), lang, "dd MMM y"),
            "last": format_date(last.date(), lang, "dd MMM y"),
            "new": len(new),
            "old": total - len(new),
        }
        self.preview.value = str(
            html("<p class='ht-summary'>{}</p>{}", said, preview_table(new[:PREVIEW_ROWS], self))
        )
        self.go.description = ngettext(
            "Import %(n)d check-in", "Import %(n)d check-ins", len(new)
        ) % {"n": len(new)}
        # Nothing new (after an import, or the same file again): no button offers zero.
        self.go.disabled = not new
        self.go.layout.display = "flex" if new else "none"

    def mapped(self) -> dict[str, int | None]:
        """Each mood name and the mood chosen for it (None: not yet)."""
        return {name: pick.value for name, pick in self.moods.items()}

    def _import(self) -> str:
        _, ngettext = self.session.gettext, self.session.ngettext
        if not self.entries:
            raise ValidationError(N_("Choose Daylio's CSV file first. Nothing was imported."))
        if not self._new():
            return _("Every entry in this file is already among your check-ins: nothing to import.")
        checkins = daylio.to_checkins(
            self._new(),
            self.mapped(),
            self.session.who,
            trust=int(self.trust.value),
            visibility=self._visibility(),
        )
        written = self.session.wb.add_new_checkins(checkins)
        if written:
            entries_changed(self.session, "checkins")
        self._show_preview()
        if self._visibility() == "private":
            said = ngettext(
                "Imported %(n)d check-in from Daylio. Only you can see it. "
                "It is on the trends page.",
                "Imported %(n)d check-ins from Daylio. Only you can see them. "
                "They are on the trends page.",
                written,
            )
        else:
            said = ngettext(
                "Imported %(n)d check-in from Daylio. It is on the trends page.",
                "Imported %(n)d check-ins from Daylio. They are on the trends page.",
                written,
            )
        return said % {"n": written}


def preview_table(entries: Sequence[daylio.DaylioEntry], form: DaylioImport) -> Markup:
    """The first new entries as they will be saved."""
    _, lang = form.session.gettext, form.session.lang
    if not entries:
        return html("<p class='ht-p'>{}</p>", _("Nothing new to import from this file."))
    mapped = {k.casefold(): v for k, v in form.mapped().items()}
    rows = [
        html(
            "<tr><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            f"{format_date(e.at.date(), lang, 'dd MMM y')}, {e.at:%H:%M}",
            e.mood,
            mapped.get(e.mood.casefold()) or "?",
            e.note[:80] + ("…" if len(e.note) > 80 else ""),
        )
        for e in entries
    ]
    caption = _("The first %(n)d as they will be saved, each with trust %(trust)d") % {
        "n": len(entries),
        "trust": form.trust.value,
    }
    return html(
        "<div class='ht-table-wrap'><table class='ht-table ht-preview-table ht-daylio-preview'>"
        "<caption>{}</caption>"
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table></div>",
        caption,
        _("When"),
        _("Mood"),
        _("Note"),
        join(rows),
    )
