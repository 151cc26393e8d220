"""The trends dashboard: both partners' mood and trust, the gap, promises, CSI-4, a calendar.

Charts come from `workbook.charts` (pure functions returning a Figure) and are shown as PNG
images; each has its plain-language summary beside it. Only entries the viewing partner may see
are drawn: shared ones, and their own private check-ins once unlocked, never the other's.

On the served page the charts are drawn in a background thread once the browser has loaded the
page (`PageShown`): the summaries, the period controls and the check-in form come at once, and
each chart fills in when it is ready (five charts at phone sharpness take about a second of a
small machine's processor, which would otherwise delay the page). The workbook is read on the
calling thread; the worker only turns plain data into pictures.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import date, timedelta

import ipywidgets as widgets
from matplotlib.figure import Figure

from .. import charts, stats
from ..domain import CheckIn, ValidationError
from ..i18n import N_
from ..markup import Markup, html, join
from ..store import checkins_csv
from .base import (
    PageShown,
    Session,
    Status,
    card,
    date_picker,
    download_link,
    guarded,
    html_text,
    layout,
    paragraph,
)
from .checkin import CheckInForm
from .corrections import on_entries_changed
from .intro import with_intro
from .pages import Page, page_for
from .satisfaction import SatisfactionCheck
from .trend_parts import CHART_TITLES, ChartPanel, about_measures, period_weeks

RANGES: tuple[tuple[str, int | None], ...] = (
    (N_("Last 4 weeks"), 28),
    (N_("Last 3 months"), 91),
    (N_("Last 6 months"), 182),
    (N_("Last year"), 365),
    (N_("Everything"), None),
)


log = logging.getLogger(__name__)

#: One chart drawn at a time in a kernel: matplotlib shares font and text caches between
#: figures, and the figures of a stale refresh are not worth the processor time.
_DRAW_LOCK = threading.Lock()


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


def _return_freed_memory() -> None:
    """Collect the drawn figures (matplotlib artists hold reference cycles) and hand the freed
    heap back to the system, so a long-lived page kernel does not keep the peak of drawing.

    ``malloc_trim`` exists in glibc only; elsewhere the garbage collection alone is done.
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


#: PNG resolution: sharp on 2x phone screens (a page-wide figure is 630 pixels).
CHART_DPI = 175

#: Figure sizes in inches, `charts.PAGE_WIDTH` wide: the width the page shows them at
#: (28rem at most, about 312 CSS px on a 375-pixel phone) keeps every label 11 px or more.
PHONE_TALL = (charts.PAGE_WIDTH, 4.6)
PHONE_WIDE = (charts.PAGE_WIDTH, 3.4)


#: The days a period may start or end on: the summaries look weeks back and ahead of them, which
#: dates at the ends of the calendar (0001-01-01, 9999-12-31) cannot do.
PERIOD_DAYS = (date(1900, 1, 1), date(2999, 12, 31))


class TrendsDashboard(widgets.VBox):
    """Date range, download, and the five charts with their summaries.

    With ``background=True`` the summaries are set at once and the charts are drawn in a
    worker thread: from the first `start_drawing` call on (the page makes it when the browser
    has loaded the page), after every refresh. `wait` blocks until the latest drawing is done.
    A refresh that comes while an older one is still drawing makes the older one stop at its
    next chart. Without it, every chart is drawn before a refresh returns.
    """

    def __init__(
        self,
        session: Session,
        *,
        today: date | None = None,
        background: bool = False,
    ) -> None:
        self.session = session
        self.lang = session.lang
        _ = session.gettext
        self.today = today or date.today()
        self.background = background
        self._held = background  # until start_drawing()
        self._generation = 0
        # Held while the generation moves on (with the placeholders) and while a worker checks
        # the generation and then shows its picture, so an older drawing never shows after a
        # newer refresh has begun.
        self._state_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._pending: list[tuple[str, Callable[[], Figure], str]] = []
        self.range = widgets.Dropdown(
            options=[(_(label), days) for label, days in RANGES],
            value=91,
            description=_("Show"),
            layout=layout(),
        )
        self.start = date_picker(_("From"))
        self.end = date_picker(_("To"))
        self.status = Status(session.gettext)
        self.download = html_text()
        self.panels: dict[str, ChartPanel] = {
            key: ChartPanel(_(title), session.gettext) for key, title in CHART_TITLES.items()
        }
        self.hidden = html_text()
        self.range.observe(self._range_changed, names="value")
        self.start.observe(self._dates_changed, names="value")
        self.end.observe(self._dates_changed, names="value")
        controls = card(
            paragraph(_("Choose a period; every chart and summary follows it.")),
            self.range,
            widgets.HBox([self.start, self.end], layout=layout(flex_flow="row wrap")),
            self.hidden,
            self.status,
            self.download,
            title=_("Period"),
        )
        super().__init__(
            [controls, *self.panels.values()],
            layout=layout(),
        )
        self._quiet = False
        self._range_changed()

    # -- period ------------------------------------------------------------------------------

    def period(self) -> tuple[date | None, date]:
        """The chosen first and last day (first None means from the beginning)."""
        return self.start.value, self.end.value or self.today

    def _range_changed(self, _change: object = None) -> None:
        days = self.range.value
        self._quiet = True
        self.end.value = self.today
        self.start.value = None if days is None else self.today - timedelta(days=days - 1)
        self._quiet = False
        self.refresh()

    def _dates_changed(self, _change: object = None) -> None:
        if not self._quiet:
            self.refresh()

    # -- drawing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the workbook for the period and redraw every chart."""
        guarded(self.status, self._draw)

    def _draw(self) -> str:
        first, last = self.period()
        if first is not None and first > last:
            raise ValidationError(
                N_("The start of the period is after its end. Pick another date.")
            )
        if any(
            day is not None and not PERIOD_DAYS[0] <= day <= PERIOD_DAYS[1] for day in (first, last)
        ):
            raise ValidationError(
                N_("Choose dates from %(first)d to %(last)d for the period."),
                first=PERIOD_DAYS[0].year,
                last=PERIOD_DAYS[1].year,
            )
        wb, who, lang = self.session.wb, self.session.who, self.lang
        names = wb.names()
        checkins = wb.checkins(since=first, until=last, viewer=who)
        promises = [p for p in wb.promises() if first is None or (p.resolved or p.made) >= first]
        answers = [a for a in wb.csi4() if (first is None or a.day >= first) and a.day <= last]
        milestones = [m for m in wb.milestones() if (first is None or m[0] >= first)]
        # Private check-ins of the period this page leaves out, said the same way everywhere.
        hidden = self._hidden_counts(first, last)
        # The summaries speak of the chosen period, as the selector promises ("every chart
        # and summary follows it"): its length in weeks, counted back from its last day.
        weeks = period_weeks(first, last, checkins)
        # Each card names its chart, so the pictures leave their own titles out (the calendar
        # keeps its own, which tells the year).
        jobs: dict[str, tuple[Callable[[], Figure], Callable[[], str]]] = {
            "mood_trust": (
                lambda: charts.mood_trust_chart(
                    checkins, names, milestones, figsize=PHONE_TALL, titled=False, lang=lang
                ),
                lambda: stats.summarize_mood_trust(
                    checkins, names, today=last, weeks=weeks, private=hidden, viewer=who, lang=lang
                ),
            ),
            "gap": (
                lambda: charts.partner_gap_chart(
                    checkins, names, figsize=PHONE_WIDE, titled=False, lang=lang
                ),
                lambda: stats.summarize_gap(checkins, names, today=last, weeks=weeks, lang=lang),
            ),
            "promises": (
                lambda: charts.promise_keeping_chart(
                    promises, names, figsize=PHONE_WIDE, titled=False, lang=lang
                ),
                lambda: stats.summarize_promises(promises, names, lang=lang),
            ),
            "csi4": (
                lambda: charts.csi4_chart(
                    answers, names, figsize=PHONE_WIDE, titled=False, lang=lang
                ),
                lambda: stats.summarize_csi4(answers, names, lang=lang),
            ),
            "calendar": (
                lambda: charts.mood_calendar_chart(checkins, names, year=last.year, lang=lang),
                lambda: stats.summarize_calendar(
                    checkins, names, year=last.year, private=hidden, viewer=who, lang=lang
                ),
            ),
        }
        summaries = {key: summarize() for key, (_, summarize) in jobs.items()}
        for key, summary in summaries.items():
            self.panels[key].show_summary(summary)
        figures = [(key, make_figure, summaries[key]) for key, (make_figure, _) in jobs.items()]
        with self._state_lock:
            self._generation += 1
            if self.background:
                for panel in self.panels.values():
                    panel.show_pending()
                self._pending = figures
        if not self.background:
            self._draw_charts(self._generation, figures)
        elif not self._held:
            self._start_worker()
        self.hidden.value = str(self._hidden_note(hidden))
        self._offer_download(checkins, names)
        self.status.clear()
        return ""

    def _hidden_counts(self, first: date | None, last: date) -> dict[str, int]:
        """How many private check-ins of the period the charts leave out, by partner: the
        other's always, the viewer's own while locked."""
        wb, who = self.session.wb, self.session.who
        counts = {}
        for pid in ("a", "b"):
            if pid == who and wb.is_unlocked(who):
                continue
            counts[pid] = wb.private_checkin_count(pid, since=first, until=last)
        return counts

    def _hidden_note(self, hidden: dict[str, int]) -> Markup:
        """Say how many private check-ins of the period the charts leave out, and whose."""
        names, who = self.session.wb.names(), self.session.who
        lines = [
            stats.private_only(names, pid, n, viewer=who, lang=self.lang)  # type: ignore[arg-type]
            for pid, n in hidden.items()
            if n
        ]
        return join(html("<p class='ht-small ht-hidden-count'>{}</p>", line) for line in lines)

    def start_drawing(self) -> None:
        """Draw the charts held back until the page was shown (and every later refresh)."""
        self._held = False
        self._start_worker()

    def _start_worker(self) -> None:
        with self._state_lock:
            figures, self._pending = self._pending, []
            generation = self._generation
        if not figures:
            return
        self._worker = threading.Thread(
            target=self._draw_charts,
            args=(generation, figures),
            name="trends-charts",
            daemon=True,
        )
        self._worker.start()

    def _draw_charts(
        self, generation: int, figures: list[tuple[str, Callable[[], Figure], str]]
    ) -> None:
        """Draw each chart in turn, unless a newer refresh has started meanwhile."""
        with _DRAW_LOCK:
            try:
                for key, make_figure, summary in figures:
                    if generation != self._generation:
                        return
                    png: bytes | None = None
                    try:
                        png = charts.figure_to_png(make_figure(), dpi=CHART_DPI)
                    except Exception:
                        if not self.background:
                            raise
                        log.exception("drawing the %s chart failed", key)
                    # The figure is garbage now; collect it before the next one is drawn so
                    # that its memory is reused rather than added to.
                    gc.collect()
                    with self._state_lock:
                        if generation != self._generation:
                            return
                        if png is None:
                            self.panels[key].show_failed()
                        else:
                            self.panels[key].show_png(png, summary)
            finally:
                _return_freed_memory()

    def wait(self, timeout: float | None = 60.0) -> bool:
        """Wait until the charts of the latest refresh are drawn; False if time ran out, or if
        they are still held back because no browser has shown the page yet."""
        if self._held and self._pending:
            return False
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
            return not worker.is_alive()
        return True

    def _offer_download(self, checkins: list[CheckIn], names: Mapping[str, str]) -> None:
        """The period's check-ins (those already read for the charts) as a CSV download."""
        self.download.value = str(
            download_link(
                checkins_csv(checkins, names),
                f"{self.session.wb.name}-checkins.csv",
                self.session.gettext("Download these check-ins (CSV)"),
                mime="text/csv",
                cls="ht-link-button",
            )
        )


class TrendsPage(Page):
    """The dashboard page: header, a quick check-in, the dashboard, footer."""

    def __init__(self, session: Session, *, background: bool = True) -> None:
        self.dashboard = TrendsDashboard(session, background=background)
        self.shown = PageShown(self.dashboard.start_drawing)
        self.checkin = CheckInForm(session)
        # A check-in saved, corrected or deleted on this page redraws the charts.
        on_entries_changed(session, self.dashboard.refresh, "checkins")
        self.satisfaction = SatisfactionCheck(session, on_saved=self.dashboard.refresh)
        # Locking or unlocking changes which check-ins the charts may show.
        session.privacy.subscribe(self.dashboard.refresh)
        super().__init__(
            session,
            "trends",
            self.checkin,
            self.dashboard,
            self.satisfaction,
            about_measures(session.gettext),
        )


def trends_page(wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The trends page for the workbook and partner in the URL (or the parameters)."""
    return with_intro("trends", page_for(TrendsPage, wb_name, who))
