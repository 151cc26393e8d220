"""The page "For your counsellor": each partner agrees (or withdraws), then a printable report.

Each partner ticks for themself (`ReportConsent`); agreeing needs their own passphrase when they
have one, so the other partner cannot agree in their name. The report (`workbook.report`) is
offered only while both agree, with the parts the couple chooses (`ReportMaker`). A change of
either partner's agreement is published once as ``report-consent``; the partner's, made on
their own phone, arrives through the page's watcher.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..i18n import N_, format_date
from ..markup import html
from ..report import SECTIONS, missing_consent, report_filename, report_html
from .base import (
    CardForm,
    Session,
    Status,
    card,
    download_link,
    guarded,
    html_text,
    layout,
    say,
    tick_box,
)
from .corrections import on_entries_changed
from .intro import with_intro
from .pages import Page, page_for
from .passphrase import InlinePrivacy

TOPIC = "report-consent"
#: How the day the other partner agreed is written (a Babel pattern, per language).
SINCE_DAY = N_("dd MMM y")


class ReportConsent(widgets.VBox):
    """This partner's own "I agree" and where the other partner stands."""

    def __init__(self, session: Session) -> None:
        self.session = session
        _ = session.gettext
        agreed = session.wb.report_consent(session.who) is not None
        self.box = tick_box(_("I agree to a report for our counsellor"), agreed)
        self.box.add_class("ht-report-agree")
        self.state = html_text(wide=True)
        self.status = Status(session.gettext)
        self.unlock = InlinePrivacy(session.privacy, purpose=_("Only you can agree in your name."))
        self._quiet = False
        self.box.observe(self._changed, names="value")
        super().__init__(
            [card(self.box, self.unlock, self.status, self.state, title=_("Do you both agree?"))],
            layout=layout(),
        )
        session.subscribe(self.refresh, TOPIC)
        session.privacy.subscribe(self.refresh)
        session.live.start()  # the partner's tick shows as it happens
        self.refresh()

    def _changed(self, _change: object = None) -> None:
        if self._quiet:
            return
        agree = bool(self.box.value)

        def act() -> str:
            try:
                self.session.wb.set_report_consent(self.session.who, agree)
            except Exception:
                self._set_box(not agree)  # nothing changed: the box says so too
                raise
            self.session.publish(TOPIC)
            _ = self.session.gettext
            if agree:
                return _("Thank you: you agree. You can withdraw at any time here.")
            return _("You have withdrawn. No report can be made until you agree again.")

        guarded(self.status, act)

    def _set_box(self, value: bool) -> None:
        self._quiet = True
        try:
            self.box.value = value
        finally:
            self._quiet = False

    def refresh(self) -> None:
        """Show both partners' agreement as the file has it now."""
        wb, who = self.session.wb, self.session.who
        self._set_box(wb.report_consent(who) is not None)
        # Agreeing in your own name needs your passphrase when you have one.
        self.unlock.want(not wb.may_view_as(who) and not self.box.value)
        _ = self.session.gettext
        other = self.session.other_name
        theirs = wb.report_consent(self.session.other)
        if theirs is None:
            line = _(
                "%(other)s has not agreed. Nothing can be made until they tick it on their "
                "own page; there is no reminder or message to them from here."
            ) % {"other": other}
        else:
            since = format_date(theirs.astimezone().date(), self.session.lang, _(SINCE_DAY))
            # "too" only when this partner agrees as well.
            line = (
                _("%(other)s agrees too (since %(day)s).")
                if self.box.value
                else _("%(other)s agrees (since %(day)s).")
            ) % {"other": other, "day": since}
        say(self.state, line, "ht-summary ht-report-other")


class ReportMaker(CardForm):
    """The parts to include, and the report to download once both agree."""

    def __init__(self, session: Session) -> None:
        self.session = session
        _ = session.gettext
        self.parts = {key: tick_box(_(text), value=True) for key, text in SECTIONS.items()}
        self.make = self.action(_("Make the report"), self._make)
        self.note = html_text(wide=True)
        self.link = html_text()
        super().__init__(
            self.note,
            *self.parts.values(),
            self.make,
            self.status,
            self.link,
            title=_("The report"),
        )
        self.add_class("ht-report-maker")
        session.subscribe(self.refresh, TOPIC)
        # A report made before an answer changed must not still offer the old words.
        on_entries_changed(session, self._forget)
        self.refresh()

    def _forget(self) -> None:
        self.link.value = ""

    def refresh(self) -> None:
        """Offer the report while both agree; say who has not agreed otherwise."""
        _ = self.session.gettext
        missing = missing_consent(self.session.wb)
        self.make.disabled = bool(missing)
        if missing:
            self.link.value = ""  # a withdrawal takes the made report off the page at once
            self.status.clear()  # and its "The report is ready" with it
            text = (
                _("Waiting for %(who)s to agree.") % {"who": missing[0]}
                if len(missing) == 1
                else _("Waiting for %(a)s and %(b)s to agree.") % {"a": missing[0], "b": missing[1]}
            )
        else:
            text = _(
                "You both agree. Choose what goes in, then make the report: it downloads as a "
                'page to open in your browser and print, or print to "Save as PDF".'
            )
        say(self.note, text)

    def _make(self) -> str:
        chosen = [key for key, box in self.parts.items() if box.value]
        wb = self.session.wb
        _ = self.session.gettext
        # Refuses, with a clear message, unless both agree; written in this partner's language.
        page = report_html(wb, chosen, lang=self.session.lang)
        self.link.value = str(
            html(
                "<nav class='ht-nav' aria-label='{}'>{}</nav>",
                _("Report"),
                download_link(
                    page, report_filename(wb), _("Download the report"), cls="ht-link-button"
                ),
            )
        )
        parts = "; ".join(_(SECTIONS[k])[0].lower() + _(SECTIONS[k])[1:] for k in chosen)
        return _("The report is ready. It holds %(parts)s.") % {"parts": parts}


class CounsellorPage(Page):
    """For your counsellor: both partners agree, then the report of what they choose."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.consent = ReportConsent(session)
        self.maker = ReportMaker(session)
        super().__init__(session, "counsellor", self.consent, self.maker)


def counsellor_page(wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The page for the workbook and partner in the URL (or the notebook's parameters)."""
    return with_intro("counsellor", page_for(CounsellorPage, wb_name, who))
