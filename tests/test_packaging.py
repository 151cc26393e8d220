"""The project's own files: environments agree, notebooks are committed clean."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml  # PyYAML is in the test extra
from voila_harness import (
    OUTPUT_DIR,
    assert_no_voila_error,
    free_port,
    http_get,
    stop_process_group,
)

import workbook
from workbook import cli, paths

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, spec
    return _norm(m.group(1)), m.group(2).replace(" ", "")


def test_environment_yml_agrees_with_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(s) for s in project["dependencies"])
    for extra in ("test", "dataframe", "lab"):
        wanted.update(_split(s) for s in project["optional-dependencies"][extra])

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    got: dict[str, str] = {}
    pip_lines: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines = dep["pip"]
            continue
        name, spec = _split(dep)
        if name == "python":
            assert spec == "=3.11", "environment.yml must pin Python 3.11 like requires-python"
        elif name != "pip":
            got[name] = spec
    assert "-e ." in pip_lines, "environment.yml must install the package itself (-e .)"
    got.update(_split(s) for s in pip_lines if not s.startswith("-"))
    missing = {k: v for k, v in wanted.items() if got.get(k) != v}
    extra = {k: v for k, v in got.items() if k not in wanted}
    assert not missing, f"environment.yml lacks or differs from pyproject.toml on {missing}"
    assert not extra, f"environment.yml has packages pyproject.toml does not: {extra}"


def test_committed_notebooks_have_no_outputs_or_widget_state() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    on_disk = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert on_disk, "notebooks/ holds no notebooks"
    dirty = []
    for rel in sorted(set(tracked) | set(on_disk)):
        nb = json.loads((ROOT / rel).read_text())
        if "widgets" in nb.get("metadata", {}):
            dirty.append(f"{rel}: widget state in metadata")
        for i, cell in enumerate(nb["cells"]):
            if cell.get("outputs") or cell.get("execution_count") is not None:
                dirty.append(f"{rel}: cell {i} has outputs or an execution count")
    assert not dirty, (
        "strip notebooks before committing: `.venv/bin/jupyter nbconvert --clear-output "
        "--inplace notebooks/*.ipynb` clears outputs and execution counts; delete any "
        '"widgets" entry from a notebook\'s metadata by hand:\n' + "\n".join(dirty)
    )


def test_pages_load_no_heavy_modules_they_do_not_use(tmp_path: Path) -> None:
    """Each served page is a kernel of its own, so what a page loads costs memory per person.

    A step page is built (not only imported), in a workshop too, so that what its forms and
    worksheet links import on the way is counted: no encryption until a private entry is used,
    no pandas without a DataFrame, no numpy or matplotlib without a chart.
    """
    from workbook.demo import write_demo

    write_demo(data_dir=tmp_path).close()
    heavy = "{'cryptography', 'pandas', 'matplotlib', 'numpy'}"
    code = (
        "import sys, os;"
        f"os.environ['WORKBOOK_DATA'] = {str(tmp_path)!r};"
        "from workbook.ui import pages, start;"
        "from workbook.ui.base import resolve_session;"
        "pages.StepPage(resolve_session('demo', 'a', query={}), 2);"
        "start.StartPage('demo', 'a');"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]", f"a step page loads {out}"
    trends = subprocess.run(
        [sys.executable, "-c", "import sys, workbook.ui.trends;" + code.split(";")[-1]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert trends == "['matplotlib', 'numpy']", f"the trends page imports {trends}"


def test_the_server_does_not_compile_the_iri_grammar_at_start() -> None:
    """Starting the server imports Voila; jsonschema, under Jupyter Server's event logger,
    would import rfc3987-syntax, which compiles a grammar (1.2 CPU-seconds, each start) for
    a format no schema here uses. `voila_app.main` keeps it out; imports seen with -X
    importtime on a command that builds the app (``--version``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workbook.voila_app", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "voila.app" in imported, "the command did not build the app"
    assert "jsonschema" in imported, "jsonschema is no longer on the way: drop NOT_IMPORTED"
    assert "lark" not in imported, "the server imported rfc3987-syntax's grammar parser"


def test_package_data_carries_the_templates_and_styles() -> None:
    """The worksheet and Voila templates are package files: a wheel must carry each of them."""
    import fnmatch

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["workbook"]
    package = ROOT / "workbook"
    files = [
        p.relative_to(package).as_posix()
        for p in (package / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert any(f.startswith("templates/worksheet/") for f in files)
    left_out = [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)]
    assert not left_out, f"pyproject.toml's package-data leaves out {left_out}"


# --- the package: healing-together, installed anywhere ------------------------------------------

PAGES = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def test_the_version_is_set_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["name"] == "healing-together"
    assert "version" not in project["project"], "the version lives in workbook/__init__.py only"
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "workbook.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", workbook.__version__)


def test_runtime_dependencies_are_only_what_runs_the_app() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_split(s)[0] for s in project["dependencies"]}
    for tool in ("nbval", "pytest", "playwright", "jupyterlab", "ruff", "mypy", "jupyterhub"):
        assert tool not in runtime, f"{tool} is not needed to run the app"
    # Kernels need ipykernel (it came with jupyterlab before); serving.py imports websockets.
    assert {"voila", "jupyter-server", "ipykernel", "ipywidgets", "websockets"} <= runtime
    assert "jupyterlab" in {_split(s)[0] for s in project["optional-dependencies"]["lab"]}
    scripts = project["scripts"]
    assert scripts == {
        "healing-together": "workbook.cli:app_main",
        "healing-together-singleuser": "workbook.singleuser:main",
        "workbook": "workbook.cli:main",
    }


@pytest.mark.parametrize("command", [cli.main, cli.app_main])
def test_version_option(command: object, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        command(["--version"])  # type: ignore[operator]
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"Healing Together {workbook.__version__}"


def test_healing_together_help_names_itself_and_points_at_serve(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.app_main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: healing-together ")
    assert "healing-together serve --help" in " ".join(out.split())
    with pytest.raises(SystemExit):
        cli.app_main(["--port", "1", "--help"])
    assert capsys.readouterr().out.startswith("usage: healing-together serve ")


def test_the_start_page_shows_the_version(data_dir: Path) -> None:
    from widget_utils import html_of

    from workbook.ui.start import StartPage

    assert f"Healing Together {workbook.__version__}" in html_of(StartPage())


def test_notebooks_are_found_from_the_package() -> None:
    """A checkout (or editable install) finds notebooks/ beside the package."""
    assert paths.notebooks_dir() == ROOT / "notebooks"


def test_notebooks_missing_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "site" / "workbook"
    fake.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(fake / "paths.py"))
    with pytest.raises(FileNotFoundError, match="notebooks are missing"):
        paths.notebooks_dir()
    assert cli.main(["--data-dir", str(tmp_path / "d"), "serve", "--no-browser"]) == 2
    assert "Reinstall the package" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["serve"]),
        (["--port", "9001"], ["serve", "--port", "9001"]),
        (["--data-dir", "/d", "--port", "9001"], ["--data-dir", "/d", "serve", "--port", "9001"]),
        (["demo"], ["demo"]),
        (["--data-dir", "/d", "worksheet", "2"], ["--data-dir", "/d", "worksheet", "2"]),
    ],
)
def test_healing_together_serves_by_default(
    argv: list[str], expected: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(cli, "main", lambda args, prog="workbook": seen.append(args) or 0)
    assert cli.app_main(argv) == 0
    assert seen == [expected]


def test_serve_reads_the_token_from_a_secret_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbook import serving, settings

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(serving, "serve", lambda **kw: calls.append(kw) or 0)
    secret = tmp_path / "token"
    secret.write_text("s3cret-token-from-a-file\n")
    monkeypatch.setenv("WORKBOOK_TOKEN_FILE", str(secret))
    monkeypatch.delenv("WORKBOOK_TOKEN", raising=False)
    assert cli.main(["serve", "--host", "0.0.0.0", "--no-browser"]) == 0
    assert calls[0]["token"] == "s3cret-token-from-a-file"
    assert calls[0]["notebooks_dir"] == ROOT / "notebooks"
    # The printed address leaves it out: the server is told so in its environment.
    assert calls[0]["values"] == {settings.HIDE_TOKEN: "1"}


@pytest.mark.parametrize(("content", "message"), [(None, "Cannot read"), ("\n", "is empty")])
def test_a_bad_token_file_is_a_clear_message(
    content: str | None,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from workbook import serving

    monkeypatch.setattr(serving, "serve", lambda **kw: pytest.fail("must not serve"))
    secret = tmp_path / "token"
    if content is not None:
        secret.write_text(content)
    monkeypatch.setenv("WORKBOOK_TOKEN_FILE", str(secret))
    monkeypatch.delenv("WORKBOOK_TOKEN", raising=False)
    assert cli.main(["serve", "--host", "0.0.0.0", "--no-browser"]) == 2
    assert message in capsys.readouterr().err


@dataclass
class Installed:
    """A fresh virtual environment with only the built wheel installed in it."""

    wheel: Path
    bin: Path
    env: dict[str, str]

    def python(self, code: str, cwd: Path) -> str:
        """What the installed Python prints running `code` in `cwd` (it must succeed)."""
        return subprocess.run(
            [str(self.bin / "python"), "-c", code],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the wheel from this checkout and install it alone into a new environment.

    Its dependencies are not installed again (that takes minutes): a ``.pth`` file puts this
    test environment's site-packages after the new environment's own, so ``workbook`` comes from
    the wheel and nothing else of the checkout is seen. Jupyter's data files of the dependencies
    (Voila's base templates) live under this environment's prefix, hence ``JUPYTER_PATH``.
    """
    root = tmp_path_factory.mktemp("package")
    # Built from a copy of the checkout: setuptools would reuse a stale build/ folder in it.
    source = root / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "node_modules", "output", "*.egg-info", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = root.glob("healing_together-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", wheel],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBOOK_", "PYTHON"))}
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["PYTHONUNBUFFERED"] = "1"
    return Installed(wheel=wheel, bin=venv / "bin", env=env)


def test_the_wheel_carries_the_notebooks_and_templates(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as whl:
        names = set(whl.namelist())
        meta = whl.read(f"healing_together-{workbook.__version__}.dist-info/METADATA").decode()
    for page in PAGES:
        assert f"workbook/notebooks/{page}" in names, f"the wheel lacks {page}"
    template = "workbook/templates/voila/templates/healing/"
    assert {f"{template}index.html.j2", f"{template}static/healing.css"} <= names
    assert "workbook/locale/es/LC_MESSAGES/workbook.po" in names, "the wheel lacks Spanish"
    assert "Name: healing-together" in meta
    assert f"Version: {workbook.__version__}" in meta
    assert not [n for n in names if n.startswith(("tests/", "notebooks/", "deploy/"))]


def test_the_installed_package_speaks_spanish(installed: Installed, tmp_path: Path) -> None:
    """The wheel's catalogue works installed, compiled or not (a .po compiles on first use)."""
    said = installed.python(
        "from workbook.i18n import languages, translator; "
        "print(languages(), translator('es').gettext('When to walk away'))",
        tmp_path,
    )
    assert said == "('en', 'es') Cuándo alejarse"


def test_the_installed_app_serves_every_page_from_an_empty_folder(
    installed: Installed, tmp_path: Path
) -> None:
    """`healing-together` from an empty folder: every page renders; the log is clean."""
    empty = tmp_path / "empty"
    empty.mkdir()
    data = tmp_path / "data"
    run = installed.bin / "healing-together"
    where = installed.python("import workbook; print(workbook.__file__)", empty)
    assert where.startswith(str(installed.bin.parent)), f"workbook came from {where}"
    version = subprocess.run(
        [str(run), "--version"], cwd=empty, env=installed.env, capture_output=True, text=True
    )
    assert version.stdout.strip() == f"Healing Together {workbook.__version__}"
    subprocess.run(
        [str(run), "--data-dir", str(data), "demo"],
        cwd=empty,
        env=installed.env,
        check=True,
        capture_output=True,
    )
    token = "installed-test-token-1234"
    secret = tmp_path / "token"
    secret.write_text(token + "\n")
    port = free_port()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    log_path = OUTPUT_DIR / f"installed-{port}.log"
    env = {**installed.env, "WORKBOOK_TOKEN_FILE": str(secret)}
    argv = [str(run), "--data-dir", str(data), "--port", str(port), "--no-browser"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv,
            cwd=empty,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: "Open the workbook at:" in log_path.read_text(), process, log_path)
        for page in PAGES:
            url = f"{base}/voila/render/{page}?token={token}&wb=demo&who=a"
            status, html = http_get(url)
            assert status == 200, f"{page}: HTTP {status}"
            assert_no_voila_error(html)
            # (A preheated page's widgets arrive over its websocket, not in this HTML; the
            # start page's version line is checked in test_the_start_page_shows_the_version.)
            assert "voila_finish" in html, f"{page} did not finish rendering"
    finally:
        stop_process_group(process)
    full = log_path.read_text(encoding="utf-8", errors="replace")
    # What the server logged while serving (a kernel stopped mid-message at shutdown may log a
    # ZMQ traceback afterwards; that is the stop, not the start).
    log = full.split("Handle signal 15")[0]
    assert token not in full, "the token given as a secret reached the log"
    assert token not in log, "the token given as a secret reached the log"
    assert "?token=<the token you gave the server>" in log
    warned = [line for line in log.splitlines() if "Warning" in line or "warn(" in line]
    assert not warned, warned
    assert "Traceback" not in log, log[-3000:]


def _wait_for(ready: object, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while not ready():  # type: ignore[operator]
        assert process.poll() is None, f"the app exited: {log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"the app did not start: {log.read_text()[-3000:]}"
        time.sleep(0.3)


# --- no passing by skipping: browser tests without a browser stop the run ------------------------


def _pytest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "WORKBOOK_ALLOW_NO_BROWSER"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_browser_tests_without_chromium_stop_the_run() -> None:
    run = _pytest("tests/browser/test_every_page.py", WORKBOOK_CHROMIUM="/nonexistent/chromium")
    out = run.stdout + run.stderr
    assert run.returncode not in (0, 5), out
    assert "there is no Chromium at /nonexistent/chromium" in out
    assert "apt-get install chromium" in out
    assert "no tests ran" in out
    assert not re.search(r"\d+ (passed|skipped)", out), out


def test_browser_tests_may_be_deselected_or_skipped_on_purpose() -> None:
    chromium = {"WORKBOOK_CHROMIUM": "/nonexistent/chromium"}
    deselected = _pytest("tests/browser/test_every_page.py", "-m", "not browser", **chromium)
    assert deselected.returncode == 5, deselected.stdout  # nothing left to run
    allowed = _pytest(
        "tests/browser/test_every_page.py",
        "--collect-only",
        WORKBOOK_ALLOW_NO_BROWSER="1",
        **chromium,
    )
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_make_test_never_allows_skipping_browser_tests() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "env -u WORKBOOK_ALLOW_NO_BROWSER" in recipe


def test_a_token_in_the_environment_comes_before_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBOOK_TOKEN", "token-from-the-environment")
    monkeypatch.setenv("WORKBOOK_TOKEN_FILE", "/run/secrets/not-mounted")
    assert cli.given_token() == "token-from-the-environment"
    monkeypatch.delenv("WORKBOOK_TOKEN")
    monkeypatch.delenv("WORKBOOK_TOKEN_FILE")
    assert cli.given_token() is None


def test_every_module_below_the_forms_is_held_to_the_layer_contract() -> None:
    """A new module must not slip past import-linter's "nothing below imports workbook.ui"."""

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    listed = set(contracts["ui-on-top"]["source_modules"])
    package = ROOT / "workbook"
    modules = {f"workbook.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {f"workbook.{p.parent.name}" for p in package.glob("*/__init__.py")}
    assert modules - {"workbook.ui"} - listed == set()


def test_make_test_runs_files_whole_in_processes_and_make_load_fills_the_room() -> None:
    """Each test file's own server starts once: xdist hands out files, not single tests; the
    load test's full room (20 couples) is `make load`'s, `make test` runs a smaller one."""
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "-n $(TEST_WORKERS) --dist loadfile" in test_recipe
    # Handed out in collection order, slowest files first (conftest.SLOWEST_FIRST); without
    # this, xdist sorts files by their number of tests and the 100 s load test ran last, alone.
    assert "--no-loadscope-reorder" in test_recipe
    # Compiled (and assertion-rewritten) modules are reused by every process of the run.
    assert "-u PYTHONDONTWRITEBYTECODE" in test_recipe
    load_recipe = makefile.split("\nload:", 1)[1].split("\n\n", 1)[0]
    assert "--room-couples 20" in load_recipe
