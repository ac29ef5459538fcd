"""docs/coaches.md works exactly as written: each command runs, each output shown is what it prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from coachflow.cli import cli

DOC = Path(__file__).resolve().parents[1] / "docs" / "coaches.md"
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_the_coaches_doc_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("COACHFLOW_NOW", "2026-11-25T17:30")  # as the doc's env comments say
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    found = [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]
    commands = 0
    for index, (info, body) in enumerate(found):
        if info.startswith("toml file="):
            (tmp_path / info.split("=", 1)[1]).write_text(body, encoding="utf-8")
            continue
        if info != "bash":
            continue
        output = ""
        for line in body.splitlines():
            assert line.startswith("coachflow "), line
            result = CliRunner().invoke(cli, shlex.split(line)[1:])
            assert result.exit_code == 0, (line, result.output)
            output = result.stdout
            commands += 1
        following = found[index + 1] if index + 1 < len(found) else None
        if following is not None and following[0] == "text":
            assert output == following[1], f"output of: {body.splitlines()[-1]}"
    assert commands >= 12
