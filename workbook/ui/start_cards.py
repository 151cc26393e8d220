"""The start page's cards once a partner is chosen: the first safety question, the map of
steps, the workshop's consent and the version line (the page itself is `workbook.ui.start`).

Each speaks the session's language; names and the workbook's name are shown as written.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..domain import RECORDED_STEPS, STEPS, UNRECORDED_STEPS
from ..i18n import N_
from ..markup import esc, html, join
from ..resources import NOT_ADVISED, resources_line_html
from .base import (
    Session,
    Status,
    card,
    guarded,
    html_text,
    layout,
    page_url,
    paragraph,
    step_title,
    tick_box,
)

#: The safety question's answers, in English: the value the page compares (shown translated).
SAFE_YES = N_("Yes")
SAFE_UNSURE = N_("Not always, or I am not sure")


class ConsentForm(widgets.VBox):
    """A partner's choice to add their mood and trust, anonymously, to the workshop's chart."""

    def __init__(self, session: Session) -> None:
        self.session = session
        _ = session.gettext
        self.box = tick_box(
            _("Add my mood and trust, without my name or words, to the workshop's group chart"),
            session.wb.consent(session.who),
        )
        self.status = Status(session.gettext)
        self.box.observe(self._changed, names="value")
        super().__init__(
            [
                card(
                    paragraph(
                        _(
                            "Off unless you turn it on. Only numbers from shared check-ins are "
                            "used, only when both of you agree, and only once at least three "
                            "couples take part. Private entries and the safety check are never "
                            "included."
                        )
                    ),
                    self.box,
                    self.status,
                    title=_("Workshop group chart"),
                )
            ],
            layout=layout(),
        )

    def _changed(self, _change: object = None) -> None:
        def act() -> str:
            _ = self.session.gettext
            self.session.wb.set_consent(self.session.who, bool(self.box.value))
            if self.box.value:
                return _("Thank you, you are included.")
            return _("You are not included.")

        guarded(self.status, act)


class StepMap(widgets.VBox):
    """All steps with each partner's progress, linking to each page."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.html = html_text()
        super().__init__([card(self.html, title=session.gettext("Your steps"))], layout=layout())
        session.subscribe(self.refresh, "progress")
        session.live.start()  # the partner's progress shows as it happens
        self.refresh()

    def refresh(self) -> None:
        """Re-read progress and rebuild the map."""
        s = self.session
        _ = s.gettext
        wb, who = s.wb, s.who
        names = wb.names()
        mine, theirs = wb.steps_done(who), wb.steps_done(s.other)
        rows = []
        for step in range(1, max(STEPS) + 1):
            marks = []
            if step in UNRECORDED_STEPS:
                # The same whatever anyone did there: nothing on step 8 is ever recorded.
                marks.append(html("<span class='ht-quiet'>{}</span>", _("(nothing here is saved)")))
            if step in mine:
                marks.append(html("<span class='ht-done'>✓ {}</span>", names[who]))
            if step in theirs:
                marks.append(html("<span class='ht-done'>✓ {}</span>", names[s.other]))
            rows.append(
                html(
                    "<li class='ht-step{}'><a href='{}'>{}</a> {}</li>",
                    " ht-step-done" if step in mine else "",
                    s.url(step),
                    step_title(step, _),
                    join(marks, " "),
                )
            )
        total, out_of = len(mine), len(RECORDED_STEPS)
        summary = s.ngettext(
            "%(name)s: %(done)s of %(total)s step done.",
            "%(name)s: %(done)s of %(total)s steps done.",
            out_of,
        )
        self.html.value = str(
            html(
                "<p class='ht-summary'>{0}</p>"
                "<progress max='{1}' value='{2}' aria-label='{3}'></progress>"
                "<ol class='ht-steps'>{4}</ol>"
                "<p><a class='ht-link-button' href='{5}'>{6}</a></p>"
                "<p class='ht-p'><a href='{7}'>{8}</a></p>"
                "<p class='ht-p'><a href='{9}'>{10}</a></p>",
                esc(summary) % {"name": names[who], "done": total, "total": out_of},
                out_of,
                total,
                _("Steps done"),
                join(rows),
                s.url("trends"),
                _("See your trends"),
                s.url("keep"),
                _("Reminders, a backup, or your Daylio diary: keep and move"),
                s.url("counsellor"),
                _("A report for your counsellor, if you both agree"),
            )
        )


class SafetyQuestion(widgets.VBox):
    """The first question on the start page. The answer is never stored."""

    def __init__(self, session: Session | None = None) -> None:
        self.session = session
        _ = session.gettext if session else str
        self.answer = widgets.RadioButtons(
            # Shown in the reader's language; the value stays the English (what is compared).
            options=[(_(SAFE_YES), SAFE_YES), (_(SAFE_UNSURE), SAFE_UNSURE)],
            value=None,
            description=_("Do you feel safe with your partner?"),
            layout=layout(),
            style={"description_width": "initial"},
        )
        self.answer.add_class("ht-stacked")
        self.reply = html_text()
        self.answer.observe(self._answered, names="value")
        super().__init__(
            [
                card(
                    paragraph(_("Only you see this answer; it is not saved anywhere.")),
                    self.answer,
                    self.reply,
                    title=_("First, your safety"),
                )
            ],
            layout=layout(),
        )

    def _answered(self, _change: object = None) -> None:
        s = self.session
        _ = s.gettext if s else str
        url = s.url(8) if s else page_url(8)
        link = html("<a href='{}'>{}</a>", url, _("when to walk away"))
        if self.answer.value == SAFE_YES:
            self.reply.value = str(
                html(
                    "<p class='ht-msg ht-ok'>{}</p>",
                    esc(
                        _(
                            "Good. If that ever changes, the last step, %(walk_away)s, is "
                            "there for you."
                        )
                    )
                    % {"walk_away": link},
                )
            )
        elif self.answer.value:
            self.reply.value = str(
                html(
                    "<div class='ht-msg ht-error' role='alert'><p>{} {}</p>"
                    "<p>{} <a href='{}'>{}</a>.</p></div>",
                    _("Your safety comes first."),
                    _(NOT_ADVISED),
                    resources_line_html(s.lang if s else None),
                    url,
                    _("Read more, privately"),
                )
            )
        else:
            self.reply.value = ""


def version_line() -> widgets.HTML:
    """The start page's last line: the app's name and version (workbook.__version__)."""
    from .. import __version__

    return html_text(html("<p class='ht-small ht-version'>Healing Together {}</p>", __version__))
