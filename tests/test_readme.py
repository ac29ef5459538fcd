"""README.md and the getting-started guide work exactly as written: every coachflow command
in them runs, in order, and every output they show is what coachflow prints.

A ``<!-- env: NAME=VALUE ... -->`` line just before a block sets the environment for that
block's commands (the README fixes the clock so that its dates stay true).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(?:<!-- env: (?P<env>[^>]*) -->\n)?^```(?P<info>[^\n]*)\n(?P<body>.*?)^```", re.M | re.S)


def readme_blocks(document: str = "README.md") -> list[tuple[dict[str, str], str, str]]:
    """(environment, info string, body) of each fenced block of a document, in order."""
    found = []
    for match in BLOCK.finditer((ROOT / document).read_text(encoding="utf-8")):
        env = dict(item.split("=", 1) for item in shlex.split(match.group("env") or ""))
        found.append((env, match.group("info").strip(), match.group("body")))
    return found


def coachflow_commands(body: str) -> list[tuple[dict[str, str], list[str]]]:
    """The coachflow commands of a shell block, each with the ``NAME=VALUE`` settings
    written before it; a set-up line counts from its 'coachflow' on."""
    commands = []
    for line in body.splitlines():
        if "coachflow " not in line or line.lstrip().startswith("pip "):
            continue
        words = shlex.split(line[line.rindex("&& ") + 3:] if "&& coachflow " in line else line)
        env = {}
        while "=" in words[0]:
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        assert words[0] == "coachflow", line
        commands.append((env, words[1:]))
    return commands


@pytest.mark.parametrize(("document", "commands", "outputs"), [
    ("README.md", 28, 2),
    ("docs/getting-started.md", 8, 3),
])
def test_every_command_runs_and_prints_what_the_document_shows(tmp_path, monkeypatch, document, commands, outputs):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    ran, compared = 0, 0
    last: tuple[list[str], str] | None = None  # the latest command and what it printed
    for env, info, body in readme_blocks(document):
        if info == "text" and last is not None:
            assert last[1] == body, f"{document} shows other output for: coachflow {shlex.join(last[0])}"
            compared += 1
            last = None
        if info != "bash":
            continue
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        for command_env, args in coachflow_commands(body):
            result = CliRunner().invoke(cli, args, env=command_env)
            assert result.exit_code == 0, (args, result.output)
            last = (args, result.stdout)
            ran += 1
    assert (ran, compared) == (commands, outputs)


def test_the_readme_report_commands_write_their_files(tmp_path, monkeypatch):
    test_every_command_runs_and_prints_what_the_document_shows(tmp_path, monkeypatch, "README.md", 28, 2)
    assert (tmp_path / "search.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "coachflow.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    shared = (tmp_path / "alex-shared.html").read_text(encoding="utf-8")
    assert "A copy to share" in shared and "Acme" not in shared and "Alex" not in shared


def test_the_readme_shows_the_test_command_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    setup = [body for _, info, body in readme_blocks() if info == "bash"][:2]
    assert setup[0].startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e . && coachflow run")
    assert setup[1].strip() in ci.splitlines()
