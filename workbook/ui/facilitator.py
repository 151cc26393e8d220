"""The facilitator's page: couples' progress, consented group trends, join codes, worksheets.

Everything shown comes from `workbook.aggregates` and `workbook.worksheets`, which never read
entry text or private entries: the progress table holds counts and dates, the group chart
(`workbook.charts.aggregate_chart`) only the daily means of couples where both partners
consented (and nothing below three such couples), and worksheets
offered here are always blank.

Served by Voila, the page is for the facilitator only: it opens when the server was started
with ``WORKBOOK_FACILITATOR_KEY`` set and the address carries ``?key=`` with the same value,
because every couple in the room holds the server's token and must not see the others' codes.
The page's script then takes the key out of the address bar (a projector shows it), so a
reload or Back would have lost it: once opened with the key, the page asks the browser to keep
a session cookie (`workbook.ui.facilitator_access`) holding a digest of the key, never the
key, and opens again with it until the browser is closed, the quick exit is used or the
server's key changes.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from .. import charts, settings
from ..aggregates import MIN_COUPLES, aggregate_trends, progress_table
from ..domain import STEPS, ValidationError
from ..i18n import N_, known, languages, translator
from ..markup import html
from ..paths import default_data_dir
from ..request import request_cookies
from ..workshop import (
    MAX_COUPLES,
    CoupleCode,
    couple_codes,
    create_couples,
    replace_code,
)
from .base import (
    Notice,
    Status,
    button,
    card,
    guarded,
    html_text,
    layout,
    own_layout,
    paragraph,
    read_query,
    served_by_voila,
    start_page_link,
    text_input,
)
from .facilitator_access import keep_opened, opened_with
from .facilitator_parts import (
    codes_html,
    progress_html,
    room_address_html,
    slips_link,
    step_title,
    worksheet_link,
)
from .intro import with_intro
from .language import language_name
from .pages import footer, styled

#: Drawn this size (inches) so that shown at the page's width for charts (28rem at most,
#: 312 CSS px on a phone) its 9-point labels are 11 px or more; sharp on 2x screens.
CHART_SIZE = (3.4, 3.0)
CHART_DPI = 185


# --- the dashboard ------------------------------------------------------------------------------


#: The first part of new couples' workbook names (lowercase letters, digits, '-', '_').
PREFIX = N_("couple")
#: The replace-a-code list's first entry: nothing is replaced until a couple is chosen.
CHOOSE_COUPLE = N_("Choose a couple")


class FacilitatorDashboard(widgets.VBox):
    """Progress table, consented group trend, 'create N couples' with codes, worksheets."""

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        min_couples: int = MIN_COUPLES,
        lang: str | None = None,
    ):
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.min_couples = min_couples
        #: The page's language (``?lang=es``); a worksheet may be printed in another.
        self.lang = known(lang) or "en"
        _ = self.gettext = translator(self.lang).gettext
        self.ngettext = translator(self.lang).ngettext

        self.progress = html_text()
        self.show_codes = widgets.Checkbox(
            value=False, description=_("Show the join codes"), indent=False
        )
        self.show_codes.observe(self._codes_shown, names="value")
        #: The couples last created and the one last given a new code, shown again (with or
        #: without their codes) when "Show the join codes" changes.
        self._made: list[CoupleCode] = []
        self._replaced: list[CoupleCode] = []
        self.all_slips = html_text()
        #: Says whether the codes are on screen now (the re-walk: ticked, the page still said
        #: they were hidden).
        self.codes_note = html_text()
        self.refresh_button = button(_("Refresh"), style="", icon="refresh")
        self.status = Status(_)
        self.refresh_button.on_click(lambda _: guarded(self.status, self._refresh))

        self.chart = widgets.Image(format="png", layout=own_layout(height="auto"))
        self.chart.add_class("ht-chart")
        self.summary = html_text()

        self.count = widgets.BoundedIntText(
            value=5, min=1, max=MAX_COUPLES, description=_("How many couples"), layout=layout()
        )
        self.count.style.description_width = "initial"
        # Workbook names are the facilitator's to read: "couple-01", "pareja-01".
        self.prefix = text_input(_("Name prefix"), _(PREFIX))
        self.prefix.value = _(PREFIX)
        self.create_button = button(_("Create couples"), icon="plus")
        self.create_status = Status(_)
        self.codes = html_text()
        self.create_button.on_click(lambda _: guarded(self.create_status, self._create))

        self.replace_which = widgets.Dropdown(description=_("Couple"), layout=layout())
        self.replace_button = button(_("Give this couple a new code"), style="", icon="key")
        self.replace_status = Status(_)
        self.new_code = html_text()
        self.replace_button.on_click(lambda _: guarded(self.replace_status, self._replace))
        #: The couple whose code the next press replaces (the first press only asks).
        self._confirming: str | None = None
        self.replace_which.observe(self._choose_other, names="value")

        self.step = widgets.Dropdown(
            options=[(step_title(s, self.lang), s) for s in sorted(STEPS) if s >= 1],
            value=1,
            description=_("Step"),
            layout=layout(),
        )
        # The worksheet's own language, next to its download: a facilitator may print
        # Spanish sheets from an English page (and the other way round).
        self.sheet_lang = widgets.Dropdown(
            options=[(language_name(code), code) for code in languages()],
            value=self.lang,
            description=_("Language of the worksheet"),
            layout=layout(),
            style={"description_width": "initial"},
        )
        self.download = html_text()
        self.step.observe(self._step_changed, names="value")
        self.sheet_lang.observe(self._step_changed, names="value")

        room = settings.ROOM_ADDRESS.read()
        for_the_room = html_text(room_address_html(room, self.lang)) if room else None
        super().__init__(
            [
                *(
                    [card(for_the_room, title=_("The address for the room"))]
                    if for_the_room
                    else []
                ),
                card(
                    self.progress,
                    self.codes_note,
                    self.show_codes,
                    self.all_slips,
                    self.refresh_button,
                    self.status,
                    title=_("Progress"),
                ),
                card(self.chart, self.summary, title=_("How the group is doing")),
                card(
                    self.count,
                    self.prefix,
                    self.create_button,
                    self.create_status,
                    self.codes,
                    title=_("Create couples"),
                ),
                card(
                    paragraph(
                        _(
                            "A code lost, overheard or given to the wrong couple: replace it. "
                            "The old code opens nothing from then on, also for the couple "
                            "itself: within half a minute, pages open with it go back to the "
                            "start page, so give them the new slip."
                        )
                    ),
                    self.replace_which,
                    self.replace_button,
                    self.replace_status,
                    self.new_code,
                    title=_("Replace a join code"),
                ),
                card(
                    paragraph(_("Choose a step and a language for a blank worksheet to print.")),
                    self.step,
                    self.sheet_lang,
                    self.download,
                    title=_("Worksheets"),
                ),
                footer(None, lang=self.lang),
            ],
            layout=layout(),
        )
        self.add_class("ht-page")
        self.add_class("ht-facilitator")
        self._show_made()
        self.refresh()
        self._step_changed()

    # actions -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the folder: progress table and group trend."""
        guarded(self.status, self._refresh)

    def _refresh(self) -> str:
        rows = progress_table(self.data_dir)
        self.progress.value = str(progress_html(rows, self.lang, show_codes=self.show_codes.value))
        couples = couple_codes(self.data_dir)
        names = [c.name for c in couples]
        self.all_slips.value = (
            str(
                slips_link(
                    couples,
                    self.lang,
                    self.ngettext(
                        "Print the join-code slip of the couple",
                        "Print the join-code slips of all %(n)d couples",
                        len(couples),
                    )
                    % {"n": len(couples)},
                )
            )
            if couples
            else ""
        )
        chosen = self.replace_which.value
        choose = self.gettext(CHOOSE_COUPLE)
        self.replace_which.options = [(choose, ""), *((name, name) for name in names)]
        self.replace_which.value = chosen if chosen in names else ""
        result = aggregate_trends(self.data_dir, min_couples=self.min_couples, lang=self.lang)
        if result.points is None:
            self.chart.value = b""
            self.chart.layout.display = "none"
        else:
            figure = charts.aggregate_chart(result.points, figsize=CHART_SIZE, lang=self.lang)
            self.chart.value = charts.figure_to_png(figure, dpi=CHART_DPI)
            self.chart.layout.display = None
        self.summary.value = str(html("<p class='ht-summary'>{}</p>", result.message))
        return ""

    def _create(self) -> str:
        made = create_couples(self.data_dir, int(self.count.value), self.prefix.value.strip())
        self._made = made
        self._show_made()
        self._refresh()
        said = self.ngettext(
            "Created %(n)d couple workbook.", "Created %(n)d couple workbooks.", len(made)
        )
        return said % {"n": len(made)}

    def _replace(self) -> str:
        if len(self.replace_which.options) <= 1:
            raise ValidationError(
                N_("Create couples first; then their codes can be replaced here.")
            )
        if not self.replace_which.value:
            raise ValidationError(
                N_("Choose the couple whose code was lost or overheard; no code was changed.")
            )
        name = str(self.replace_which.value)
        if self._confirming != name:
            # One press more: the wrong row chosen in front of the room would cut a couple off.
            self._confirming = name
            return Notice(
                self.gettext(
                    "Press “Give this couple a new code” again to replace the code of "
                    "%(name)s. Their old code, and their pages open with it, stop working."
                )
                % {"name": name}
            )
        self._confirming = None
        made = replace_code(self.data_dir, name)
        self._replaced = [made]
        # The list (and slips) of couples just created must not keep the dead code.
        self._made = [made if c.name == made.name else c for c in self._made]
        self._show_made()
        self._refresh()
        return self.gettext(
            "%(name)s has a new code; the old one no longer opens their workbook."
        ) % {"name": made.name}

    def _choose_other(self, _change: object = None) -> None:
        if self._confirming is not None:
            self._confirming = None
            self.replace_status.clear()
        if self._replaced and self._replaced[0].name != self.replace_which.value:
            # The box now speaks of another couple: the last new slip goes (its code is in the
            # list of couples just created, and in the table, when codes are shown).
            self._replaced = []
            self._show_made()

    def _show_made(self) -> None:
        shown = bool(self.show_codes.value)
        _ = self.gettext
        note = (
            _(
                "Join codes are on screen now: anyone who can see this screen can read them, "
                "and a code opens that couple's workbook. Untick to hide them again."
            )
            if shown
            else _(
                "Join codes are hidden, so a projected screen does not show them: "
                "anyone who sees a code can open that couple's workbook."
            )
        )
        self.codes_note.value = str(
            html("<p class='{}'>{}</p>", "ht-p ht-codes-shown" if shown else "ht-small", note)
        )
        made, replaced = self._made, self._replaced
        self.codes.value = str(codes_html(made, self.lang, show_codes=shown)) if made else ""
        self.new_code.value = (
            str(codes_html(replaced, self.lang, show_codes=shown, replaced=True))
            if replaced
            else ""
        )

    def _codes_shown(self, _change: object = None) -> None:
        self._show_made()
        self.refresh()

    def _step_changed(self, _change: object = None) -> None:
        sheet = str(self.sheet_lang.value)
        self.download.value = str(worksheet_link(int(self.step.value), sheet, self.lang))


def locked_panel(lang: str | None = None) -> widgets.VBox:
    """What a visitor without the facilitator key sees."""
    _ = translator(lang).gettext
    box = card(
        # A partner may land here (a link passed on, a guess): their way is the start page.
        start_page_link(
            _("Here for your own workbook? Your pages begin on the start page."), _, lang
        ),
        paragraph(
            _(
                "This page is for the workshop's facilitator. Open it with the facilitator's "
                "address, the one the server printed when it started (it carries a key). "
                "Once opened, a reload or Back in the same browser opens it again until the "
                "browser is closed or the quick exit is used. To choose the key yourself, "
                "start the server with "
                "%(setting)s set and add ?key=… with the same value to this page's address."
            )
            % {"setting": settings.FACILITATOR_KEY.name}
        ),
        title=_("For the facilitator"),
    )
    page = widgets.VBox([box, footer(None, lang=lang)], layout=layout())
    page.add_class("ht-page")
    return page


def facilitator_page(data_dir: Path | str | None = None, lang: str | None = None) -> widgets.Widget:
    """The facilitator's page for the workshop folder (the data folder by default), in `lang`
    or the address's ``lang=es`` (English by default).

    Served by Voila it waits for the page request (preheated kernels) and checks the
    facilitator key before reading anything; in JupyterLab it opens directly.
    """
    query = read_query() if served_by_voila() else {}
    lang = known(lang) or known(query.get("lang"))
    if not served_by_voila():
        return styled(with_intro("facilitator", FacilitatorDashboard(data_dir, lang=lang)))
    opened = opened_with(query, request_cookies())
    if opened is None:
        return locked_panel(lang)
    page = styled(with_intro("facilitator", FacilitatorDashboard(data_dir, lang=lang)))
    if opened == "key" and isinstance(page, widgets.Box):
        page.children = (*page.children, keep_opened(settings.FACILITATOR_KEY.read() or ""))
    return page
