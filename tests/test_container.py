"""The Containerfile builds a small image that runs the app safely; checked without an engine.

No container engine runs here, so the file's instructions are read and checked: a build stage
makes the wheel, the image installs only that wheel, runs as a non-root user, keeps the data in
a volume, listens on its port with a token, and has a health check. The health check's address
is then asked of a real server started with a token, as the container would.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from voila_harness import http_get, running_voila

ROOT = Path(__file__).resolve().parents[1]
CONTAINERFILE = ROOT / "Containerfile"
PORT = "8866"


@dataclass
class Instruction:
    keyword: str
    args: str

    def argv(self) -> list[str]:
        """Exec-form (JSON) arguments as a list, or shell-form split like a shell would."""
        text = self.args.strip()
        if text.startswith("["):
            return list(json.loads(text))
        return shlex.split(text)


def stages() -> list[list[Instruction]]:
    """The Containerfile's stages, each a list of instructions (comments and continuations
    resolved)."""
    text = re.sub(r"\\\n", " ", CONTAINERFILE.read_text())
    result: list[list[Instruction]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        if keyword.upper() == "FROM":
            result.append([])
        assert result, "the Containerfile must start with FROM"
        result[-1].append(Instruction(keyword.upper(), args.strip()))
    return result


def final() -> list[Instruction]:
    return stages()[-1]


def only(stage: list[Instruction], keyword: str) -> Instruction:
    found = [i for i in stage if i.keyword == keyword]
    assert len(found) == 1, f"expected one {keyword} in the final stage, found {len(found)}"
    return found[0]


def env_of(stage: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for i in stage:
        if i.keyword == "ENV":
            for word in shlex.split(i.args):
                key, _, value = word.partition("=")
                env[key] = value
    return env


def test_a_build_stage_makes_the_wheel_and_the_image_installs_only_it() -> None:
    build, image = stages()[0], final()
    assert len(stages()) == 2
    assert build[0].args.endswith("AS build")
    assert any("pip wheel" in i.args and "--no-deps" in i.args for i in build if i.keyword == "RUN")
    base = image[0].args
    assert re.fullmatch(r"\S*python:3\.11-slim", base), f"a small Python 3.11 base, not {base}"
    copies = [i.args for i in image if i.keyword in ("COPY", "ADD")]
    assert copies == ["--from=build /wheels /tmp/wheels"], "the image takes only the wheel"
    runs = " ".join(i.args for i in image if i.keyword == "RUN")
    assert 'wheel="$(ls /tmp/wheels/*.whl)" && python -m pip install "${wheel}${EXTRAS}"' in runs
    assert 'ARG EXTRAS=""' in {f"{i.keyword} {i.args}" for i in image}
    assert "rm -rf /tmp/wheels" in runs
    # The build stage copies only what the wheel needs, and those exist.
    for i in build:
        if i.keyword == "COPY":
            *sources, _ = i.argv()
            for source in sources:
                assert (ROOT / source).exists(), f"the build copies {source}, which is missing"


def test_the_app_runs_as_a_non_root_user() -> None:
    image = final()
    user = only(image, "USER").args
    assert user not in ("root", "0"), user
    creates = " ".join(i.args for i in image if i.keyword == "RUN")
    uid = re.search(rf"useradd .*--uid (\d+) .*\b{user}\b", creates)
    assert uid, f"the user {user} is created with a fixed uid"
    assert int(uid.group(1)) >= 1000
    keywords = [i.keyword for i in image]
    assert keywords.index("USER") < keywords.index("CMD")
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k == "RUN")


def test_the_data_folder_is_a_volume_owned_by_the_user() -> None:
    image = final()
    volume = only(image, "VOLUME").argv()
    assert volume == ["/data"]
    assert env_of(image)["WORKBOOK_DATA"] == "/data"
    runs = " ".join(i.args for i in image if i.keyword == "RUN")
    assert "mkdir -m 0700 /data" in runs
    assert "chown healing:healing /data" in runs
    keywords = [i.keyword for i in image]
    assert keywords.index("VOLUME") > max(i for i, k in enumerate(keywords) if k == "RUN")


def test_it_listens_on_its_port_with_a_token_from_a_secret() -> None:
    image = final()
    assert only(image, "EXPOSE").args == PORT
    cmd = only(image, "CMD").argv()
    assert cmd[0] == "healing-together"
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert cmd[cmd.index("--port") + 1] == PORT
    assert "--no-browser" in cmd
    assert "--token" not in cmd, "a token on the command line would be in the image"
    env = env_of(image)
    assert env["WORKBOOK_TOKEN_FILE"].startswith("/run/secrets/")
    assert "WORKBOOK_TOKEN" not in env, "never bake a token into the image"


def test_the_health_check_asks_the_server_its_port() -> None:
    check = only(final(), "HEALTHCHECK")
    options, _, command = check.args.partition("CMD ")
    assert "--interval=" in options
    assert "--start-period=" in options
    argv = json.loads(command)
    assert argv[:2] == ["python", "-c"]
    assert f"http://127.0.0.1:{PORT}/voila/static/voila.js" in argv[2]


@pytest.mark.voila
def test_the_health_check_address_answers_without_the_token(tmp_path: Path) -> None:
    """The container's server has a token; its health check has none and must still get 200."""
    token = "container-test-token-123"
    with running_voila(
        ROOT / "notebooks", tmp_path, name="voila-health", preheat=False, token=token
    ) as server:
        status, _ = http_get(f"{server}/voila/static/voila.js")
        assert status == 200
        # The pages themselves need the token: without it, the server's login page.
        with urllib.request.urlopen(f"{server}/voila/render/00_start.ipynb", timeout=60) as r:
            assert "/login" in r.url, r.url
            assert "Start" not in r.read().decode(), "the start page opened without the token"


def test_the_build_context_leaves_out_data_and_environments() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*", "exclude everything, then allow what the build copies"
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    assert allowed == {"pyproject.toml", "README.md", "workbook", "notebooks"}
    excluded = [p for p in patterns[1:] if not p.startswith("!")]
    for name in (
        "workbook/demo.workbook.sqlite3",
        "workbook/x.sqlite3-wal",
        "notebooks/__pycache__",
    ):
        assert any(fnmatch.fnmatch(name, p.replace("**/", "*")) for p in excluded), name
