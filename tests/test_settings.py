"""Settings are declared once (workbook/settings.py), read there only, and documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from workbook import serving, settings

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "workbook"
_NAME = re.compile(r"^WORKBOOK_[A-Z_]+$")


def _names_outside_settings() -> list[str]:
    """Every ``"WORKBOOK_..."`` string (a variable's name) in the package but settings.py."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and _NAME.match(str(node.value)):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value}")
    return found


def test_no_module_but_settings_names_a_workbook_variable() -> None:
    """A module that reads os.environ["WORKBOOK_..."] (or keeps the name in a constant of its
    own) declares a second setting: it goes through workbook.settings instead."""
    assert _names_outside_settings() == []


def test_settings_are_declared_once_with_help() -> None:
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    declared = {v for v in vars(settings).values() if isinstance(v, settings.Setting)}
    assert declared == set(settings.SETTINGS), "every Setting is listed in SETTINGS"
    for setting in settings.SETTINGS:
        assert _NAME.match(setting.name), setting.name
        assert len(setting.help) > 20, setting.name


def test_every_workbook_variable_named_in_the_package_is_declared() -> None:
    """The names in help texts, docstrings and comments are all declared settings."""
    mentioned = set()
    for path in PACKAGE.rglob("*.py"):
        mentioned |= set(re.findall(r"\bWORKBOOK_[A-Z_]*[A-Z]\b", path.read_text("utf-8")))
    assert mentioned <= {s.name for s in settings.SETTINGS}


def test_the_readme_table_is_made_from_the_declarations() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- settings-table: begin -->\n", 1)[1].split("\n<!-- settings-table", 1)
    assert table[0] == settings.settings_table()
    for setting in settings.SETTINGS:
        assert f"| `{setting.name}` |" in table[0]


@pytest.mark.parametrize(
    ("value", "on"),
    [("1", True), ("yes", True), ("True", True), ("", False), ("0", False), (" false ", False)],
)
def test_a_yes_no_setting(value: str, on: bool) -> None:
    assert settings.WORKSHOP.is_on({"WORKBOOK_WORKSHOP": value}) is on
    assert settings.HIDE_LIST.is_on({"WORKBOOK_HIDE_LIST": value}) is on


def test_the_exit_url_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBOOK_EXIT_URL", " https://example.org/news ")
    assert settings.exit_url() == "https://example.org/news"
    monkeypatch.setenv("WORKBOOK_EXIT_URL", "javascript:alert(1)")
    assert settings.exit_url() == "https://www.weather.gov/"
    monkeypatch.delenv("WORKBOOK_EXIT_URL")
    assert settings.exit_url() == "https://www.weather.gov/"


def test_the_server_environment_is_built_in_one_place() -> None:
    """voila_env: the caller's settings set, a token from elsewhere replaced, None removed."""
    base = {"PATH": "/bin", "WORKBOOK_TOKEN": "old-token-here", "WORKBOOK_HIDE_LIST": "1"}
    values = {settings.WORKSHOP: "1", settings.HIDE_LIST: None}
    env = serving.voila_env("new-token-here", base=base, values=values)
    assert env["WORKBOOK_TOKEN"] == "new-token-here"
    assert env["WORKBOOK_WORKSHOP"] == "1"
    assert "WORKBOOK_HIDE_LIST" not in env
    assert env["PATH"] == "/bin"
    assert "WORKBOOK_TOKEN" not in serving.voila_env(None, base=base)
    assert base["WORKBOOK_TOKEN"] == "old-token-here", "the base is not changed"
