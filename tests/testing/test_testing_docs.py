"""docs/testing-workflows.md works exactly as written: its files, its commands and their output.

The page is followed from the top in an empty folder (with a copy of
``examples/``): every titled block is written as that file when the page
reaches it, every ``coachflow`` command of a ``bash`` block runs, and every
``text`` block is what the command before it printed.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from xml.etree import ElementTree

from click.testing import CliRunner

from coachflow.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "testing-workflows.md"
BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```", re.M | re.S)


def test_the_page_runs_as_written(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COACHFLOW_NOW", "2026-11-25T17:30")
    ran, compared, files = [], 0, []
    last = None
    for match in BLOCK.finditer(PAGE.read_text(encoding="utf-8")):
        info, body = match.group("info").strip(), match.group("body")
        title = re.search(r'title="([^"]+)"', info)
        if title:
            (tmp_path / title.group(1)).write_text(body, encoding="utf-8")
            files.append(title.group(1))
        elif info == "bash":
            for line in body.splitlines():
                words = shlex.split(line)
                assert words[0] == "coachflow", line
                last = CliRunner().invoke(cli, words[1:])
                ran.append((words[1:], last.exit_code))
        elif info == "text":
            assert last is not None, "a text block before any command"
            assert last.output == body, f"the page shows other output for: coachflow {shlex.join(ran[-1][0])}"
            compared += 1
            last = None

    assert files == ["coachflow.toml", "coachflow.test.toml", "coachflow.toml", "typo.test.toml"]
    assert [(args[:2], code) for args, code in ran] == [
        (["test", "coachflow.test.toml"], 0),
        (["test", "coachflow.test.toml"], 1),
        (["test", "typo.test.toml"], 2),
        (["schema", "--tests"], 0),
        (["preview", "-w"], 0),
        (["preview", "-w"], 0),
        (["test", "examples/workflows"], 0),
        (["client", "add"], 0),
        (["preview", "-w"], 0),
    ]
    assert "What Alex Smith reads from the workflow 'Gentle start' in 5 situations." in last.output
    assert "To do: Talk to Sam" in last.output
    assert compared == 3
    assert last is not None  # the preview for a client, shown without its output
    assert (tmp_path / "preview.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "coachflow-tests.schema.json").is_file()
    assert ElementTree.parse(tmp_path / "test-results.xml").getroot().get("failures") == "0"
