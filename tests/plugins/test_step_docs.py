"""docs/steps: every option is documented, and every example runs and prints what the page shows."""

from __future__ import annotations

import glob
import re
import shlex
import shutil

import pytest
import tomli_w
from click.testing import CliRunner

from coachflow.cli import cli
from support import EXAMPLES, registry

DOCS = EXAMPLES.parent / "docs" / "steps"
STEPS = ["allow-disappointment", "request-feedback", "feedback-patterns", "analyze-control",
         "maintain-momentum", "celebrate-wins"]
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def shown_default(value):
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return tomli_w.dumps(value).strip()
    return tomli_w.dumps({"x": value}).partition("=")[2].strip()


def test_the_index_links_every_built_in_step():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert sorted(registry().steps) == sorted(STEPS)
    for name in STEPS:
        assert f"[`{name}`]({name}.md)" in index


@pytest.mark.parametrize("name", STEPS)
def test_every_option_is_documented_with_its_type_default_and_help(name):
    page = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    for spec in registry().steps[name].options():
        section = page.split(f"### `{spec.name}`\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
        assert f"*{spec.type_label}*. {spec.help}" in section, spec.name
        assert shown_default(spec.default) in section, spec.name


def blocks(page):
    """(commands, expected output lines) for each bash block on a page; the output
    is the text block right after it, if any."""
    found = []
    for language, body in FENCE.findall(page):
        if language == "bash":
            found.append(([line for line in body.splitlines() if line.strip()], []))
        elif language == "text" and found and not found[-1][1]:
            found[-1][1].extend(body.splitlines())
    return found


def run_line(line, monkeypatch):
    words = shlex.split(line)
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        monkeypatch.setenv(name, value)
    assert words[0] == "coachflow"
    args = [match for word in words[1:] for match in (sorted(glob.glob(word)) if "*" in word else [word])]
    return CliRunner().invoke(cli, args)


def examples_of_pages():
    for path in sorted(DOCS.glob("*.md")):
        for number, (commands, expected) in enumerate(blocks(path.read_text(encoding="utf-8")), start=1):
            yield pytest.param(commands, expected, id=f"{path.stem}-{number}")


@pytest.mark.parametrize(("commands", "expected"), list(examples_of_pages()))
def test_every_command_runs_and_prints_what_the_page_shows(tmp_path, monkeypatch, commands, expected):
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for line in commands:
        result = run_line(line, monkeypatch)
        assert result.exit_code == 0, f"{line}\n{result.output}"
    printed = iter(result.output.splitlines())
    for line in expected:  # the page shows an excerpt: its lines appear in this order
        assert any(line == out for out in printed), f"not printed: {line!r}"


def test_coachflow_steps_names_the_keys_of_a_table_default():
    result = CliRunner().invoke(cli, ["steps", "feedback-patterns"], env={"COLUMNS": "200"})  # one line each
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert ("themes  (table of list of text; default: a table of communication, technical depth, experience level, "
            "culture fit, salary)") in lines
    assert "extra_themes  (table of list of text; default: an empty table)" in lines


#: The method has four points; the six steps serve them (coaching-domain.md).
POINTS = {"allow-disappointment": "Point 1", "request-feedback": "Point 2", "feedback-patterns": "Point 2",
          "analyze-control": "Point 3", "maintain-momentum": "Point 4", "celebrate-wins": "Point 4"}


@pytest.mark.parametrize("name", STEPS)
def test_the_pages_and_the_steps_number_the_four_points_of_the_method_alike(name):
    import importlib

    page = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    assert page.splitlines()[2].startswith(f"{POINTS[name]} of the method"), page.splitlines()[2]
    module = importlib.import_module("coachflow.plugins." + name.replace("-", "_"))
    assert module.__doc__.startswith(f"{POINTS[name]} of the method")
    for text in (page, module.__doc__, (DOCS / "index.md").read_text(encoding="utf-8")):
        assert "Strategy" not in text and "Point 5" not in text
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    number = POINTS[name].split()[1]
    assert any(line.startswith(f"| {number}. ") and f"[`{name}`]" in line for line in index.splitlines())
