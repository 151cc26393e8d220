"""Workshop mode: couples open their workbook with a join code, never by a guessable name."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from widget_utils import html_of, walk

import workbook
from workbook import workshop
from workbook.markup import esc
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import resolve_session


@pytest.fixture
def room(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> list[workshop.CoupleCode]:
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    return workshop.create_couples(data_dir, 3)


def test_names_do_not_open_workbooks_in_a_workshop(room: list[workshop.CoupleCode]) -> None:
    found = resolve_session(query={"wb": room[0].name, "who": "a"})
    assert found == "In this workshop, open your workbook with your couple's code."
    page = pages.step_page(2, room[0].name, "a")
    assert "open your workbook with your couple" in html_of(page)
    assert "Writing as" not in html_of(page)


def test_a_code_opens_only_its_own_workbook(room: list[workshop.CoupleCode]) -> None:
    found = resolve_session(query={"code": room[1].code, "who": "b"})
    assert not isinstance(found, str)
    assert found.wb.name == room[1].name
    assert f"code={room[1].code}" in found.url(3)
    assert "wb=" not in found.url(3)
    unknown = resolve_session(query={"code": "ZZZZZZ", "who": "a"})
    assert isinstance(unknown, str)
    assert "code" in unknown.lower()


def test_start_page_joins_with_a_code(room: list[workshop.CoupleCode]) -> None:
    start = start_ui.StartPage()
    html = html_of(start)
    assert "Join your workbook" in html
    assert all(c.name not in html for c in room), "workshop start page lists couples"
    start.join_code.value = "nope99"
    start.join_button.click()
    assert start.status.kind == "error"
    start.join_code.value = room[2].code.lower()
    start.join_button.click()
    start.choose("a")
    html = html_of(start)
    assert esc(f"code={room[2].code}") in html
    assert esc(f"wb={room[2].name}") not in html


def announce(monkeypatch: pytest.MonkeyPatch, key: str, *options: str) -> str:
    """`workbook serve --workshop` announced with WORKBOOK_FACILITATOR_KEY set to `key`."""
    from workbook import cli

    # Set through monkeypatch so that what the command sets is undone afterwards.
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "")
    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", key)
    args = cli.build_parser().parse_args(
        ["serve", "--workshop", "--host", "127.0.0.1", "--port", "9999", *options]
    )
    return cli.announce_workshop(args)


def test_serve_workshop_prints_the_facilitator_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = announce(monkeypatch, "")
    out = capsys.readouterr().out
    assert f"10_facilitator.ipynb?key={key}" in out
    assert len(key) >= 20


def test_serve_workshop_gives_the_server_workshop_mode_and_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The settings reach the server (and its kernels) in the environment it starts with."""
    from workbook import cli, serving, settings

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(serving, "serve", lambda **kw: calls.append(kw) or 0)
    monkeypatch.delenv("WORKBOOK_FACILITATOR_KEY", raising=False)
    assert cli.main(["serve", "--workshop", "--no-browser"]) == 0
    values = calls[0]["values"]
    assert isinstance(values, dict)
    key = values[settings.FACILITATOR_KEY]
    assert values[settings.WORKSHOP] == "1"
    assert f"10_facilitator.ipynb?key={key}" in capsys.readouterr().out
    env = serving.voila_env(None, base={}, values=values)
    assert env["WORKBOOK_WORKSHOP"] == "1"
    assert env["WORKBOOK_FACILITATOR_KEY"] == key


def test_a_chosen_facilitator_key_is_encoded_in_the_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: a key with '&' or a space printed a broken address."""
    assert announce(monkeypatch, "our room & key", "--token", "t0k") == "our room & key"
    assert "10_facilitator.ipynb?token=t0k&key=our+room+%26+key" in capsys.readouterr().out


def test_consent_is_asked_in_a_workshop_and_off_by_default(
    room: list[workshop.CoupleCode], data_dir: Path
) -> None:
    start = start_ui.StartPage(code=room[0].code, who="b")
    [form] = [w for w in walk(start) if isinstance(w, start_ui.ConsentForm)]
    assert form.box.value is False
    form.box.value = True
    assert "included" in form.status.message
    book = workbook.open(room[0].name)
    assert (book.consent("a"), book.consent("b")) == (False, True)
    book.close()


def test_step_page_offers_printable_worksheets(room: list[workshop.CoupleCode]) -> None:
    found = resolve_session(query={"code": room[0].code, "who": "a"})
    assert not isinstance(found, str)
    page = pages.StepPage(found, 2)
    assert "Blank worksheet" in html_of(page)
    [links] = [w for w in walk(page) if isinstance(w, pages.WorksheetLinks)]
    assert links.filled.value == ""
    # Written after the page opened: the filled worksheet, made when asked for, has it.
    found.wb.add_reflection("a", 2, "what-happened", "<script>x</script> we argued")
    links.prepare.click()
    filled = re.findall(
        r"download='ours-[^']+' href='data:text/html;charset=utf-8;base64,([^']+)'",
        links.filled.value,
    )
    sheet = base64.b64decode(filled[0]).decode()
    assert "&lt;script&gt;x&lt;/script&gt; we argued" in sheet
    assert "<script>x" not in sheet


def test_a_workshop_keeps_start_page_kernels_ready_for_a_table_arriving_together(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`serve --workshop` sizes the start page's preheat pool for the room; other pages and a
    couple at home keep one kernel each."""
    import warnings

    from workbook import cli, serving, voila_app

    monkeypatch.setenv("WORKBOOK_WORKSHOP", "")
    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", "a facilitator key")
    argvs: list[list[str]] = []
    monkeypatch.setattr(
        serving,
        "serve",
        # `values` (the settings for the server's environment) are serve's, not voila_argv's.
        lambda notebooks_dir, values=None, **options: (
            argvs.append(serving.voila_argv(notebooks_dir, **options)) or 0
        ),
    )
    notebooks = str(Path(serving.__file__).resolve().parents[1] / "notebooks")
    base = ["--data-dir", str(tmp_path), "serve", "--no-browser", "--notebooks", notebooks]
    for extra in (["--workshop"], []):
        assert cli.main([*base, *extra]) == 0
    workshop_argv, home_argv = argvs

    def pools(argv: list[str]) -> dict[str, object] | None:
        """The kernel pools the Voila app configures from `argv`, parsed without a warning."""
        app = voila_app.make_app_class()()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # traitlets warned at every start of a workshop
            app.parse_command_line([a for a in argv if a.startswith("--")])
        app.configure_pools()
        pools = app.config.VoilaKernelManager.get("kernel_pools_config")
        return dict(pools) if pools else None

    assert pools(workshop_argv) == {
        "default": {"pool_size": serving.POOL_SIZE},
        serving.START_PAGE: {"pool_size": serving.WORKSHOP_START_POOL},
    }
    assert serving.WORKSHOP_START_POOL >= 10, "ten partners arriving at once each find one"
    assert f"--VoilaKernelManager.fill_delay={serving.WORKSHOP_FILL_DELAY}" in workshop_argv
    assert pools(home_argv) is None
    assert not any("fill_delay" in a for a in home_argv)
    assert "--VoilaConfiguration.default_pool_size=1" in home_argv
    no_preheat = serving.voila_argv(notebooks, preheat=False, start_pool_size=10)
    assert pools(no_preheat) is None
