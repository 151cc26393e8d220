"""JupyterHub configuration for Healing Together: one server per couple, Voila as the app.

Run it with ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` (see README.md beside it).

Each account (one per couple) gets its own single-user Jupyter server, started by the hub with
``jupyterhub-singleuser``; Voila runs inside it as a Jupyter server extension, and the account's
start page is ``/user/<name>/voila/render/00_start.ipynb``. The same notebooks, package, page
template and Voila settings as ``workbook serve`` are used.

Settings come from environment variables so that this file can stay as it is:

``HEALING_NOTEBOOKS``      folder of the workbook notebooks (default: ../../notebooks from here)
``HEALING_WORKSHOP_DIR``   the workshop's data volume (default /srv/healing-together/workshop)
``HEALING_DATA_LAYOUT``    ``per-account`` (default): each account's workbooks live in
                           ``$HEALING_WORKSHOP_DIR/<account>/``, created 0700 for that account;
                           ``shared``: every account uses ``$HEALING_WORKSHOP_DIR`` itself (only
                           when every server runs as one Unix user; read README.md first)
``HEALING_HUB_BIND_URL``   where the hub's proxy listens (default http://127.0.0.1:8000)
``HEALING_HUB_STATE``      folder for the hub database and cookie secret (default /srv/jupyterhub)
``HEALING_HUB_FACILITATORS`` comma-separated facilitator accounts (default: facilitator): they
                           see the admin page and stop servers, but cannot open anyone's pages
``HEALING_HUB_ADMINS``     comma-separated full JupyterHub admins (default: none); admins can
                           open every account's server, and with it every couple's workbook
``HEALING_HUB_GROUP``      Unix group whose members may log in (default: healing-couples)

Authentication is PAM (system accounts) and spawning is ``LocalProcessSpawner`` (each account's
server runs as that Unix user) unless a later config file changes them. The test suite loads this
file and swaps in a testing authenticator and spawner; never use those for real couples.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by JupyterHub

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

NOTEBOOKS = Path(os.environ.get("HEALING_NOTEBOOKS") or REPO / "notebooks").resolve()
WORKSHOP_DIR = Path(os.environ.get("HEALING_WORKSHOP_DIR") or "/srv/healing-together/workshop")
DATA_LAYOUT = os.environ.get("HEALING_DATA_LAYOUT", "per-account")
STATE_DIR = Path(os.environ.get("HEALING_HUB_STATE") or "/srv/jupyterhub")
START_PAGE = "00_start.ipynb"

if DATA_LAYOUT not in ("per-account", "shared"):
    raise ValueError(f"HEALING_DATA_LAYOUT must be 'per-account' or 'shared', not {DATA_LAYOUT!r}")

try:  # the page template and the Voila settings ship inside the workbook package
    from workbook.log_privacy import install as hide_secrets_in_log
    from workbook.serving import JUPYTER_DATA_ROOT, voila_options
    from workbook.singleuser import SERVER_ARGS
except ImportError:  # the hub's Python lacks the package: use this checkout's copy
    sys.path.insert(0, str(REPO))
    from workbook.log_privacy import install as hide_secrets_in_log
    from workbook.serving import JUPYTER_DATA_ROOT, voila_options
    from workbook.singleuser import SERVER_ARGS

# The hub's own log too: no ?token=, join code, key or full kernel id in an address it logs.
hide_secrets_in_log()

# --- the hub itself ----------------------------------------------------------------------------

c.JupyterHub.bind_url = os.environ.get("HEALING_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")
# HTTPS: terminate TLS in front of the hub (nginx, Caddy, Traefik) and keep bind_url on
# 127.0.0.1, or give the hub a certificate directly:
#   c.JupyterHub.ssl_cert = "/etc/letsencrypt/live/workshop.example.org/fullchain.pem"
#   c.JupyterHub.ssl_key = "/etc/letsencrypt/live/workshop.example.org/privkey.pem"
# Never serve couples' workbooks over plain HTTP beyond one computer.
c.JupyterHub.cookie_max_age_days = 1  # a workshop day; people log in again next time
c.JupyterHub.shutdown_on_logout = True  # "Log out" also stops the account's server

# --- who may log in ----------------------------------------------------------------------------

# PAM: system accounts on this machine, one per couple, in one Unix group (README.md shows how
# a facilitator makes them). Replace with OAuthenticator, LDAP or NativeAuthenticator as needed;
# DummyAuthenticator / SharedPasswordAuthenticator are for tests only, never for real couples.
c.JupyterHub.authenticator_class = "pam"
c.LocalAuthenticator.allowed_groups = {os.environ.get("HEALING_HUB_GROUP", "healing-couples")}


def _names(variable: str, default: str = "") -> set[str]:
    return {name.strip() for name in os.environ.get(variable, default).split(",") if name.strip()}


# Facilitators see the admin page (who is logged in) and may start and stop servers, but may
# not open anyone's server: no `access:servers`, so no couple's pages or workbook. JupyterHub's
# full admins (admin_users) *can* open every server; leave them out unless you need them.
FACILITATORS = _names("HEALING_HUB_FACILITATORS", "facilitator")
c.Authenticator.admin_users = _names("HEALING_HUB_ADMINS")
if FACILITATORS:
    c.JupyterHub.load_roles = [
        {
            "name": "facilitator",
            "description": "See who is logged in; start and stop servers; never open them.",
            "scopes": ["admin-ui", "list:users", "read:users", "admin:servers"],
            "users": sorted(FACILITATORS),
        }
    ]

# --- each account's server: Jupyter Server + Voila ----------------------------------------------

c.JupyterHub.spawner_class = "localprocess"  # each server runs as the account's Unix user
# The same Python as the hub (it has the workbook package, voila and jupyterhub).
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = str(NOTEBOOKS)
c.Spawner.default_url = f"/voila/render/{START_PAGE}"
c.Spawner.disable_user_config = True  # no ~/.jupyter config from the account
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120  # a 2-core machine starting several servers at once is slow
c.Spawner.args = [
    # Only Voila pages: no JupyterLab, classic notebook or terminals in the account's server.
    # (The Jupyter REST API still answers the logged-in account, which is why each account
    # needs its own Unix user or container and its own data folder: see README.md.)
    # The same server arguments as a Kubernetes pod's (workbook/singleuser.py): Voila only,
    # checked kernel frames, one page per kernel and a scrubbed log.
    *SERVER_ARGS,
    # Look, errors, the session cookie, waiting for output and culling kernels of closed
    # pages: the same settings as `workbook serve` (voila_options in workbook/serving.py).
    *voila_options(),
]


def _data_dir(spawner: object) -> str:
    if DATA_LAYOUT == "shared":
        return str(WORKSHOP_DIR)
    return str(WORKSHOP_DIR / spawner.user.name)  # type: ignore[attr-defined]


def _prepare_data_dir(spawner: object) -> None:
    """Per-account layout: before a server starts, its folder exists, is the account's, 0700.

    The hub (root) does this, so the account needs no write access to the workshop folder
    itself. In the shared layout the facilitator prepares the one folder (README.md).
    """
    if DATA_LAYOUT == "shared":
        return
    folder = Path(_data_dir(spawner))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.geteuid() == 0:
        import pwd

        try:
            account = pwd.getpwnam(spawner.user.name)  # type: ignore[attr-defined]
        except KeyError:  # a testing spawner without system accounts: the folder stays ours
            pass
        else:
            os.chown(folder, account.pw_uid, account.pw_gid)
    folder.chmod(0o700)


c.Spawner.pre_spawn_hook = _prepare_data_dir
c.Spawner.environment = {
    # The workbook package reads its data folder from WORKBOOK_DATA.
    "WORKBOOK_DATA": _data_dir,
    # Voila finds the 'healing' page template on the Jupyter data path.
    "JUPYTER_PATH": str(JUPYTER_DATA_ROOT),
    "PYTHONUNBUFFERED": "1",
}
if DATA_LAYOUT == "shared":
    # Many couples in one folder: the start page asks for the couple's join code (made by the
    # facilitator) and never lists or opens workbooks by name.
    c.Spawner.environment["WORKBOOK_WORKSHOP"] = "1"

# Whole servers left idle are stopped by the optional jupyterhub-idle-culler service
# (pip install jupyterhub-idle-culler), for example after an hour:
#   c.JupyterHub.services = [{"name": "idle-culler",
#       "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"]}]
#   c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
#       "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]
