"""The project's own files: environments agree, notebooks are committed clean."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import yaml  # PyYAML comes with jupyter_events, a dependency of jupyter_server

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
    for extra in ("test", "dataframe"):
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
    import sys

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
