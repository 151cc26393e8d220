"""The child side of `workbook serve`: Voila's own application with the workbook's additions.

``/`` redirects to the start page (query string kept), the project's page template is found
inside the package, a non-loopback address is refused without a token, the kernel websocket
speaks only the v1 protocol with every frame checked, and ``/voila/query/`` needs the token.
`workbook serve` runs it as ``python -m workbook.voila_app NOTEBOOKS_DIR ...`` (the command
line of `workbook.serving.voila_argv`); built lazily: importing this module imports no Voila.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from markupsafe import Markup

from . import log_privacy, settings
from .forked_kernels import ForkingProvisioner
from .page_words import template_resources
from .paths import ensure_private_dir
from .server_pages import KEY_NEEDED_PAGE, signed_out_page
from .server_secret import cookie_secret
from .serving import (
    _WILDCARDS,
    JUPYTER_DATA_ROOT,
    START_PAGE,
    ServingError,
    app_url,
    cacheable_labextensions,
    check_host_token,
    print_url,
)
from .settings import DEFAULT_HOST


@functools.cache
def make_app_class() -> type[Any]:
    """Build `WorkbookVoila` lazily so importing this module does not import Voila."""
    import json

    from jupyter_server.auth.decorator import allow_unauthenticated, ws_authenticated
    from jupyter_server.auth.logout import LogoutHandler
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web
    from tornado.ioloop import IOLoop
    from tornado.websocket import WebSocketHandler
    from traitlets import Int, Unicode
    from voila.app import Voila
    from voila.exporter import VoilaExporter
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
    from voila.voila_identity_provider import VoilaLoginHandler

    from . import template_code
    from .kernel_guard import KERNEL_WS_PROTOCOL, CheckedKernelConnection, v1_frame_offsets

    # Every page's exporter shares one compiled copy of the templates (template_code).
    template_code.install(VoilaExporter)

    class PlainErrors:
        """Refusals as a short text: Jupyter's error page needs settings Voila does not set."""

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            self.finish(f"{status_code}: refused")  # type: ignore[attr-defined]

    class KernelChannels(PlainErrors, VoilaKernelWebsocketHandler):
        """The kernel websocket of a page, on the v1 protocol only, with frames checked.

        Voila 0.5.13 reads every binary message to the browser as a v1 frame. On the legacy
        protocol a message with a binary buffer (any Image widget's state) has another layout,
        and Voila looped on its first bytes taken as an offset count: memory grew by hundreds
        of MB while no page answered. The legacy protocol is refused at the handshake, and
        frames in both directions are checked before anyone loops over their offsets.
        """

        async def get(self, *args: Any, **kwargs: Any) -> None:
            if self.current_user is None:  # the same answer as jupyter_server's, first
                raise web.HTTPError(403)
            offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
            if KERNEL_WS_PROTOCOL not in {part.strip() for part in offered.split(",")}:
                self.log.warning("Refused a kernel websocket without the v1 protocol.")
                self.set_status(400)
                self.finish(f"This server speaks only the {KERNEL_WS_PROTOCOL} protocol.")
                return
            await super().get(*args, **kwargs)

        def select_subprotocol(self, subprotocols: list[str]) -> str | None:
            return KERNEL_WS_PROTOCOL if KERNEL_WS_PROTOCOL in subprotocols else None

        def on_message(self, message: str | bytes) -> None:
            if not isinstance(message, bytes) or v1_frame_offsets(message) is None:
                self.log.warning("Closed a kernel websocket that sent a malformed frame.")
                self.close(1003, "malformed frame")
                return
            super().on_message(message)

        def write_message(self, message: Any, binary: bool = False) -> Any:
            # Voila's own write_message drops execute_input (so that no page shows code);
            # the same here, with the frame's offsets checked before they are read.
            if isinstance(message, bytes):
                offsets = v1_frame_offsets(message)
                if offsets is None:
                    self.log.warning("Dropped a kernel message that is not a v1 frame.")
                    return None
                try:
                    header = json.loads(message[offsets[1] : offsets[2]])
                except ValueError:
                    header = None
                if isinstance(header, dict) and header.get("msg_type") == "execute_input":
                    return None
                return WebSocketHandler.write_message(self, message, binary=binary)
            return super().write_message(message, binary)

    class RequestInfo(PlainErrors, RequestInfoSocketHandler, JupyterHandler):
        """``/voila/query/<kernel id>``: the page's query string, for the token holder only.

        Voila 0.5.13 serves it to anyone, and the query holds the token and the join code.
        """

        async def prepare(self, *args: Any, **kwargs: Any) -> None:
            # A websocket without the token is refused (403), not sent to the login form.
            await super().prepare(*args, **kwargs, _redirect_to_login=False)

        def set_default_headers(self) -> None:
            """No page headers on a websocket (as jupyter_server's own websockets)."""

        @ws_authenticated
        async def get(self, *args: Any, **kwargs: Any) -> None:
            result = super().get(*args, **kwargs)
            if result is not None:
                await result

    class Page(TornadoVoilaHandler):
        """A notebook page that also sets the ``_xsrf`` cookie.

        When a page is left, Voila's page script posts ``/voila/api/shutdown/<kernel id>`` with
        the ``_xsrf`` cookie's value; Voila's page handler never set that cookie, so every
        shutdown was refused (403) and each left page's kernel lived until the idle cull.
        """

        async def prepare(self, *args: Any, **kwargs: Any) -> None:
            await super().prepare(*args, **kwargs)
            self.xsrf_token  # noqa: B018 - reading it sets the cookie (tornado)

    class SignedOut(PlainErrors, LogoutHandler):
        """``/logout``: forget this browser's login and say so calmly.

        Jupyter Server's logout page needs settings Voila does not set: it answered 500.
        """

        @allow_unauthenticated
        def get(self) -> None:
            self.identity_provider.clear_login_cookie(self)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(signed_out_page(self.get_argument("lang", None)))

    class KeyNeeded(VoilaLoginHandler):
        """``/login``: an address without its key gets a calm page of the app's own.

        Jupyter's login page speaks of Jupyter servers and passwords and has no quick exit.
        """

        def _render(self, message: dict[str, str] | None = None) -> None:
            self.set_header("Cache-Control", "no-store")
            self.write(
                KEY_NEEDED_PAGE.render(
                    xsrf=Markup(self.xsrf_form_html()),  # noqa: S704 - tornado's own hidden field
                    next=self.get_argument("next", default=self.base_url),
                    refused=bool(message),
                    exit_url=settings.exit_url(),
                )
            )

    replaced_handlers = {
        VoilaKernelWebsocketHandler: KernelChannels,
        RequestInfoSocketHandler: RequestInfo,
        TornadoVoilaHandler: Page,
        LogoutHandler: SignedOut,
        VoilaLoginHandler: KeyNeeded,
    }

    class ExitSittings(web.RequestHandler):
        """``POST <base>ht/exit``: the quick exit's beacon ends the sittings it names
        (`workbook.exit_sittings`). It needs no token or XSRF value: it can only lock."""

        def check_xsrf_cookie(self) -> None:
            return None  # a beacon cannot carry one; ending a sitting only locks

        def initialize(self, data_dir: str) -> None:
            self.data_dir = Path(data_dir) if data_dir else None

        async def post(self) -> None:
            from .exit_sittings import end_sittings
            from .paths import default_data_dir

            # In a thread: ending waits for the file's writers, and its scrub for other pages'
            # readers, which must not stall every other page's requests.
            await IOLoop.current().run_in_executor(
                None, end_sittings, self.data_dir or default_data_dir(), self.request.body
            )
            self.set_status(204)

    class StartPageRedirect(web.RequestHandler):
        """``/`` -> the start page, keeping ``?token=...&wb=...``."""

        def initialize(self, target: str) -> None:
            self.target = target

        def get(self) -> None:
            query = self.request.query
            self.redirect(self.target + (f"?{query}" if query else ""), permanent=False)

        head = get

    class WorkbookVoila(Voila):
        """Voila with the workbook's start page, template location and token rule."""

        start_page = Unicode(
            START_PAGE,
            config=True,
            help="Notebook (relative to the served folder) that / redirects to; '' for none.",
        )
        data_dir = Unicode(
            "",
            config=True,
            help="Data folder for the workbooks, given to kernels as WORKBOOK_DATA.",
        )

        start_pool_size = Int(
            0,
            config=True,
            help="Kernels kept ready for the start page (a workshop's arrivals); 0: as others.",
        )

        @property
        def themes_dir(self) -> str:
            # Voila finds its themes under its own data_dir, which the trait above (the
            # workbooks' folder) hides: without this, /voila/api/themes/ (served without the
            # token) would read from a "themes" folder beside the couples' workbooks.
            from voila.utils import get_data_dir

            return str(Path(get_data_dir()) / "themes")

        def records_from_log_level(self) -> None:
            """Make no log record below the log level.

            traitlets leaves the app's logger at DEBUG and filters at its handler: every debug
            line of Voila and nbclient (each message of each page's preheat, with its content)
            was still made into a record and scrubbed (log_privacy), about a fifth of the
            server's CPU, and then dropped.
            """
            self.log.setLevel(self.log_level)

        def initialize(self, argv: Any = None) -> None:
            # Templates are looked up on the Jupyter data path when the app initialises.
            _prepend_env_path("JUPYTER_PATH", str(JUPYTER_DATA_ROOT))
            log_privacy.install()  # before Voila logs anything
            self.log.addFilter(_drop_not_trusted)
            logging.getLogger("tornado.general").addFilter(_drop_ping_notice)
            super().initialize(argv)
            self.records_from_log_level()
            # A page's kernel answers only that page, and frames are checked (kernel_guard).
            self.kernel_websocket_connection_class = CheckedKernelConnection
            token = settings.take(settings.TOKEN) or None
            check_host_token(self.ip, token)
            if token:
                self.token = token
            # The kernels' wait_for_request (workbook.request) authenticates with it; the
            # facilitator page shows the room the address the couples open.
            room = app_url(self.ip, self.port, token)
            settings.export({settings.QUERY_TOKEN: token, settings.ROOM_ADDRESS: room})
            self.configure_pools()
            # The page template reads the quick exit's address and words from its resources.
            resources = self.config.VoilaConfiguration.get("resources")
            extra = dict(resources) if isinstance(resources, dict) else {}
            self.config.VoilaConfiguration.resources = {**extra, **template_resources()}
            if self.data_dir:
                folder = str(ensure_private_dir(Path(self.data_dir)))
                settings.export({settings.DATA: folder})
                # Logins outlive a restart with the same token (workbook.server_secret).
                self.cookie_secret = cookie_secret(Path(folder), token)
            # Preheated kernels fetch their request (query string) from this server with
            # voila.utils.wait_for_request(), which connects to VOILA_APP_IP (default
            # 127.0.0.1): point it at an address this server actually listens on.
            wildcard = self.ip in _WILDCARDS
            os.environ["VOILA_APP_IP"] = DEFAULT_HOST if wildcard else self.ip.strip("[]")

        def configure_pools(self) -> None:
            """Keep `start_pool_size` kernels ready for the start page (Voila's kernel pools)."""
            if self.start_pool_size and self.start_page:
                self.config.VoilaKernelManager.kernel_pools_config = start_pools(
                    self.start_page,
                    self.config.VoilaConfiguration.get("default_pool_size", 1),
                    self.start_pool_size,
                )

        def init_handlers(self) -> list[Any]:
            handlers: list[Any] = super().init_handlers()
            handlers = [
                (spec[0], replaced_handlers.get(spec[1], spec[1]), *spec[2:]) for spec in handlers
            ]
            if KernelChannels not in (spec[1] for spec in handlers):
                raise RuntimeError("Voila's kernel websocket route was not found to guard.")
            handlers = [cacheable_labextensions(spec) for spec in handlers]
            exit_route = url_path_join(self.base_url, "ht/exit")
            handlers.insert(0, (exit_route, ExitSittings, {"data_dir": self.data_dir}))
            if self.start_page and not self.notebook_path:
                target = url_path_join(self.base_url, "voila/render", self.start_page)
                root = (self.server_url, StartPageRedirect, {"target": target})
                handlers.insert(0, root)
            return handlers

        def start(self) -> None:
            import tornado.ioloop

            # Runs once the loop starts, i.e. after Voila is listening on its port.
            tornado.ioloop.IOLoop.current().add_callback(self._announce)
            super().start()

        def stop(self) -> None:
            # Voila's own stop gave up at a kernel still starting ("Kernel does not exist"),
            # leaving kernels and connection files: the template process ends what is left.
            try:
                run_sync(self.kernel_manager.shutdown_all)()
            except Exception as error:  # what is left is ended below
                self.log.info("Kernels still starting at the stop: %s", error)
            finally:
                ForkingProvisioner.zygote.close()
                shutil.rmtree(self.connection_dir, ignore_errors=True)

        def _announce(self) -> None:
            if self.token and settings.HIDE_TOKEN.is_on():
                # A token given as a secret stays out of the log (a container's log is kept).
                print_url(app_url(self.ip, self.port) + "?token=<the token you gave the server>")
                return
            print_url(app_url(self.ip, self.port, self.token or None))

        def launch_browser(self) -> None:
            # Voila's own opener drops the token; open the same link we print, on loopback
            # when listening everywhere (this browser runs on this computer).
            import webbrowser

            host = DEFAULT_HOST if self.ip in _WILDCARDS else self.ip
            webbrowser.open(app_url(host, self.port, self.token or None), new=2)

    return WorkbookVoila


def start_pools(start_page: str, pool_size: int, start_pool_size: int) -> dict[str, Any]:
    """Voila's kernel pools: `start_pool_size` ready for the start page, `pool_size` elsewhere."""
    return {"default": {"pool_size": pool_size}, start_page: {"pool_size": start_pool_size}}


def _drop_not_trusted(record: Any) -> bool:
    """Leave out Jupyter's "Notebook ... is not trusted" (at every page view): Voila runs each
    notebook itself, committed without outputs, so a signature means nothing here."""
    message = str(getattr(record, "msg", ""))
    return not (message.startswith("Notebook ") and message.endswith(" is not trusted"))


def _drop_ping_notice(record: Any) -> bool:
    """Leave out tornado's "The websocket_ping_timeout (90000) cannot be longer than ...",
    noted at every start's first page (Jupyter Server's pings are in ms): nothing to act on."""
    return not str(getattr(record, "msg", "")).startswith("The websocket_ping_timeout (")


def _prepend_env_path(name: str, entry: str) -> None:
    parts = [p for p in os.environ.get(name, "").split(os.pathsep) if p and p != entry]
    os.environ[name] = os.pathsep.join([entry, *parts])


#: Costly optional imports nothing here uses: jsonschema (Jupyter Server's event logger) checks
#: 'iri' formats with rfc3987-syntax, which compiles a grammar (1.2 of Voila's 1.8 CPU-s).
NOT_IMPORTED = ("rfc3987_syntax",)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the app on a command line built by `workbook.serving.voila_argv`."""
    for name in NOT_IMPORTED:  # `import` of a None entry raises ImportError, which is optional
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    app_class = make_app_class()
    try:
        app_class.launch_instance(list(sys.argv[1:] if argv is None else argv))
    except ServingError as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
