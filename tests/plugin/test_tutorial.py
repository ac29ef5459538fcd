"""The plugin tutorial (docs/plugin-tutorial.md) works as written: its files are written into
a package, the package is installed with the entry points its ``pyproject.toml`` declares, and
the commands it shows give the output it shows.

tests/test_docs.py checks each snippet on its own; this test puts the tutorial's parts
together the way a reader does, including the code section 8 adds to the module.
"""

from __future__ import annotations

import shlex
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.fake_plugins import site  # noqa: F401  (a fixture)
from test_docs import ROOT, snippets

from coachflow.cli import cli

TUTORIAL = ROOT / "docs" / "plugin-tutorial.md"
MODULE = "src/coachflow_thank_interviewer/__init__.py"


def section(number: int):
    """The snippets of the tutorial's section ``number`` (``## 8. ...``)."""
    lines = TUTORIAL.read_text(encoding="utf-8").splitlines()
    starts = [index + 1 for index, line in enumerate(lines) if line.startswith("## ")]
    start = next(line for line in starts if lines[line - 1].startswith(f"## {number}. "))
    end = min((line for line in starts if line > start), default=len(lines) + 1)
    return [block for block in snippets(TUTORIAL) if start < block.line < end]


def build_package(folder: Path) -> Path:
    """Write the tutorial's files, with section 8's command and entry point added as it says."""
    for block in snippets(TUTORIAL):
        if block.title:
            path = folder / block.title
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.text, encoding="utf-8")
    command_code = next(b for b in section(8) if b.language == "python")
    commands_table = next(b for b in section(8) if b.language == "toml")
    module = folder / MODULE
    module.write_text(module.read_text(encoding="utf-8") + "\n\n" + command_code.text, encoding="utf-8")
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "\n" + commands_table.text, encoding="utf-8")
    return pyproject


@pytest.fixture
def tutorial_plugin(site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The tutorial's package, installed from its own pyproject.toml, in its folder."""
    folder = tmp_path / "coachflow-thank-interviewer"
    project = tomllib.loads(build_package(folder).read_text(encoding="utf-8"))["project"]
    entry_points = project["entry-points"]
    site.distribution(project["name"], entry_points["coachflow"], version=project["version"],
                      commands=entry_points["coachflow.commands"])
    monkeypatch.syspath_prepend(str(folder / "src"))
    monkeypatch.chdir(folder)
    sys.modules.pop("coachflow_thank_interviewer", None)  # tests/test_docs.py imports its own copy
    yield folder
    sys.modules.pop("coachflow_thank_interviewer", None)


def run(line: str):
    """Run one ``coachflow ...`` line of the tutorial."""
    args = shlex.split(line)
    assert args[0] == "coachflow"
    return CliRunner().invoke(cli, args[1:], env={"COLUMNS": "80"}, prog_name="coachflow")


def test_section_8_lists_the_notes_a_real_run_drafted(tutorial_plugin):
    blocks = section(8)
    (commands,) = [b for b in blocks if b.language == "bash"]
    (shown,) = [b for b in blocks if b.language == "text"]

    results = [run(line) for line in commands.text.splitlines() if line.strip()]

    for result in results:
        assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert "Draft: Thank-you note to Acme" in results[0].stdout
    assert results[-1].stdout == shown.text
    assert "thank-yous" in run("coachflow --help").stdout

