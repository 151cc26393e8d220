"""The weekly relationship-satisfaction check (CSI-4), answered by each partner on their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from .. import stats
from ..domain import CSI4_DISTRESS_CUTOFF, CSI4_ITEMS, ValidationError
from ..i18n import N_, format_date
from ..markup import html, join
from ..stats.wording import decimal
from .base import Session, Status, button, card, guarded, html_text, layout

#: Where the four questions come from, said on the page (free for clinical and research use).
CSI4_SOURCE = N_(
    "The four questions are the Couples Satisfaction Index, CSI-4 (Funk & Rogge, 2007, "
    "Journal of Family Psychology 21(4), 572–583), free for clinical and research use."
)
#: How the last answer's day and the next due day are written (Babel patterns, per language).
LAST_DAY = N_("dd MMM y")
DUE_DAY = N_("EEEE dd MMM")


class SatisfactionCheck(widgets.VBox):
    """The CSI-4's four questions, at most once a week per partner, with when it is next due."""

    def __init__(self, session: Session, *, on_saved: Callable[[], None] | None = None) -> None:
        self.session = session
        _ = session.gettext
        self._on_saved = on_saved
        self.questions = []
        for number, (question, labels) in enumerate(CSI4_ITEMS, start=1):
            choice = widgets.RadioButtons(
                options=[(_(label), score) for score, label in enumerate(labels)],
                value=None,
                description=f"{number}. {_(question)}",
                layout=layout(),
                style={"description_width": "initial"},
            )
            choice.add_class("ht-stacked")
            choice.add_class("ht-csi4-item")
            self.questions.append(choice)
        self.save = button(_("Save this week's answers"))
        self.status = Status(session.gettext)
        self.due = html_text(wide=True)
        self.form = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.save.on_click(lambda _: guarded(self.status, self._save))
        intro = html_text(
            html(
                "<p class='ht-p'>{}</p><p class='ht-small'>{}</p>",
                _(
                    "Once a week, four questions about how your relationship feels. Each of you "
                    "answers on your own; your totals appear on the trends page for both of you."
                ),
                _(CSI4_SOURCE),
            )
        )
        super().__init__(
            [card(intro, self.due, self.form, self.status, title=_("Weekly satisfaction check"))],
            layout=layout(),
        )
        self.add_class("ht-csi4")
        self.refresh()

    def refresh(self, today: date | None = None) -> None:
        """Say when the next check is due, and offer the questions only when it is."""
        today = today or date.today()
        wb, who, lang = self.session.wb, self.session.who, self.session.lang
        _ = self.session.gettext
        mine = wb.csi4(who)
        due = wb.csi4_next_due(who)
        lines = []
        if mine:
            last = mine[-1]
            said = (
                _("Your last total was %(total)d of 21 (below the %(line)s line), on %(day)s.")
                if last.total < CSI4_DISTRESS_CUTOFF
                else _("Your last total was %(total)d of 21 (above the %(line)s line), on %(day)s.")
            )
            lines.append(
                said
                % {
                    "total": last.total,
                    "line": decimal(CSI4_DISTRESS_CUTOFF, lang),
                    "day": format_date(last.day, lang, _(LAST_DAY)),
                }
            )
            # The number means little without the line.
            lines.append(stats.csi4_line_meaning(lang))
        if due is None or due <= today:
            lines.append(_("This week's check is due now: it takes about a minute."))
            self.form.children = (*self.questions, self.save)
        else:
            lines.append(
                _("The next one is due on %(day)s.") % {"day": format_date(due, lang, _(DUE_DAY))}
            )
            self.form.children = ()
        self.due.value = str(join(html("<p class='ht-summary'>{}</p>", line) for line in lines))

    def _save(self) -> str:
        answers = [q.value for q in self.questions]
        missing = [str(i) for i, v in enumerate(answers, start=1) if v is None]
        if missing:
            if len(missing) < 4:
                raise ValidationError(
                    N_("Answer question %(numbers)s too; nothing was saved yet."),
                    numbers=", ".join(missing),
                )
            raise ValidationError(
                N_("Choose an answer for each of the four questions. Nothing was saved.")
            )
        saved = self.session.wb.add_csi4(self.session.who, tuple(answers))
        for q in self.questions:
            q.value = None
        self.refresh()
        if self._on_saved is not None:
            self._on_saved()
        return self.session.gettext("Saved: your total is %(total)d of 21. Thank you.") % {
            "total": saved.total
        }
