"""Who is using a page: the session (workbook and partner), resolved from the page's request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain import PARTNER_IDS, PartnerId, ValidationError
from ..i18n import N_, SOURCE, known, translator
from ..paths import check_name
from ..request import request_query, served_by_voila
from ..store import Workbook, WorkbookError, open_workbook
from .events import Bus
from .logs import route_logs_to_server
from .urls import page_url, workshop_mode

if TYPE_CHECKING:
    from .live import LiveRefresh
    from .sitting import PrivateState


@dataclass
class Session:
    """Who is using the page: the open workbook and the partner writing."""

    wb: Workbook
    who: PartnerId
    code: str | None = None
    #: The language the interface speaks to this partner ("en", "es"); their words and the
    #: other partner's stay as written.
    lang: str = SOURCE
    #: The page request's cookies of this app; None: read them from the request (in Voila).
    cookies: InitVar[dict[str, str] | None] = None
    _privacy: PrivateState | None = field(default=None, repr=False, compare=False)
    _live: LiveRefresh | None = field(default=None, repr=False, compare=False)
    #: The page's one way to announce a change: views subscribe, saves publish (`ui.events`).
    bus: Bus = field(default_factory=Bus, repr=False, compare=False)

    def __post_init__(self, cookies: dict[str, str] | None) -> None:
        # Made first, before any form reads the workbook: it may resume this partner's
        # unlock from the browser's sitting, which changes what the forms may show.
        from .sitting import PrivateState

        self._privacy = PrivateState(self, cookies=cookies)

    @property
    def live(self) -> LiveRefresh:
        """The page's watcher for the partner's new entries (made when a view first asks)."""
        if self._live is None:
            from .live import LiveRefresh

            self._live = LiveRefresh(self.wb, self.bus)
        return self._live

    def subscribe(self, callback: Callable[[], None], *topics: str) -> Any:
        """Refresh `callback` when one of `topics` is published on this page (`ui.events`)."""
        return self.bus.subscribe(callback, *topics)

    def publish(self, *topics: str) -> int:
        """Announce that data of these topics changed: the views of it refresh, once each."""
        return self.bus.publish(*topics)

    def close(self) -> None:
        """This session's views are gone (another partner chosen, the page closed): every
        subscription is released, the watcher stops and the page's timers end."""
        self.bus.close()
        if self._privacy is not None:
            self._privacy.close()

    @property
    def privacy(self) -> PrivateState:
        """The page's one owner of the writer's private-entry state."""
        assert self._privacy is not None
        return self._privacy

    @property
    def name(self) -> str:
        """The writing partner's display name."""
        return self.wb.partner(self.who).name

    @property
    def other(self) -> PartnerId:
        """The other partner's id."""
        return "b" if self.who == "a" else "a"

    @property
    def other_name(self) -> str:
        """The other partner's display name."""
        return self.wb.partner(self.other).name

    def url(self, page: int | str) -> str:
        """Address of another page for this same workbook and partner."""
        return page_url(page, self.wb.name, self.who, self.code, self.lang)

    @property
    def gettext(self) -> Callable[[str], str]:
        """Translate interface text into this session's language (`workbook.i18n`)."""
        return translator(self.lang).gettext

    @property
    def ngettext(self) -> Callable[[str, str, int], str]:
        """Translate text with a count (``ngettext(one, many, n)``, the language's plural forms)."""
        return translator(self.lang).ngettext

    def choose_lang(self, lang: str) -> str:
        """This partner reads the workbook in `lang` from now on: kept with the partner."""
        self.lang = self.wb.set_partner_lang(self.who, lang)
        return self.lang


def kernel_started() -> None:
    """What a page's kernel sets up once, for its page: its log goes to the server's.

    Run when this module is imported, and again by the kernel template process in each kernel
    it forks (workbook/kernel_zygote.py): there the import ran before the kernel had a page.
    """
    if served_by_voila():
        route_logs_to_server()


kernel_started()


class Unresolved(str):
    """Why a page could not open a session: the English sentence (a ``str``, for logs and
    tests), with `shown`, the same in the language the address asked for (`lang`)."""

    lang: str | None = None
    shown: str = ""


def unresolved(
    message: str, lang: str | None, err: ValidationError | WorkbookError | None = None
) -> Unresolved:
    """The sentence for the way-back panel, in English and in the reader's language."""
    found = Unresolved(str(err) if err is not None else message)
    found.lang = known(lang)
    gettext = translator(found.lang).gettext
    found.shown = err.in_language(gettext) if err is not None else gettext(message)
    return found


NO_WORKBOOK = N_("This page does not know which workbook to open.")
NO_WRITER = N_("This page does not know who is writing.")
CODE_ONLY = N_("In this workshop, open your workbook with your couple's code.")


def read_query() -> dict[str, str]:
    """The page's URL query as a dict (empty when not served by Voila).

    With preheated kernels the kernel starts before any request, so this waits for the
    request first (`workbook.request.request_query`), then reads its QUERY_STRING.
    """
    if not served_by_voila():
        return {}

    return request_query()


def page_inputs(wb_name: str | None, who: str | None) -> tuple[str | None, str | None, str | None]:
    """The workbook, partner and join code for this page view.

    Served by Voila, only the URL counts: the notebook's `parameters` defaults (meant for
    JupyterLab and tests) must never open a workbook for a visitor who did not ask for it.
    """
    if served_by_voila():
        query = read_query()
        return query.get("wb"), query.get("who"), query.get("code")
    return wb_name, who, None


def workbook_for(
    wb_name: str | None, code: str | None, lang: str | None = None
) -> tuple[str | None, str | None]:
    """The workbook name to open, from a join code or a name; returns (name, error).

    In a workshop only a join code opens a workbook: names like 'couple-03' are easy to
    guess, codes are not. The error is an `Unresolved`: English, and in `lang` as `shown`.
    """
    if code:
        from ..workshop import resolve_code

        try:
            return resolve_code(None, code), None
        except ValidationError as err:
            return None, unresolved("", lang, err)
    if workshop_mode():
        return None, unresolved(CODE_ONLY, lang)
    return wb_name, None


def resolve_session(
    wb_name: str | None = None, who: str | None = None, query: dict[str, str] | None = None
) -> Session | str:
    """Open the session named by the URL (or the notebook's parameters).

    Returns a Session, or a sentence saying what is missing, for the way-back panel (an
    `Unresolved`: English, and in the address's language as its `shown`).
    """
    if query is None:
        wb_name, who, code = page_inputs(wb_name, who)
        asked = read_query().get("lang")
    else:
        wb_name, who, code = query.get("wb") or wb_name, query.get("who") or who, query.get("code")
        asked = query.get("lang")
    wb_name, problem = workbook_for(wb_name, code, asked)
    if problem:
        return problem
    if not wb_name:
        return unresolved(NO_WORKBOOK, asked)
    try:
        check_name(wb_name)
        book = open_workbook(wb_name)
    except (ValidationError, WorkbookError) as err:
        return unresolved("", asked, err)
    if who not in PARTNER_IDS:
        book.close()
        return unresolved(NO_WRITER, asked)
    # The address's language first (a first visit with ?lang=es), then the partner's choice.
    lang = known(asked) or book.partner_lang(who) or SOURCE
    return Session(wb=book, who=who, code=code, lang=lang)
